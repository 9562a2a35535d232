"""Alerts end to end: rules, one alert per cause, signed durable delivery, retries, retraction."""

from __future__ import annotations

import json
from datetime import timedelta

import feedparser
import pytest
from sqlalchemy import select, update
from standardwebhooks import Webhook

from service.db.models import Delivery, ItemEvent, Subscription
from service.timeutil import utcnow
from tests.conftest import write_feeds_yml
from tests.feedserver import Reply

LOOPBACK = pytest.mark.parametrize(
    "api", [{"allow_loopback_webhooks": True, "alert_min_confidence": 0.0}], indirect=True)

TARIFF = ("t1", "Thu, 03 Apr 2025 04:00:00 GMT",
          "President Imposes 25 Percent Tariffs on Imported Automobiles Including From Japan",
          "A proclamation under Section 232 imposes a 25 percent tariff on imported passenger "
          "vehicles and parts; Japan's request for an exemption was not granted.")


def rss(*items) -> bytes:
    body = "".join(f"<item><title>{t}</title><link>https://example.gov/{g}</link><guid>{g}</guid>"
                   f"<pubDate>{d}</pubDate><description>{s}</description></item>"
                   for g, d, t, s in items)
    return f"<rss version='2.0'><channel><title>x</title>{body}</channel></rss>".encode()


async def subscribe(api, url, **body):
    response = await api.post("/v1/subscriptions", json={"url": url} | body)
    assert response.status_code == 201, response.text
    return response.json()


async def ingest(api, feed_server, api_feeds_file, *items):
    url = feed_server.set("/wh", Reply(body=rss(*items)))
    write_feeds_yml(api_feeds_file, [{"id": "wh", "url": url, "name": "White House news"}])
    await api.post("/v1/admin/reload")
    await api.runtime.poll_and_process()


async def make_due(api):
    async with api.runtime.db.begin() as session:
        await session.execute(update(Delivery).values(next_attempt_at=utcnow()))


@LOOPBACK
async def test_a_diverging_item_alerts_once_and_arrives_signed(api, receiver, feed_server,
                                                               api_feeds_file):
    sub = await subscribe(api, receiver.url, kinds=["item.diverging"])
    assert sub["secret"].startswith("whsec_")
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    await api.runtime.deliverer.drain()
    assert len(receiver.got) == 1
    message = Webhook(sub["secret"]).verify(receiver.got[0].body, receiver.got[0].headers)
    assert message["type"] == "alignwatch.item.diverging"
    assert message["sequence"] == 1 and message["subscription_id"] == sub["id"]
    assert message["data"]["item"]["title"].startswith("President Imposes")
    assert message["data"]["classification"]["labels"]["stance"] == "diverging"
    # Processing the item again (a re-queue) does not alert again.
    async with api.runtime.db.begin() as session:
        item_id = message["data"]["item"]["id"]
        session.add(ItemEvent(item_id=item_id, revision=1, reason="reclassify",
                              created_at=utcnow(), available_at=utcnow()))
    await api.runtime.process_pending()
    await api.runtime.deliverer.drain()
    assert len(receiver.got) == 1
    assert len((await api.get("/v1/alerts")).json()["items"]) == 1
    assert "secret" not in (await api.get(f"/v1/subscriptions/{sub['id']}", key=api.admin_key)).json()


@LOOPBACK
async def test_a_receiver_that_is_down_gets_everything_when_back(api, receiver, feed_server,
                                                                 api_feeds_file):
    sub = await subscribe(api, receiver.url, kinds=["item.diverging"])
    receiver.script = [(503, {}), (500, {})]
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    await api.runtime.deliverer.drain()
    assert receiver.got == []
    async with api.runtime.db.read() as session:
        (delivery,) = (await session.execute(select(Delivery))).scalars().all()
    assert delivery.status == "pending" and delivery.next_attempt_at > utcnow()
    for _ in range(2):
        await make_due(api)
        await api.runtime.deliverer.drain()
    assert len(receiver.got) == 1
    history = (await api.get(f"/v1/subscriptions/{sub['id']}/deliveries", key=api.admin_key)).json()
    (entry,) = history["items"]
    assert [h["status_code"] for h in entry["history"]] == [503, 500, 204]
    assert entry["status"] == "succeeded" and entry["webhook_id"] == receiver.got[0].headers["webhook-id"]


