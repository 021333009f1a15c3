"""Ports: the narrow interfaces the domain needs from the outside world."""
