"""The index over HTTP: current value, history (JSON, CSV, vintages), explain, errors."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from sqlalchemy import delete

from service.db.models import IndexEvent
from service.timeutil import utcnow

SHIPPED = pytest.mark.parametrize("api", [{"index_band_draws": 16, "index_ship_history": True}],
                                  indirect=True)


@SHIPPED
async def test_current_index_shows_values_components_band_changes_and_events(api):
    response = await api.get("/v1/index", params={"slots": "true"})
    assert response.status_code == 200 and response.headers["etag"]
    body = response.json()
    assert body["pair"] == "US-JP" and body["as_of"] == utcnow().date().isoformat()
    assert body["provisional"] is True and body["events"] == 127
    assert 0 <= body["band"]["low"] <= body["value"] <= body["band"]["high"] <= 100
    assert set(body["change"]) == {"7d", "30d", "90d"} and body["change"]["90d"] is not None
    assert set(body["components"]) == {"position", "momentum"}
    assert len(body["domains"]) == 8
    weights = {d["domain"]: d["weight"] for d in body["domains"]}
    expected = sum(d["value"] * d["weight"] for d in body["domains"]) / sum(weights.values())
    assert body["value"] == pytest.approx(expected, abs=1e-9)
    trade = next(d for d in body["domains"] if d["domain"] == "trade_policy")
    assert trade["components"]["slots_compared"] > 0 and trade["slots"]


@SHIPPED
async def test_readers_set_domain_weights(api):
    base = (await api.get("/v1/index")).json()
    heavy = (await api.get("/v1/index", params={"weights": "industrial_policy:100"})).json()
    industrial = next(d["value"] for d in base["domains"] if d["domain"] == "industrial_policy")
    assert heavy["weights"]["industrial_policy"] == 100.0
    assert abs(heavy["value"] - industrial) < abs(base["value"] - industrial)


@SHIPPED
async def test_reading_the_current_value_does_not_touch_events(api):
    before = (await api.get("/v1/index", params={"weights": "sanctions:2"})).json()
    async with api.runtime.db.begin() as session:
        await session.execute(delete(IndexEvent))
    after = (await api.get("/v1/index", params={"weights": "sanctions:3"})).json()  # not cached
    assert after["events"] == before["events"] == 127 and after["version"] == before["version"]


@SHIPPED
async def test_history_by_month_as_json_and_csv(api):
    response = await api.get("/v1/index/history", params={"interval": "month", "from": "2017-01-01",
                                                          "limit": 5000})
    items = response.json()["items"]
    assert items[0]["date"] == "2017-01-31" and items[1]["date"] == "2017-02-28"
    assert len(items) >= 110
    recent = [i for i in items if date.fromisoformat(i["date"]) > utcnow().date() - timedelta(days=30)]
    assert recent and all(i["provisional"] for i in recent)
    assert not any(i["provisional"] for i in items[:-2])
    for params, headers in [({"format": "csv"}, {}), ({}, {"Accept": "text/csv"})]:
        response = await api.client.get("/v1/index/history", params={
            "interval": "month", "from": "2017-01-01", "domain": "trade_policy", **params},
            headers=headers | api.auth(api.read_key))
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == len(items) and rows[0]["date"] == "2017-01-31"
        assert list(rows[0]) == ["date", "value", "low", "high", "position", "momentum", "events",
                                 "provisional"]


@SHIPPED
async def test_history_pages_and_vintages(api):
    first = (await api.get("/v1/index/history", params={"from": "2020-01-01", "to": "2020-01-10",
                                                        "limit": 4})).json()
    second = (await api.get("/v1/index/history", params={"from": "2020-01-01", "to": "2020-01-10",
                                                         "limit": 4, "cursor": first["next_cursor"]})).json()
    assert [i["date"] for i in first["items"] + second["items"]] == [f"2020-01-0{n}" for n in range(1, 9)]
    # Before the index was first computed nothing had been published.
    old = (await api.get("/v1/index/history", params={"vintage": "2001-01-01"})).json()
    assert old["items"] == []
    now = (await api.get("/v1/index/history", params={"vintage": utcnow().isoformat(), "from": "2020-01-01",
                                                      "to": "2020-01-10"})).json()
    assert [i["value"] for i in now["items"]] == [i["value"] for i in first["items"] + second["items"]] + [
        i["value"] for i in (await api.get("/v1/index/history", params={"from": "2020-01-09",
                                                                        "to": "2020-01-10"})).json()["items"]]


@SHIPPED
async def test_explain_contributions_sum_to_the_change_over_all_pages(api):
    params = {"from": "2022-01-01", "to": "2023-06-30", "limit": 7}
    page = (await api.get("/v1/index/explain", params=params)).json()
    change, total, seen = page["change"], 0.0, 0
    while True:
        for item in page["items"]:
            total += item["contribution"]
            seen += 1
            event = item["event"]
            assert event["title"] and event["link"] and event["evidence"]
            assert event["classification"]["stance"] in ("converging", "diverging", "neutral")
        if page["next_cursor"] is None:
            break
        page = (await api.get("/v1/index/explain", params=params | {"cursor": page["next_cursor"]})).json()
    assert seen == page["events_total"] and seen > 7
    assert total == pytest.approx(change, abs=1e-9)
    assert page["sum_of_contributions"] == pytest.approx(change, abs=1e-9)
    assert change == pytest.approx(page["value_to"] - page["value_from"], abs=1e-12)
    domain = (await api.get("/v1/index/explain", params={"from": "2019-01-01", "to": "2020-06-30",
                                                         "domain": "trade_policy", "limit": 500})).json()
    assert sum(i["contribution"] for i in domain["items"]) == pytest.approx(domain["change"], abs=1e-9)
    top = domain["items"][0]["event"]
    assert top["classification"]["domain"] == "trade_policy"


@SHIPPED
async def test_index_reads_need_a_key_and_bad_input_gets_problems(api):
    assert (await api.client.get("/v1/index")).status_code == 401
    cases = [
        ("/v1/index", {"pair": "us-jp"}, 400),
        ("/v1/index", {"slots": "maybe"}, 400),
        ("/v1/index", {"pair": "US-CN"}, 404),
        ("/v1/index", {"weights": "bogus:1"}, 400),
        ("/v1/index", {"weights": "trade_policy:x"}, 400),
        ("/v1/index/history", {"from": "2020-02-01", "to": "2020-01-01"}, 400),
        ("/v1/index/history", {"interval": "year"}, 422),
        ("/v1/index/history", {"vintage": "yesterday"}, 400),
        ("/v1/index/history", {"cursor": "nonsense"}, 400),
        ("/v1/index/explain", {"from": "2020-02-01", "to": "2020-01-01"}, 400),
        ("/v1/index/explain", {"from": "2020-01-01"}, 422),
        ("/v1/index/explain", {"from": "2020-01-01", "to": "2020-02-01", "cursor": "eyJ4Ijox"}, 400),
    ]
    for path, params, status in cases:
        response = await api.get(path, params=params)
        assert response.status_code == status, (path, params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("api", [{"index_ship_history": False}], indirect=True)
async def test_a_pair_with_nothing_processed_shows_the_neutral_value(api):
    body = (await api.get("/v1/index")).json()
    assert (body["value"], body["events"], body["band"]) == (50.0, 0, {"low": 50.0, "high": 50.0})
    assert all("slots" not in d for d in body["domains"])
