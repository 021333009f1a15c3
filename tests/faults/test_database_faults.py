"""PostgreSQL going away during traffic: requests answer 503 in the error format (never 500),
health says the database is unhealthy, and once it is back requests succeed again without
restarting the app; a write cut mid-transaction leaves nothing behind."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from hrhelper.adapters.persistence.sqlalchemy import create_engine
from hrhelper.settings import Settings
from tests.api.conftest import PASSWORD, Api, create_api
from tests.faults.proxy import TcpProxy, serve_proxy
from tests.support.database import truncate_all

pytestmark = pytest.mark.postgres


@pytest.fixture
def db_proxy(postgres_url: str) -> Iterator[TcpProxy]:
    url = make_url(postgres_url)
    with serve_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
async def api(
    make_settings: Callable[..., Settings], postgres_url: str, db_proxy: TcpProxy
) -> AsyncIterator[Api]:
    through_proxy = make_url(postgres_url).set(host="127.0.0.1", port=db_proxy.port)
    settings = make_settings(
        DATABASE_URL=through_proxy.render_as_string(hide_password=False), DATABASE_POOL_SIZE="3"
    )
    try:
        async for value in create_api(settings):
            yield value
    finally:
        engine = create_engine(postgres_url)
        await truncate_all(engine)
        await engine.dispose()


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert set(body) == {"error", "message", "details"}
    assert "database" in body["message"].lower()


async def test_a_cut_database_is_503_and_recovers_by_itself(api: Api, db_proxy: TcpProxy) -> None:
    vacancies = "/api/vacancies/"
    assert (await api.client.get(vacancies, headers=api.auth("hr"))).status_code == 200
    # When the line to PostgreSQL is cut (every pooled connection dies)
    db_proxy.cut()
    # Then reads and writes are 503 in the error format, and health says why
    for _ in range(3):
        assert_unavailable(await api.client.get(vacancies, headers=api.auth("hr")))
    write = await api.client.post(
        vacancies, json={"name": "Python developer"}, headers=api.auth("hr")
    )
    assert_unavailable(write)
    health = await api.client.get("/api/health/")
    assert health.status_code == 503
    assert health.json()["services"]["database"] == "unhealthy"
    # When it is back, the same app answers again from the first request on
    db_proxy.restore()
    for _ in range(3):
        assert (await api.client.get(vacancies, headers=api.auth("hr"))).status_code == 200
    health = await api.client.get("/api/health/")
    assert (health.status_code, health.json()["services"]["database"]) == (200, "healthy")


async def test_a_write_cut_mid_transaction_leaves_no_rows(
    api: Api, db_proxy: TcpProxy, postgres_url: str
) -> None:
    # Given the line is cut as the registration sends its second insert (the user's is sent)
    db_proxy.cut_when_sent(b"INSERT INTO candidate_profiles")
    response = await api.client.post(
        "/api/auth/register/",
        json={"email": "cut@example.com", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert db_proxy.cuts == 1
    assert_unavailable(response)
    db_proxy.restore()
    # Then PostgreSQL rolled the transaction back: no user, no profile, no mail
    with psycopg.connect(
        make_url(postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
    ) as connection:
        users = connection.execute(
            "SELECT count(*) FROM users WHERE email = 'cut@example.com'"
        ).fetchone()
        mails = connection.execute(
            "SELECT count(*) FROM mail_outbox WHERE recipient = 'cut@example.com'"
        ).fetchone()
    assert users == (0,)
    assert mails == (0,)
    # And the same registration succeeds once the database is back
    again = await api.client.post(
        "/api/auth/register/",
        json={"email": "cut@example.com", "password": PASSWORD, "password_confirm": PASSWORD},
    )
    assert again.status_code == 201, again.text
