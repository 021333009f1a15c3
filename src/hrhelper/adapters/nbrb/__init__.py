"""The National Bank of the Republic of Belarus: official exchange rates (plain httpx)."""

from hrhelper.adapters.nbrb.client import NbrbRateSource

__all__ = ["NbrbRateSource"]
