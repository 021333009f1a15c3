"""SQL persistence (SQLAlchemy 2 async): PostgreSQL through psycopg 3, SQLite through aiosqlite."""

from hrhelper.adapters.persistence.sqlalchemy.engine import create_engine, normalize_database_url
from hrhelper.adapters.persistence.sqlalchemy.uow import SqlUnitOfWork

__all__ = ["SqlUnitOfWork", "create_engine", "normalize_database_url"]
