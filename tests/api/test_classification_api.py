"""Classification through the pipeline, filters, and analyst corrections over the API."""

from __future__ import annotations

import json

from sqlalchemy import select

from service.db.models import ItemClassification
from tests.conftest import write_feeds_yml
from tests.feedserver import Reply


def rss(*items: tuple[str, str, str, str]) -> bytes:
    """RSS from (guid, date, title, description)."""
    body = "".join(
        f"<item><title>{t}</title><link>https://example.gov/{g}</link><guid>{g}</guid>"
        f"<pubDate>{d}</pubDate><description>{s}</description></item>" for g, d, t, s in items
    )
    return f"<rss version='2.0'><channel><title>x</title>{body}</channel></rss>".encode()


US_ITEMS = rss(
    ("bis-1", "Thu, 17 Oct 2024 04:00:00 GMT",
     "Commerce Adds 30 Chinese Entities to the Entity List",
     "The Bureau of Industry and Security adds companies in China that supply the military "
     "with advanced computing chips; exporters now need a license."),
    ("hol-1", "Fri, 18 Oct 2024 04:00:00 GMT",
     "Federal holiday closure notice",
     "Offices will be closed on Monday for the federal holiday; services resume Tuesday."),
)
JP_ITEMS = rss(
    ("mofa-1", "Sat, 19 Oct 2024 03:00:00 GMT",
     "日米経済版「２＋２」の開催",
     "日米両政府は経済安全保障とサプライチェーン強靱化について協議し、協力を確認した。"),
)


async def setup(api, feed_server, api_feeds_file):
    us = feed_server.set("/us", Reply(body=US_ITEMS))
    jp = feed_server.set("/jp", Reply(body=JP_ITEMS))
    write_feeds_yml(api_feeds_file, [
        {"id": "bis", "url": us, "name": "Federal Register (BIS)"},
        {"id": "mofa", "url": jp, "name": "MOFA press releases (ja)", "country": "JP", "language": "ja"},
    ])
    await api.post("/v1/admin/reload")
    await api.runtime.poll_and_process()
    items = (await api.get("/v1/items")).json()["items"]
    return {i["title"]: i for i in items}


async def test_every_item_is_classified_with_evidence(api, feed_server, api_feeds_file):
    items = await setup(api, feed_server, api_feeds_file)
    entity = items["Commerce Adds 30 Chinese Entities to the Entity List"]["classification"]
    assert entity["labels"] == {"relevant": True, "actor": "US", "domain": "export_controls",
                                "stance": entity["labels"]["stance"], "targets_china": True}
    assert entity["source"] == "model" and entity["evidence"] and entity["classifier_version"]
    assert 0 < entity["confidence"] <= 1
    holiday = items["Federal holiday closure notice"]["classification"]["labels"]
    assert holiday == {"relevant": False, "actor": None, "domain": "none", "stance": "neutral",
                       "targets_china": False}
    japanese = items["日米経済版「２＋２」の開催"]["classification"]["labels"]
    assert (japanese["relevant"], japanese["actor"]) == (True, "joint")


async def test_items_filter_by_labels(api, feed_server, api_feeds_file):
    await setup(api, feed_server, api_feeds_file)

    async def titles(**params):
        return {i["title"] for i in (await api.get("/v1/items", params=params)).json()["items"]}

    assert await titles(relevant="false") == {"Federal holiday closure notice"}
    assert await titles(actor="joint") == {"日米経済版「２＋２」の開催"}
    assert await titles(targets_china="true") == {"Commerce Adds 30 Chinese Entities to the Entity List"}
    assert await titles(domain="export_controls", relevant="true") == \
        {"Commerce Adds 30 Chinese Entities to the Entity List"}
    assert await titles(min_confidence=1.0, max_confidence=1.0) <= await titles()
    bad = await api.get("/v1/items", params={"stance": "sideways"})
    assert bad.status_code == 422


async def test_analyst_correction_wins_is_audited_and_exported(api, feed_server, api_feeds_file):
    items = await setup(api, feed_server, api_feeds_file)
    item = items["Federal holiday closure notice"]
    patch = await api.client.patch(
        f"/v1/items/{item['id']}/classification", headers=api.auth(api.admin_key),
        json={"relevant": True, "actor": "US", "domain": "sanctions", "stance": "diverging",
              "note": "test correction"})
    assert patch.status_code == 200, patch.text
    body = patch.json()
    assert body["source"] == "analyst" and body["labels"]["domain"] == "sanctions"
    assert body["model_labels"]["relevant"] is False  # the model's call is kept
    # The item is processed again (queued with the correction); the analyst still wins.
    await api.runtime.process_pending()
    again = (await api.get(f"/v1/items/{item['id']}")).json()["classification"]
    assert (again["source"], again["labels"]["stance"]) == ("analyst", "diverging")
    assert (await api.get("/v1/items", params={"corrected": "true"})).json()["items"][0]["id"] == item["id"]
    export = await api.client.get("/v1/corrections/export", headers=api.auth(api.admin_key))
    assert export.headers["content-type"].startswith("application/x-ndjson")
    (line,) = export.text.strip().splitlines()
    record = json.loads(line)
    assert record["labels"] == {"relevant": True, "actor": "US", "domain": "sanctions",
                                "stance": "diverging", "targets_china": False}
    assert {"id", "date", "source", "source_country", "title", "summary"} <= set(record)
    async with api.runtime.db.read() as session:
        row = (await session.execute(select(ItemClassification))).scalars().first()
        assert row is not None


async def test_corrections_are_checked_and_need_admin(api, feed_server, api_feeds_file):
    items = await setup(api, feed_server, api_feeds_file)
    item_id = items["Federal holiday closure notice"]["id"]
    url = f"/v1/items/{item_id}/classification"
    read_only = await api.client.patch(url, headers=api.auth(api.read_key), json={"stance": "neutral"})
    assert read_only.status_code == 403
    contradiction = await api.client.patch(url, headers=api.auth(api.admin_key),
                                           json={"relevant": False, "stance": "diverging"})
    assert contradiction.status_code == 400
    assert contradiction.json()["type"].endswith("/invalid-labels")
    no_actor = await api.client.patch(url, headers=api.auth(api.admin_key), json={"relevant": True})
    assert no_actor.status_code == 400
    unknown = await api.client.patch(url, headers=api.auth(api.admin_key), json={"mood": "happy"})
    assert unknown.status_code == 422
    null_label = await api.client.patch(url, headers=api.auth(api.admin_key),
                                        json={"stance": "neutral", "targets_china": None})
    assert null_label.status_code == 422  # found by schemathesis: was a 500
    empty = await api.client.patch(url, headers=api.auth(api.admin_key), json={"note": "x"})
    assert empty.status_code == 400
    missing = await api.client.patch("/v1/items/424242/classification",
                                     headers=api.auth(api.admin_key), json={"stance": "neutral"})
    assert missing.status_code == 404
