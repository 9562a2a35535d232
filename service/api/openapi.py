"""Complete the OpenAPI document: every operation's problem responses, one Problem schema.

FastAPI documents only what a route declares; our routes can also answer 400, 401, 403,
404, 409, 413, 422, 429 and 503 through the shared error handlers, always as
``application/problem+json`` (RFC 9457). Documenting them everywhere lets clients and
schemathesis check every answer against the schema.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM = "application/problem+json"
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "stable URI naming the kind of problem"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}, "type": {"type": "string"}}}},
    },
    "additionalProperties": True,
    "example": {"type": "https://alignwatch.dev/problems/unauthorized", "title": "Authentication required",
                "status": 401, "detail": "send an API key as `Authorization: Bearer <key>`",
                "instance": "/v1/items"},
}
COMMON = {
    "400": "Bad request (invalid filter, cursor or labels)",
    "401": "Missing, unknown or revoked API key",
    "403": "The key lacks the scope",
    "404": "Not found",
    "409": "Conflict",
    "413": "Request body too large",
    "422": "Validation failed; `errors` lists the fields",
    "429": "Rate limited; see Retry-After",
    "503": "Not ready",
}


def install_openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description,
                             routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, description in COMMON.items():
                    existing = responses.get(code, {})
                    responses[code] = {"description": existing.get("description", description),
                                       "content": {PROBLEM: ref}}
        schema["components"]["schemas"].pop("HTTPValidationError", None)
        schema["components"]["schemas"].pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
