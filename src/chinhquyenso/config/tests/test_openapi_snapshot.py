"""The published v1 contract (STYLE.md §5): integrators build against `docs/openapi-v1.json`. Inside v1 changes are
additive only; any change at all must be deliberate, so the snapshot is regenerated and the change listed in
`docs/api.md` ("Changes to v1")."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from chinhquyenso.config.api import api

SNAPSHOT = Path(__file__).resolve().parents[4] / "docs" / "openapi-v1.json"
REFRESH = (
    "uv run cqs export_openapi_schema --api chinhquyenso.config.api.api --indent 1 --sorted "
    "--output docs/openapi-v1.json"
)
METHODS = {"get", "put", "post", "delete", "patch"}


def generated() -> dict[str, Any]:
    with translation.override("vi"):
        loaded: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    return loaded


def published() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return loaded


def operations(schema: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (path, method): operation["operationId"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def request_schemas(schema: dict[str, Any]) -> set[str]:
    """Names of the component schemas used as a request body (directly)."""
    names = set()
    for item in schema["paths"].values():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for media in operation.get("requestBody", {}).get("content", {}).values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref:
                    names.add(ref.rsplit("/", 1)[-1])
    return names


def test_no_published_operation_is_removed_or_renamed() -> None:
    now = operations(generated())

    missing = {key: op for key, op in operations(published()).items() if now.get(key) != op}

    assert missing == {}, "v1 operations removed or renamed (breaks integrators; make a v2 instead)"


def test_no_published_field_is_removed_or_retyped_and_no_request_gains_a_required_field() -> None:
    old, new = published()["components"]["schemas"], generated()["components"]["schemas"]
    broken: list[str] = []
    for name, schema in old.items():
        if name not in new:
            broken.append(f"{name}: schema removed")
            continue
        for field, spec in schema.get("properties", {}).items():
            now = new[name].get("properties", {}).get(field)
            if now is None:
                broken.append(f"{name}.{field}: removed")
            elif (now.get("type"), now.get("$ref")) != (spec.get("type"), spec.get("$ref")):
                broken.append(f"{name}.{field}: type changed")
    for name in request_schemas(published()):
        added = set(new.get(name, {}).get("required", [])) - set(old[name].get("required", []))
        broken += [f"{name}.{field}: newly required in a request" for field in sorted(added)]

    assert broken == []


def test_the_published_snapshot_is_the_generated_document() -> None:
    assert generated() == published(), f"the API changed: check it is additive, then run `{REFRESH}`"
