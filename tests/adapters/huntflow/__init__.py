"""The Huntflow adapter against a faithful fake Huntflow on loopback (real HTTP, no mocks)."""
