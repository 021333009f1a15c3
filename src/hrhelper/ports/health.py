"""Liveness probes of the parts the service depends on."""

from __future__ import annotations

from typing import Literal, Protocol

__all__ = ["Probe", "ProbeState"]

ProbeState = Literal["healthy", "unhealthy", "disabled"]


class Probe(Protocol):
    async def check(self) -> ProbeState:
        """Report the state; must not raise and must answer within a short timeout."""
        ...