@LOOPBACK
async def test_410_disables_the_subscription_and_reenabling_resumes(api, receiver, feed_server,
                                                                    api_feeds_file):
    sub = await subscribe(api, receiver.url, kinds=["item.diverging"])
    receiver.script = [(410, {})]
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    await api.runtime.deliverer.drain()
    shown = (await api.get(f"/v1/subscriptions/{sub['id']}", key=api.admin_key)).json()
    assert shown["enabled"] is False and "410" in shown["disabled_reason"]
    events = (await api.get("/v1/operations/events", key=api.admin_key)).json()["items"]
    assert events[0]["kind"] == "subscription.disabled" and events[0]["subject"] == sub["id"]
    await api.runtime.deliverer.drain()
    assert receiver.got == []
    patched = await api.client.patch(f"/v1/subscriptions/{sub['id']}", headers=api.auth(api.admin_key),
                                     json={"enabled": True})
    assert patched.json()["enabled"] is True
    await api.runtime.deliverer.drain()
    assert len(receiver.got) == 1


@LOOPBACK
async def test_429_retry_after_is_honoured(api, receiver, feed_server, api_feeds_file):
    await subscribe(api, receiver.url, kinds=["item.diverging"])
    receiver.script = [(429, {"Retry-After": "120"})]
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    before = utcnow()
    await api.runtime.deliverer.drain()
    async with api.runtime.db.read() as session:
        (delivery,) = (await session.execute(select(Delivery))).scalars().all()
    assert delivery.next_attempt_at >= before + timedelta(seconds=119)
    assert delivery.last_status_code == 429


@LOOPBACK
async def test_a_correction_retracts_the_alert_it_caused(api, receiver, feed_server, api_feeds_file):
    sub = await subscribe(api, receiver.url, kinds=["item.diverging"])
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    await api.runtime.deliverer.drain()
    first = json.loads(receiver.got[0].body)
    item_id = first["data"]["item"]["id"]
    patch = await api.client.patch(f"/v1/items/{item_id}/classification",
                                   headers=api.auth(api.admin_key), json={"stance": "neutral"})
    assert patch.status_code == 200
    await api.runtime.process_pending()
    await api.runtime.deliverer.drain()
    assert len(receiver.got) == 2
    retraction = Webhook(sub["secret"]).verify(receiver.got[1].body, receiver.got[1].headers)
    assert retraction["type"] == "alignwatch.alert.retracted"
    assert retraction["data"]["alert"]["retracts"] == first["data"]["alert"]["id"]
    assert retraction["sequence"] == 2


@LOOPBACK
async def test_rotation_signs_with_old_and_new_secrets(api, receiver, feed_server, api_feeds_file):
    sub = await subscribe(api, receiver.url, kinds=["item.diverging"])
    rotated = await api.client.patch(f"/v1/subscriptions/{sub['id']}",
                                     headers=api.auth(api.admin_key), json={"rotate_secret": True})
    new_secret = rotated.json()["secret"]
    assert new_secret != sub["secret"] and rotated.json()["secret_rotating_until"]
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    await api.runtime.deliverer.drain()
    got = receiver.got[0]
    Webhook(new_secret).verify(got.body, got.headers)
    Webhook(sub["secret"]).verify(got.body, got.headers)


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/hook", "http://10.0.0.5/hook",
                                    "http://169.254.169.254/latest/", "http://[::1]/hook",
                                    "http://localhost/hook", "file:///etc/passwd"])
async def test_ssrf_targets_are_refused(api, target):
    response = await api.post("/v1/subscriptions", json={"url": target})
    assert response.status_code == 400
    assert response.json()["type"].endswith("/invalid-webhook-target")
    assert (await api.post("/v1/subscriptions", key=api.read_key, json={"url": target})).status_code == 403


@LOOPBACK
async def test_alerts_are_listed_and_published_as_atom(api, receiver, feed_server, api_feeds_file):
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    listing = (await api.get("/v1/alerts", params={"kind": "item.diverging"})).json()
    assert len(listing["items"]) == 1
    atom = await api.get("/v1/alerts.atom")
    assert atom.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(atom.content)
    assert parsed.entries[0].title == listing["items"][0]["title"]
    assert parsed.entries[0].link == "https://example.gov/t1"


@LOOPBACK
async def test_no_subscription_no_delivery_and_filters_apply(api, receiver, feed_server,
                                                             api_feeds_file):
    await subscribe(api, receiver.url, kinds=["item.diverging"], domains=["sanctions"])
    await ingest(api, feed_server, api_feeds_file, TARIFF)
    await api.runtime.deliverer.drain()
    assert receiver.got == []
    async with api.runtime.db.read() as session:
        assert (await session.execute(select(Subscription))).scalars().one().sequence == 0
