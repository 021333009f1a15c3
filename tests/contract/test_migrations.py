"""Migration stairway: every revision upgrades and downgrades cleanly, on both backends,
and the migrated schema matches the table definitions the code uses."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine

from hrhelper.adapters.persistence.sqlalchemy.engine import normalize_database_url
from hrhelper.adapters.persistence.sqlalchemy.migrate import alembic_config, downgrade, upgrade
from hrhelper.adapters.persistence.sqlalchemy.tables import include_in_autogenerate, metadata
from tests.support.services import fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'stairway.sqlite3'}"
        return
    with fresh_postgres_database() as url:
        yield url


def _revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _sync_url(url: str) -> str:
    return normalize_database_url(url).replace("+aiosqlite", "")  # psycopg 3 is also sync


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(
        connection, opts={"include_object": include_in_autogenerate}
    )
    return list(compare_metadata(context, metadata))


def test_stairway_up_and_down_each_revision(empty_database: str) -> None:
    revisions = _revisions(empty_database)
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        upgrade(empty_database, revision)
        downgrade(empty_database, previous)
        upgrade(empty_database, revision)
        previous = revision


def test_migrated_schema_matches_the_code(empty_database: str) -> None:
    upgrade(empty_database)
    engine = create_engine(_sync_url(empty_database))
    try:
        with engine.connect() as connection:
            assert _diff(connection) == []
    finally:
        engine.dispose()
