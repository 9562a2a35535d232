"""Hostile API input: injection strings and path traversal get clear 4xx answers."""

from __future__ import annotations


async def test_injection_strings_in_queries_are_just_data(api):
    for params in ({"feed": "x' OR '1'='1"}, {"feed": "'; DROP TABLE item; --"},
                   {"q": "<script>alert(1)</script>"}, {"cursor": "' OR 1=1 --"},
                   {"country": "US' --"}, {"from": "2026-01-01'; --"}):
        response = await api.get("/v1/items", params=params)
        assert response.status_code in (200, 400, 422), (params, response.text)
        if response.status_code == 200:
            assert response.json()["items"] == []
    assert (await api.get("/v1/feeds")).status_code == 200  # nothing was dropped


async def test_demo_and_static_routes_refuse_path_traversal(api):
    for path in ("/demo/feeds/..%2f..%2fconfig.py", "/static/..%2f..%2fconfig.py",
                 "/static/../../service/config.py"):
        response = await api.client.get(path)
        assert response.status_code in (400, 404), path
        assert "Settings" not in response.text
