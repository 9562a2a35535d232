"""Signatures verify with the standardwebhooks package; one attempt against real receivers."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from service.alerts.deliver import post_signed
from service.alerts.retry import DEFAULT_SCHEDULE, judge_attempt
from service.alerts.sign import generate_secret, signature_headers
from service.config import Settings
from service.feeds.fetch import create_http_session
from service.netguard import AddressPolicy
from tests.feedserver import loopback_app

BODY = '{"type":"alert.divergence","data":{"id":"a1"}}'


def test_signature_verifies_and_tampering_fails():
    secret = generate_secret()
    assert secret.startswith("whsec_")
    now = datetime.now(UTC)
    headers = signature_headers("msg_1", now, BODY, [secret])
    assert Webhook(secret).verify(BODY, headers) == {"type": "alert.divergence", "data": {"id": "a1"}}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("a1", "a2"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(BODY, headers)
    old = signature_headers("msg_1", now - timedelta(minutes=10), BODY, [secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, old)  # too old: replay protection


def test_rotation_signs_with_both_secrets():
    new, old = generate_secret(), generate_secret()
    headers = signature_headers("msg_2", datetime.now(UTC), BODY, [new, old])
    assert headers["webhook-signature"].count("v1,") == 2
    Webhook(new).verify(BODY, headers)
    Webhook(old).verify(BODY, headers)


@pytest.mark.parametrize(
    ("attempt", "status", "retry_after", "outcome", "low", "high"),
    [
        (1, 200, None, "succeeded", None, None),
        (1, 204, None, "succeeded", None, None),
        (1, 500, None, "retry", 4.5, 5.5),
        (2, None, None, "retry", 270, 330),
        (1, 301, None, "retry", 4.5, 5.5),
        (1, 429, timedelta(seconds=60), "retry", 60, 60),
        (1, 503, timedelta(days=3), "retry", 3600, 3600),
        (8, 500, None, "failed", None, None),
        (3, 410, None, "gone", None, None),
    ],
)
def test_retry_schedule(attempt, status, retry_after, outcome, low, high):
    verdict = judge_attempt(attempt=attempt, status=status, error=None if status else "timeout",
                            retry_after=retry_after, rng=random.Random(1))
    assert verdict.outcome == outcome
    if low is not None:
        assert low <= verdict.delay.total_seconds() <= high
    assert sum(d.total_seconds() for d in DEFAULT_SCHEDULE) > 24 * 3600  # about a day


@pytest.fixture
async def receiver():
    got: list[tuple[dict[str, str], str]] = []
    script: list[web.Response] = []

    async def handle(request: web.Request) -> web.StreamResponse:
        got.append((dict(request.headers), await request.text()))
        return script.pop(0) if script else web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", handle)
    async with loopback_app(app) as base_url:
        yield f"{base_url}/hook", got, script


async def attempt(url, policy, secret="whsec_" + "A" * 43):
    settings = Settings(database_url="sqlite:///x.db")
    session = create_http_session(settings, policy)
    try:
        return await post_signed(session, url, msg_id="msg_x", body=BODY, signing_secrets=[secret],
                                 policy=policy, time_limit=timedelta(seconds=3),
                                 now=datetime.now(UTC), user_agent="alignwatch-test")
    finally:
        await session.close()


async def test_a_delivery_reaches_a_receiver_that_verifies_it(receiver):
    url, got, _ = receiver
    secret = generate_secret()
    result = await attempt(url, AddressPolicy(allow_loopback=True), secret)
    assert result.status == 204 and result.error is None
    headers, body = got[0]
    Webhook(secret).verify(body, headers)
    assert headers["webhook-id"] == "msg_x" and headers["Content-Type"] == "application/json"


async def test_redirects_are_not_followed_and_retry_after_is_read(receiver):
    url, got, script = receiver
    script.append(web.Response(status=302, headers={"Location": "http://169.254.169.254/"}))
    script.append(web.Response(status=429, headers={"Retry-After": "30"}))
    redirected = await attempt(url, AddressPolicy(allow_loopback=True))
    assert redirected.status == 302 and len(got) == 1
    limited = await attempt(url, AddressPolicy(allow_loopback=True))
    assert limited.status == 429 and limited.retry_after == timedelta(seconds=30)


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/hook", "http://10.0.0.8/hook",
                                    "http://169.254.169.254/latest/meta-data",
                                    "http://[::1]:9/hook", "http://localhost:9/hook",
                                    "ftp://example.com/hook"])
async def test_private_targets_are_refused(target):
    result = await attempt(target, AddressPolicy())
    assert result.status is None and result.error.startswith(("blocked", "invalid URL"))
