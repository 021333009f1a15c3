"""Classical mapping: domain entities stay plain classes; SQLAlchemy learns their tables here."""

from __future__ import annotations

from sqlalchemy.orm import registry

from hrhelper.adapters.persistence.sqlalchemy.tables import (
    candidate_profiles,
    hr_profiles,
    metadata,
    users,
)
from hrhelper.domain.identity.model import CandidateProfile, HrProfile, User

__all__ = ["map_tables"]

_registry = registry(metadata=metadata)


def map_tables() -> None:
    """Idempotent: safe to call from the app factory, the worker and the tests alike."""
    if getattr(User, "__mapper__", None) is not None:
        return
    _registry.map_imperatively(User, users)
    _registry.map_imperatively(CandidateProfile, candidate_profiles)
    _registry.map_imperatively(HrProfile, hr_profiles)
