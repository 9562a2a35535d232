"""Feeds, health, reload and auth over the HTTP API."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import write_feeds_yml
from tests.feeds.test_poller import DESC, rss
from tests.feedserver import Reply

PROBLEM = "application/problem+json"


async def test_reads_need_a_key_and_writes_need_admin(api):
    anonymous = await api.client.get("/v1/feeds")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith(PROBLEM)
    assert anonymous.json()["type"].endswith("/unauthorized")
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    bogus = await api.client.get("/v1/feeds", headers=api.auth("aw_read_" + "x" * 40))
    assert bogus.status_code == 401
    assert (await api.get("/v1/feeds")).status_code == 200
    forbidden = await api.post("/v1/admin/reload", key=api.read_key)
    assert forbidden.status_code == 403 and forbidden.json()["type"].endswith("/forbidden")
    assert (await api.post("/v1/admin/reload")).status_code == 200


async def test_feed_health_after_polls(api, feed_server, api_feeds_file):
    ok = feed_server.set("/ok", Reply(body=rss(("a", "A", DESC))))
    bad = feed_server.set("/bad", Reply(status=500))
    write_feeds_yml(api_feeds_file, [{"id": "ok", "url": ok}, {"id": "bad", "url": bad}])
    assert (await api.post("/v1/admin/reload")).json()["added"] == ["bad", "ok"]
    await api.runtime.poll_and_process()
    body = (await api.get("/v1/feeds")).json()
    health = {f["id"]: f["health"] for f in body["items"]}
    assert health["ok"]["status"] == "ok" and health["ok"]["items_total"] == 1
    assert health["bad"]["status"] == "failing"
    assert health["bad"]["last_error_kind"] == "http_error"
    assert health["bad"]["consecutive_errors"] == 1
    assert health["bad"]["next_poll_at"].endswith("Z")
    assert body["config"]["error"] is None


async def test_a_bad_edit_keeps_the_last_good_config_and_shows_the_error(api, feed_server,
                                                                        api_feeds_file):
    ok = feed_server.set("/ok", Reply(body=rss(("a", "A", DESC))))
    write_feeds_yml(api_feeds_file, [{"id": "ok", "url": ok}])
    await api.post("/v1/admin/reload")
    api_feeds_file.write_text(api_feeds_file.read_text() + "- id: Bad Id\n  url: ftp://x\n")
    result = (await api.post("/v1/admin/reload")).json()
    assert result["applied"] is False
    problems = result["config"]["problems"]
    assert problems and all(p["line"] for p in problems)
    assert {p["field"] for p in problems} >= {"feeds[1].id", "feeds[1].url"}
    listing = (await api.get("/v1/feeds")).json()
    assert [f["id"] for f in listing["items"]] == ["ok"]  # still in force
    assert str(api_feeds_file.name) in listing["config"]["error"]


async def test_refresh_makes_a_disabled_feed_due_again(api, feed_server, api_feeds_file):
    gone = feed_server.set("/gone", Reply(status=410), Reply(body=rss(("a", "A", DESC))))
    write_feeds_yml(api_feeds_file, [{"id": "gone", "url": gone}])
    await api.post("/v1/admin/reload")
    await api.runtime.poll_and_process()
    assert (await api.get("/v1/feeds/gone")).json()["health"]["status"] == "disabled"
    assert (await api.post("/v1/feeds/gone/refresh")).status_code == 202
    await api.runtime.poll_and_process()
    assert (await api.get("/v1/feeds/gone")).json()["health"]["status"] == "ok"
    missing = await api.post("/v1/feeds/nope/refresh")
    assert missing.status_code == 404 and missing.json()["type"].endswith("/feed-not-found")


async def test_health_and_readiness(api):
    assert (await api.client.get("/healthz")).json() == {"status": "ok"}
    assert (await api.client.get("/readyz")).status_code == 200
    async with api.runtime.db.begin() as session:
        await session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    not_ready = await api.client.get("/readyz")
    assert not_ready.status_code == 503
    assert "migrations are pending" in not_ready.json()["detail"]


async def test_openapi_document_lists_the_endpoints(api):
    spec = (await api.client.get("/openapi.json")).json()
    assert {"/v1/feeds", "/v1/items", "/healthz", "/readyz"} <= set(spec["paths"])
