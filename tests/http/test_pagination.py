"""Page-number pagination over HTTP: ``{count, next, previous, results}`` with absolute links,
``page_size`` 20 by default and 100 at most, bad values a 400 in the error format."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.http.conftest import Http

BASE = "http://testserver.local"


async def test_the_first_page_has_twenty_items_and_an_absolute_next_link(http: Http) -> None:
    response = await http.client.get("/test/items/", params={"total": 45})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["count"], body["results"], body["previous"]) == (45, list(range(1, 21)), None)
    parts = urlsplit(body["next"])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/test/items/"
    assert parse_qs(parts.query) == {"total": ["45"], "page": ["2"]}


async def test_following_the_links_walks_every_item_once(http: Http) -> None:
    # Given 45 items, 20 a page, and filters in the query that the links must keep
    url: str | None = f"{BASE}/test/items/?total=45&page_size=20"
    seen: list[int] = []
    pages = 0
    while url is not None:
        body = (await http.client.get(url)).json()
        seen += body["results"]
        url = body["next"]
        pages += 1
        if url is not None:
            assert parse_qs(urlsplit(url).query)["page_size"] == ["20"]
    assert (pages, seen) == (3, list(range(1, 46)))
    # and the last page points back, the first page's link without a page number
    last = (await http.client.get("/test/items/", params={"total": 45, "page": 3})).json()
    assert (last["results"], last["next"]) == ([41, 42, 43, 44, 45], None)
    assert parse_qs(urlsplit(last["previous"]).query)["page"] == ["2"]
    second = (await http.client.get("/test/items/", params={"total": 45, "page": 2})).json()
    assert "page" not in parse_qs(urlsplit(second["previous"]).query)


async def test_page_size_up_to_one_hundred(http: Http) -> None:
    body = (await http.client.get("/test/items/", params={"total": 150, "page_size": 100})).json()
    assert (len(body["results"]), body["count"]) == (100, 150)
    empty = (await http.client.get("/test/items/", params={"total": 0})).json()
    assert empty == {"count": 0, "next": None, "previous": None, "results": []}


BAD_QUERIES = [
    {"page": "0"},
    {"page": "-1"},
    {"page": "abc"},
    {"page": "1.5"},
    {"page_size": "0"},
    {"page_size": "101"},
    {"page_size": "many"},
]


async def test_bad_page_values_are_400_in_the_error_format(http: Http) -> None:
    for query in BAD_QUERIES:
        response = await http.client.get("/test/items/", params={"total": "45", **query})
        assert response.status_code == 400, (query, response.text)
        body = response.json()
        assert set(body) == {"error", "message", "details"}
        assert body["error"] == "ValidationError"
        assert list(body["details"]) == list(query), body


async def test_a_page_past_the_end_is_404(http: Http) -> None:
    response = await http.client.get("/test/items/", params={"total": 45, "page": 4})
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


async def test_a_real_list_paginates_the_same_way(http: Http) -> None:
    # Given three users (admin, hr, user) and pages of two
    response = await http.client.get(
        "/api/users/", params={"page_size": 2}, headers=http.auth("admin")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["count"], len(body["results"]), body["previous"]) == (3, 2, None)
    assert body["next"].startswith(f"{BASE}/api/users/?")
    rest = (await http.client.get(body["next"], headers=http.auth("admin"))).json()
    assert (len(rest["results"]), rest["next"]) == (1, None)
    ids = [u["id"] for u in body["results"] + rest["results"]]
    assert sorted(ids) == sorted(http.user_ids.values())
