"""Adapters: implementations of the ports (databases, outside services, queues)."""
