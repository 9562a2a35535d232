"""fetch_feed against a real HTTP server on loopback."""

from datetime import timedelta

import pytest

from service.config import Settings
from service.feeds.fetch import create_http_session, fetch_feed
from service.netguard import AddressPolicy
from tests.feedserver import Reply

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"
LOOPBACK_OK = AddressPolicy(allow_private=True)


@pytest.fixture
def settings(tmp_path):
    return Settings(database_url=f"sqlite:///{tmp_path}/x.db", fetch_max_bytes=64 * 1024,
                    fetch_total_timeout=timedelta(seconds=2), fetch_read_timeout=timedelta(seconds=1),
                    fetch_max_redirects=3)


@pytest.fixture
async def http(settings):
    session = create_http_session(settings, LOOPBACK_OK)
    yield session
    await session.close()


async def fetch(http, settings, url, policy=LOOPBACK_OK, **kw):
    return await fetch_feed(http, url, settings=settings, policy=policy, **kw)


async def test_conditional_get_sends_validators_and_gets_304(feed_server, http, settings):
    url = feed_server.set("/f.xml", Reply(body=RSS, etag='"v1"',
                                          last_modified="Fri, 09 Oct 2026 12:00:00 GMT"))
    first = await fetch(http, settings, url)
    assert first.status == 200 and first.body == RSS and first.etag == '"v1"'
    second = await fetch(http, settings, url, etag=first.etag, last_modified=first.last_modified)
    assert second.status == 304 and second.not_modified and second.body is None
    sent = feed_server.hits("/f.xml")[1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Fri, 09 Oct 2026 12:00:00 GMT"
    assert sent["User-Agent"].startswith("alignwatch/")


async def test_gzip_body_is_decoded(feed_server, http, settings):
    url = feed_server.set("/z.xml", Reply(body=RSS, gzip=True))
    result = await fetch(http, settings, url)
    assert result.body == RSS
    assert "gzip" in feed_server.hits("/z.xml")[0].headers["Accept-Encoding"]


async def test_429_is_rate_limited_with_retry_after(feed_server, http, settings):
    url = feed_server.set("/busy", Reply(status=429, headers={"Retry-After": "120"}))
    result = await fetch(http, settings, url)
    assert result.error_kind == "rate_limited"
    assert result.headers["Retry-After"] == "120"


@pytest.mark.parametrize(("status", "kind"), [(410, "gone"), (503, "unavailable"),
                                              (500, "http_error"), (404, "http_error")])
async def test_error_statuses_are_classified(feed_server, http, settings, status, kind):
    url = feed_server.set("/e", Reply(status=status))
    result = await fetch(http, settings, url)
    assert (result.status, result.error_kind) == (status, kind)


async def test_permanent_redirect_is_reported_and_temporary_is_not(feed_server, http, settings):
    feed_server.set("/new.xml", Reply(body=RSS))
    moved = feed_server.set("/old.xml", Reply(status=301, headers={"Location": "/new.xml"}))
    temp = feed_server.set("/tmp.xml", Reply(status=302, headers={"Location": "/new.xml"}))
    mixed = feed_server.set("/mixed.xml", Reply(status=308, headers={"Location": "/tmp.xml"}))
    assert (await fetch(http, settings, moved)).moved_to == feed_server.url("/new.xml")
    assert (await fetch(http, settings, temp)).moved_to is None
    result = await fetch(http, settings, mixed)
    assert result.body == RSS and result.moved_to is None  # a chain with a 302 is not permanent


async def test_redirect_loop_stops(feed_server, http, settings):
    loop = feed_server.set("/a", Reply(status=302, headers={"Location": "/a"}))
    result = await fetch(http, settings, loop)
    assert result.error_kind == "too_many_redirects"
    assert len(feed_server.hits("/a")) == settings.fetch_max_redirects + 1


async def test_oversized_body_is_cut_off(feed_server, http, settings):
    big = b"<rss>" + b"x" * (settings.fetch_max_bytes + 10) + b"</rss>"
    declared = feed_server.set("/big", Reply(body=big))
    streamed = feed_server.set("/big-gz", Reply(body=big, gzip=True))  # small on the wire
    for url in (declared, streamed):
        result = await fetch(http, settings, url)
        assert result.error_kind == "too_large", url
        assert result.body is None


async def test_slow_server_times_out(feed_server, http, settings):
    hung = feed_server.set("/hung", Reply(body=RSS, delay=5))
    drip = feed_server.set("/drip", Reply(body=RSS * 10, drip=0.2))  # one byte every 0.2 s
    for url in (hung, drip):
        result = await fetch(http, settings, url)
        assert result.error_kind == "timeout", url
        assert result.elapsed < 4


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "169.254.169.254", "10.1.2.3",
                                  "[::1]", "[::ffff:127.0.0.1]"])
async def test_private_targets_are_refused_without_the_setting(feed_server, settings, host):
    strict = AddressPolicy()
    session = create_http_session(settings, strict)
    try:
        port = feed_server.port
        result = await fetch(session, settings, f"http://{host}:{port}/f.xml", policy=strict)
    finally:
        await session.close()
    assert result.error_kind == "blocked_address", result.error_message
    assert feed_server.requests == []


async def test_non_http_schemes_are_refused(http, settings):
    result = await fetch(http, settings, "file:///etc/passwd")
    assert result.error_kind == "invalid_url"
