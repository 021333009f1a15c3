"""Wire shapes of the HTTP API (msgspec Structs)."""
