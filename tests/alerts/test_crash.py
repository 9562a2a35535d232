"""``kill -9`` of the service in the middle of deliveries, then a restart: nothing is lost.

Delivery is at-least-once (``service.alerts.outbox``): a receiver may see a message twice,
with the same ``webhook-id`` (its idempotency key), but never miss one. Real processes on
loopback: a feed server, ``alignwatch serve`` (killed with SIGKILL, then started again on
the same database) and a slow receiver in this process that records what arrives.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from standardwebhooks import Webhook

from tests.alerts.test_alerts import rss
from tests.conftest import write_feeds_yml
from tests.feedserver import FeedServer, Reply, loopback_app
from tests.processes import run_cli, serving, wait_for

GOODS = ["automobiles", "auto parts", "steel", "aluminum", "machine tools", "industrial robots",
         "optical lenses", "ball bearings", "motorcycles", "construction machinery",
         "electric motors", "lithium batteries", "printers", "cameras", "ceramic capacitors",
         "forklifts", "rail cars", "ship engines", "solar panels", "excavators"]
FIRMS = ["Hoshino Precision", "Kansai Optics", "Tanaka Materials", "Nagoya Electronics",
         "Sendai Photonics", "Ishikawa Devices", "Okinawa Microsystems", "Sapporo Semicon",
         "Kobe Instruments", "Fukuoka Robotics"]
RECEIVER_DELAY = 0.25  # seconds the receiver takes to answer, so the kill lands mid-delivery
KILL_AFTER = 4  # distinct messages received before the kill


def diverging_items() -> list[tuple[str, str, str, str]]:
    """30 items the classifier calls diverging (US tariffs on Japan, Entity List additions)."""
    tariffs = [(f"tariff-{n}", f"Thu, {n + 1:02d} May 2025 04:00:00 GMT",
                f"President Imposes 25 Percent Tariffs on Imported {good.title()} Including From Japan",
                f"A proclamation under Section 232 imposes a 25 percent tariff on imported {good}; "
                "Japan's request for an exemption was not granted.")
               for n, good in enumerate(GOODS)]
    entities = [(f"entity-{n}", f"Mon, {n + 1:02d} Jun 2025 04:00:00 GMT",
                 f"Commerce Adds Japanese Firm {firm} to the Entity List",
                 f"The Bureau of Industry and Security adds {firm}, a company headquartered in "
                 "Japan, to the Entity List, restricting exports of US technology to the firm.")
                for n, firm in enumerate(FIRMS)]
    return tariffs + entities


@dataclass
class Message:
    headers: dict[str, str]
    body: str
    alert_id: str


@dataclass
class SlowReceiver:
    url: str = ""
    got: list[Message] = field(default_factory=list)
    enough: asyncio.Event = field(default_factory=asyncio.Event)

    def alert_ids(self) -> set[str]:
        return {m.alert_id for m in self.got}


@pytest.fixture
async def slow_receiver() -> AsyncIterator[SlowReceiver]:
    """Records each message as it arrives (the receiver has it), then answers slowly."""
    state = SlowReceiver()

    async def handle(request: web.Request) -> web.Response:
        body = await request.text()
        alert_id = json.loads(body)["data"]["alert"]["id"]
        state.got.append(Message(dict(request.headers), body, alert_id))
        if len(state.alert_ids()) >= KILL_AFTER:
            state.enough.set()
        await asyncio.sleep(RECEIVER_DELAY)
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", handle)
    async with loopback_app(app) as base_url:
        state.url = f"{base_url}/hook"
        yield state


async def all_alerts(client: httpx.AsyncClient, base_url: str, key: str) -> list[dict[str, Any]]:
    alerts: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 200}
    while True:
        page = (await client.get(f"{base_url}/v1/alerts", params=params,
                                 headers={"Authorization": f"Bearer {key}"})).json()
        alerts += page["items"]
        if not page["next_cursor"]:
            return alerts
        params["cursor"] = page["next_cursor"]


@pytest.mark.slow
async def test_kill_9_mid_delivery_then_restart_loses_nothing(
    tmp_path: Path, database_url: str, feed_server: FeedServer, slow_receiver: SlowReceiver
) -> None:
    started = time.monotonic()
    items = diverging_items()
    feed = feed_server.set("/news", Reply(body=rss(*items)))
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", [{"id": "wh", "url": feed,
                                                           "name": "White House news"}])
    settings = {"database_url": database_url, "feeds_file": str(feeds_file),
                "allow_private_feeds": "true", "allow_loopback_webhooks": "true",
                "alert_min_confidence": "0", "webhook_lease": "3", "webhook_per_endpoint": "2",
                "poll_tick": "1", "feeds_watch": "false", "log_format": "json"}
    created = await run_cli("keys", "create", "--scope", "admin", "--name", "crash-test",
                            cwd=tmp_path, **settings)
    assert created.code == 0, created.stderr
    key = created.stdout.splitlines()[0].strip()
    auth = {"Authorization": f"Bearer {key}"}

    async with httpx.AsyncClient(timeout=10) as client:
        async with serving(cwd=tmp_path, **settings) as first:
            made = await client.post(f"{first.base_url}/v1/subscriptions", headers=auth,
                                     json={"url": slow_receiver.url})
            assert made.status_code == 201, made.text
            secret = made.json()["secret"]
            await asyncio.wait_for(slow_receiver.enough.wait(), 30)
            first.process.kill()  # SIGKILL: no shutdown, leases and in-flight POSTs abandoned
            await first.process.wait()
            at_kill = slow_receiver.alert_ids()
        assert first.process.returncode == -9, first.log()

        async with serving(cwd=tmp_path, **settings) as second:
            alerts = await all_alerts(client, second.base_url, key)
            expected = {a["id"] for a in alerts}
            assert sum(a["kind"] == "item.diverging" for a in alerts) == len(items)
            assert at_kill < expected, "the kill must land after some deliveries, before all"

            async def everything_received() -> bool:
                return slow_receiver.alert_ids() >= expected

            await wait_for(everything_received, timeout=30)

            async def outbox_empty() -> bool:
                pending = await client.get(f"{second.base_url}/v1/subscriptions/{made.json()['id']}"
                                           "/deliveries", params={"status": "pending"}, headers=auth)
                return pending.json()["items"] == []

            await wait_for(outbox_empty, timeout=15)

    assert slow_receiver.alert_ids() == expected  # nothing lost, nothing invented
    first_seen: dict[str, Message] = {}
    for message in slow_receiver.got:
        Webhook(secret).verify(message.body, message.headers)
        earlier = first_seen.setdefault(message.alert_id, message)
        # A duplicate is the same message again: same webhook-id, same signed body.
        assert message.headers["webhook-id"] == earlier.headers["webhook-id"]
        assert message.body == earlier.body
    assert len({m.headers["webhook-id"] for m in first_seen.values()}) == len(expected)
    assert time.monotonic() - started < 60
