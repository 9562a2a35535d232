"""The dashboard in a real headless Chromium (Debian's) driven by Playwright, against the real
service: demo data with public reads, and keyed reads where the page asks for a key.

Nothing is installed from the internet: the test uses the ``playwright`` package's bundled
driver with the system's ``chromium`` and skips, saying why, when either is missing.
``.ci/run`` installs chromium, so CI runs it.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.app import create_app
from service.dashboard.routes import STATIC_DIR
from tests.conftest import make_settings, write_feeds_yml
from tests.processes import run_cli, serving, wait_for
from tests.test_serve import demo_entry_count

try:
    from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright
except ImportError:  # pragma: no cover - depends on the environment
    async_playwright = None

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ITEMS_SHOWN = 5  # as app.js shows
TIMEOUT_MS = 20_000


def chromium_path() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if async_playwright is None:
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        pytest.skip("no chromium at /usr/bin/chromium or on PATH (apt-get install chromium; .ci/run does)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


def as_displayed(value: float) -> str:
    """One decimal, as JavaScript's toFixed(1) rounds (half away from zero on the exact binary)."""
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def watch_console(page: Page) -> list[str]:
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors


def save_screenshot(png: bytes, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(png)
    extra = os.environ.get("ALIGNWATCH_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        (Path(extra) / name).write_bytes(png)
    return path


async def chart_data(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = await page.eval_on_selector("[data-testid=chart]", "el => ({...el.dataset})")
    return data


async def drawn_series_pixels(page: Page) -> int:
    """Pixels of the chart's canvas in the index line's colour: the series was drawn."""
    count: int = await page.eval_on_selector("[data-testid=chart] canvas", """canvas => {
        const {data} = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (Math.abs(data[i] - 29) < 24 && Math.abs(data[i + 1] - 78) < 24
                && Math.abs(data[i + 2] - 216) < 24 && data[i + 3] > 200) n++;
        }
        return n;
    }""")
    return count


async def test_dashboard_is_served_with_its_assets_and_no_outside_references(
        tmp_path, sqlite_url, asgi_client_factory):
    app = create_app(make_settings(sqlite_url, write_feeds_yml(tmp_path / "feeds.yml", [])))
    async with asgi_client_factory(app) as client:
        page = await client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        policy = page.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy
        # Every asset the page names is local and served (offline, behind a firewall).
        assets = re.findall(r'(?:src|href)="([^"#]+)"', page.text)
        assert "/static/vendor/uplot/uPlot.iife.min.js" in assets and "/static/app.js" in assets
        for asset in assets:
            assert asset.startswith("/"), f"{asset} is not on this origin"
            if asset.startswith("/v1/") or asset == "/docs":
                continue
            response = await client.get(asset)
            assert response.status_code == 200, asset
        for module in sorted(STATIC_DIR.glob("*.js")):  # app.js and the modules it imports
            script = await client.get(f"/static/{module.name}")
            assert "javascript" in script.headers["content-type"]
            assert not re.search(r"https?://", script.text), f"{module.name} must call this origin only"
        assert (await client.get("/static/nothing.js")).status_code == 404
        assert (await client.get("/static/..%2froutes.py")).status_code == 404
        paths = (await client.get("/openapi.json")).json()["paths"]
        assert "/" not in paths and not any(p.startswith("/static") for p in paths)


@pytest.mark.browser
@pytest.mark.slow
async def test_dashboard_shows_the_demo_index_items_and_feeds(tmp_path, browser):
    expected_items = demo_entry_count()
    async with serving("--demo", cwd=tmp_path) as server, \
            httpx.AsyncClient(base_url=server.base_url) as api:

        async def pipeline_done():
            items = (await api.get("/v1/items", params={"limit": 500})).json()["items"]
            if len(items) != expected_items or not all(i["classification"] for i in items):
                return False
            return bool((await api.get("/v1/alerts")).json()["items"])

        await wait_for(pipeline_done, timeout=40)
        versions: list[int] = []

        async def index_settled():  # the last batch's deferred index replay has run
            versions.append((await api.get("/v1/index")).json()["version"])
            await asyncio.sleep(1.0)
            return len(versions) >= 2 and versions[-1] == versions[-2]

        await wait_for(index_settled, timeout=30)
        index = (await api.get("/v1/index")).json()
        history = (await api.get("/v1/index/history", params={"interval": "week", "limit": 5000})).json()
        diverging = (await api.get("/v1/items", params={
            "relevant": "true", "stance": "diverging", "limit": ITEMS_SHOWN})).json()["items"]
        feeds = (await api.get("/v1/feeds")).json()["items"]
        assert diverging and feeds and history["next_cursor"] is None

        page = await browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        errors = watch_console(page)
        response = await page.goto(server.base_url + "/")
        assert response is not None and response.ok
        assert "'self'" in response.headers["content-security-policy"]
        await page.wait_for_selector("body[data-state=ready]", timeout=TIMEOUT_MS)
        await page.wait_for_selector("[data-testid=explain-item]", timeout=TIMEOUT_MS)

        # The chart: drawn, and its series is the API's whole weekly history.
        chart = await chart_data(page)
        assert int(chart["points"]) == len(history["items"])
        assert chart["first"] == history["items"][0]["date"] == "2017-01-01"
        assert chart["last"] == history["items"][-1]["date"] == index["as_of"]
        assert int(chart["provisional"]) == sum(p["provisional"] for p in history["items"]) > 0
        assert await drawn_series_pixels(page) > 200

        # The current value, band and changes, rounded as shown.
        assert await page.text_content("[data-testid=current-value]") == as_displayed(index["value"])
        band = f"{as_displayed(index['band']['low'])}–{as_displayed(index['band']['high'])}"
        assert await page.text_content("[data-testid=current-band]") == band
        domain_rows = page.locator("[data-testid=domain-table] tbody tr")
        assert await domain_rows.count() == len(index["domains"]) == 8

        # The latest diverging items, newest first, each linking to its source.
        shown = page.locator("[data-testid=diverging-items] [data-testid=item]")
        assert [await shown.nth(i).get_attribute("data-item-id") for i in range(await shown.count())] \
            == [str(item["id"]) for item in diverging]
        first = shown.first
        assert await first.locator("a.title").text_content() == diverging[0]["title"]
        assert await first.locator("a.title").get_attribute("href") == diverging[0]["link"]
        labels = diverging[0]["classification"]["labels"]
        assert await first.locator("[data-testid=item-actor]").text_content() == labels["actor"]
        assert await first.locator(".evidence li").count() > 0
        assert await page.locator("[data-testid=converging-items] [data-testid=item]").count() > 0

        # Feed health: one row per feed, with the API's status and item count.
        rows = page.locator("[data-testid=feed-table] tbody tr")
        assert await rows.count() == len(feeds)
        for feed in feeds:
            row = page.locator(f"[data-testid=feed-row][data-feed-id='{feed['id']}']")
            assert await row.locator("[data-testid=feed-status]").text_content() == feed["health"]["status"]
            assert await row.locator("[data-testid=feed-items]").text_content() \
                == str(feed["health"]["items_total"])

        # The explanation of the shown period: the API's change for the same window.
        explained = (await api.get("/v1/index/explain", params={
            "from": chart["first"], "to": chart["last"]})).json()
        summary_change = await page.get_attribute("[data-testid=explain-summary]", "data-change")
        assert float(summary_change or "nan") == pytest.approx(explained["change"], abs=1e-9)
        assert await page.locator("[data-testid=alert-list] [data-testid=alert]").count() > 0

        screenshot = save_screenshot(await page.screenshot(full_page=True), tmp_path, "dashboard-demo.png")

        # Choosing a domain reloads the series, the value and the CSV link for it.
        async with page.expect_response(lambda r: "/v1/index/history" in r.url
                                        and "domain=export_controls" in r.url):
            await page.select_option("[data-testid=domain-select]", "export_controls")
        await page.wait_for_selector("[data-testid=chart][data-domain=export_controls]", timeout=TIMEOUT_MS)
        await page.wait_for_selector("body[data-state=ready]", timeout=TIMEOUT_MS)
        domain_history = (await api.get("/v1/index/history", params={
            "interval": "week", "domain": "export_controls", "limit": 5000})).json()["items"]
        chart = await chart_data(page)
        assert int(chart["points"]) == len(domain_history)
        domain_value = next(d["value"] for d in index["domains"] if d["domain"] == "export_controls")
        assert await page.text_content("[data-testid=current-value]") == as_displayed(domain_value)

        # The CSV link is the API's CSV of the series shown.
        href = await page.get_attribute("[data-testid=csv-link]", "href")
        assert href is not None and "domain=export_controls" in href and "format=csv" in href
        csv_response = await api.get(href)
        assert csv_response.headers["content-type"].startswith("text/csv")
        lines = csv_response.text.splitlines()
        assert lines[0].startswith("date,value,low,high")
        assert len(lines) == 1 + len(domain_history)
        async with page.expect_download() as download_info:
            await page.click("[data-testid=csv-link]")
        downloaded = await (await download_info.value).path()
        assert Path(downloaded).read_text().splitlines() == lines

        assert errors == [], "\n".join(errors)
        await page.close()
    assert screenshot.stat().st_size > 20_000


@pytest.mark.browser
@pytest.mark.slow
async def test_dashboard_asks_for_a_read_key_when_reads_are_keyed(tmp_path, browser):
    feeds_file = write_feeds_yml(tmp_path / "feeds.yml", [
        {"id": "quiet", "url": "http://127.0.0.1:9/feed.xml", "enabled": False}])
    settings = {"database_url": f"sqlite:///{tmp_path}/aw.db", "feeds_file": str(feeds_file)}
    created = await run_cli("keys", "create", "--scope", "read", "--name", "dashboard", cwd=tmp_path,
                            **settings)
    assert created.code == 0, created.stderr
    key = created.stdout.splitlines()[0].strip()
    async with serving(cwd=tmp_path, **settings) as server, \
            httpx.AsyncClient(base_url=server.base_url) as api:
        assert (await api.get("/v1/index")).status_code == 401
        index = (await api.get("/v1/index", headers={"Authorization": f"Bearer {key}"})).json()

        page = await browser.new_page(viewport={"width": 1100, "height": 900}, accept_downloads=True)
        errors = watch_console(page)
        await page.goto(server.base_url + "/")
        await page.wait_for_selector("[data-testid=key-panel]:not([hidden])", timeout=TIMEOUT_MS)

        # A wrong key is refused with the API's reason, and the form stays.
        await page.fill("[data-testid=key-input]", "aw_read_not-a-real-key")
        await page.click("[data-testid=key-submit]")
        await page.wait_for_selector("#key-message[data-kind=error]", timeout=TIMEOUT_MS)
        assert "refused" in (await page.text_content("#key-message") or "")

        await page.fill("[data-testid=key-input]", key)
        await page.click("[data-testid=key-submit]")
        await page.wait_for_selector("body[data-state=ready]", timeout=TIMEOUT_MS)
        assert await page.is_hidden("[data-testid=key-panel]")
        assert await page.evaluate("sessionStorage.getItem('alignwatch.readKey')") == key
        assert await page.text_content("[data-testid=current-value]") == as_displayed(index["value"])
        assert int((await chart_data(page))["points"]) > 400
        rows = page.locator("[data-testid=feed-table] [data-testid=feed-row]")
        assert await rows.count() == 1
        assert await rows.first.get_attribute("data-feed-id") == "quiet"

        # The CSV download sends the key too (a plain link could not).
        async with page.expect_download() as download_info:
            await page.click("[data-testid=csv-link]")
        downloaded = await (await download_info.value).path()
        assert Path(downloaded).read_text().startswith("date,value,low,high")

        save_screenshot(await page.screenshot(full_page=True), tmp_path, "dashboard-keyed.png")
        # Only the refused reads before a good key may log errors (the browser logs every 401).
        unexpected = [e for e in errors if "401" not in e]
        assert unexpected == [], "\n".join(unexpected)
        await page.close()
