"""Operations: metrics, request ids, body limits, key administration, rate limits."""

from __future__ import annotations

import pytest

from tests.conftest import write_feeds_yml
from tests.feeds.test_poller import DESC, rss
from tests.feedserver import Reply


async def test_metrics_report_polls_items_and_requests(api, feed_server, api_feeds_file):
    ok = feed_server.set("/ok", Reply(body=rss(("a", "A", DESC), ("b", "B", DESC + " b"))))
    bad = feed_server.set("/bad", Reply(status=503))
    write_feeds_yml(api_feeds_file, [{"id": "ok", "url": ok}, {"id": "bad", "url": bad}])
    await api.post("/v1/admin/reload")
    await api.runtime.poll_and_process()
    await api.get("/v1/feeds")
    assert (await api.client.get("/metrics")).status_code == 401
    text = (await api.get("/metrics")).text
    assert 'alignwatch_polls_total{result="ok"} 1.0' in text
    assert 'alignwatch_feed_errors_total{kind="unavailable"} 1.0' in text
    assert 'alignwatch_items_ingested_total{change="new"} 2.0' in text
    assert "alignwatch_pipeline_queue_depth 0.0" in text
    assert 'alignwatch_feeds{status="failing"} 1.0' in text
    assert ('alignwatch_http_request_duration_seconds_count'
            '{method="GET",route="/v1/feeds",status="200"}') in text
    assert "alignwatch_items_classified{" in text


async def test_request_ids_are_returned_and_kept_when_sane(api):
    fresh = await api.client.get("/healthz")
    assert len(fresh.headers["x-request-id"]) == 32
    kept = await api.client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    assert kept.headers["x-request-id"] == "trace-42"
    replaced = await api.client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert replaced.headers["x-request-id"] != "bad id\nwith newline"


@pytest.mark.parametrize("api", [{"api_max_body_bytes": 2048}], indirect=True)
async def test_oversized_bodies_get_413(api):
    response = await api.client.patch("/v1/items/1/classification", headers=api.auth(api.admin_key),
                                      content=b'{"note": "' + b"x" * 5000 + b'"}',
                                      )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_keys_are_created_listed_and_revoked_over_the_api(api):
    created = await api.post("/v1/keys", json={"name": "dashboard", "scope": "read"})
    assert created.status_code == 201
    key = created.json()["key"]
    assert (await api.get("/v1/feeds", key=key)).status_code == 200
    listing = (await api.get("/v1/keys", key=api.admin_key)).json()["items"]
    assert {k["name"] for k in listing} >= {"dashboard"} and all("key" not in k for k in listing)
    revoked = await api.client.delete(f"/v1/keys/{created.json()['id']}", headers=api.auth(api.admin_key))
    assert revoked.json()["revoked_at"] is not None
    assert (await api.get("/v1/feeds", key=key)).status_code == 401
    assert (await api.post("/v1/keys", key=key, json={"name": "x", "scope": "admin"})).status_code == 401


@pytest.mark.parametrize("api", [{"rate_limit_read": "3/minute", "rate_limit_auth_failures": "2/minute"}],
                         indirect=True)
async def test_rate_limits_answer_429_with_retry_after(api):
    for _ in range(3):
        assert (await api.get("/v1/feeds")).status_code == 200
    limited = await api.get("/v1/feeds")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["type"].endswith("/rate-limited")
    for _ in range(2):
        assert (await api.get("/v1/feeds", key="aw_read_" + "z" * 40)).status_code == 401
    blocked = await api.get("/v1/feeds", key="aw_read_" + "y" * 40)
    assert blocked.status_code == 429


async def test_keys_never_reach_the_logs(api, capsys):
    secret = "aw_read_" + "Q" * 40
    await api.get("/v1/feeds", key=secret)
    await api.get("/v1/feeds")
    logged = "".join(capsys.readouterr())
    assert "auth_failed" in logged and "unknown_or_revoked" in logged
    assert secret not in logged and api.read_key not in logged
