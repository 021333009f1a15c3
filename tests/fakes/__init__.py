"""Faithful fake servers of outside services, served over real HTTP on loopback."""
