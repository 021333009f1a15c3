"""Entrypoints: HTTP (Litestar), the worker (dramatiq), the scheduler and the CLI."""
