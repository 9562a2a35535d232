"""Listing items: cursor pagination, filters, and problem responses for bad input."""

from __future__ import annotations

from tests.conftest import write_feeds_yml
from tests.feedserver import Reply

PROBLEM = "application/problem+json"


def feed(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{title}</title><link>https://example.gov/{guid}</link><guid>{guid}</guid>"
        f"<pubDate>{date}</pubDate></item>" for guid, (title, date) in
        ((t.split("|")[0], (t.split("|")[1], d)) for t, d in items)
    )
    return f"<rss version='2.0'><channel><title>x</title>{body}</channel></rss>".encode()


async def seeded(api, feed_server, api_feeds_file):
    us = feed_server.set("/us", Reply(body=feed(
        ("u1|US one", "Mon, 05 Oct 2026 10:00:00 GMT"),
        ("u2|US two", "Tue, 06 Oct 2026 10:00:00 GMT"),
        ("u3|US three", "Wed, 07 Oct 2026 10:00:00 GMT"))))
    jp = feed_server.set("/jp", Reply(body=feed(
        ("j1|JP one", "Tue, 06 Oct 2026 10:00:00 GMT"),
        ("j2|JP two", "Thu, 08 Oct 2026 10:00:00 GMT"))))
    write_feeds_yml(api_feeds_file, [{"id": "us", "url": us},
                                     {"id": "jp", "url": jp, "country": "JP"}])
    await api.post("/v1/admin/reload")
    await api.runtime.poll_and_process()


async def test_pages_cover_everything_once_newest_first(api, feed_server, api_feeds_file):
    await seeded(api, feed_server, api_feeds_file)
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await api.get("/v1/items", params=params)).json()
        seen += [item["title"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["JP two", "US three", "JP one", "US two", "US one"] or \
        seen == ["JP two", "US three", "US two", "JP one", "US one"]
    assert len(set(seen)) == 5


async def test_filters_by_feed_country_and_time(api, feed_server, api_feeds_file):
    await seeded(api, feed_server, api_feeds_file)

    async def titles(**params):
        return {i["title"] for i in (await api.get("/v1/items", params=params)).json()["items"]}

    assert await titles(feed="jp") == {"JP one", "JP two"}
    assert await titles(country="US") == {"US one", "US two", "US three"}
    assert await titles(**{"from": "2026-10-06T00:00:00Z", "to": "2026-10-07T00:00:00Z"}) == \
        {"US two", "JP one"}
    one = (await api.get("/v1/items", params={"feed": "us", "limit": 1})).json()["items"][0]
    assert (await api.get(f"/v1/items/{one['id']}")).json()["feeds"] == ["us"]


async def test_bad_input_gets_problem_responses(api):
    bad_cursor = await api.get("/v1/items", params={"cursor": "not-a-cursor"})
    assert bad_cursor.status_code == 400
    assert bad_cursor.headers["content-type"].startswith(PROBLEM)
    assert bad_cursor.json()["type"].endswith("/invalid-cursor")
    bad_country = await api.get("/v1/items", params={"country": "usa", "limit": 0})
    assert bad_country.status_code == 422
    fields = {e["field"] for e in bad_country.json()["errors"]}
    assert fields == {"query.country", "query.limit"}
    backwards = await api.get("/v1/items", params={"from": "2026-10-08T00:00:00Z",
                                                   "to": "2026-10-01T00:00:00Z"})
    assert backwards.status_code == 400
    missing = await api.get("/v1/items/999999")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/item-not-found")
    assert "Traceback" not in missing.text
