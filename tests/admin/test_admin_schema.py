"""The exported SDL is current, every non-public root field is guarded, and limits apply."""

from __future__ import annotations

import re

from strawberry.extensions import QueryDepthLimiter

from newapi.admin.access import PUBLIC
from newapi.admin.schema import MAX_ALIASES, MAX_DEPTH, schema
from tests.admin.conftest import AdminServer
from tests.conftest import REPO

SDL = REPO / "graphql" / "schema.graphql"
OPERATIONS = REPO / "graphql" / "operations"


def test_schema_graphql_is_current() -> None:
    assert SDL.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "graphql/schema.graphql is stale: run scripts/codegen and commit the result"
    )


def test_every_non_public_root_field_has_a_permission() -> None:
    unguarded = []
    for type_name in ("Query", "Mutation"):
        for field in schema.schema_converter.type_map[type_name].definition.fields:
            name = schema.config.name_converter.get_graphql_name(field)
            if name not in PUBLIC and not field.permission_classes:
                unguarded.append(f"{type_name}.{name}")
    assert unguarded == []


def test_operation_files_hold_one_pascal_case_operation_named_like_the_file() -> None:
    files = sorted(OPERATIONS.glob("*.graphql"))
    assert files
    for path in files:
        found = re.findall(r"^(query|mutation|subscription)\s+(\w+)", path.read_text(), re.M)
        assert [name for _, name in found] == [path.stem], path.name
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", path.stem)


async def test_depth_alias_and_token_limits(server: AdminServer) -> None:
    caller = await server.signed_in("root")
    assert not (await caller.post("{ me { id } tokens { items { owner { id } } } }")).get("errors")
    # No valid document of today's schema is deeper than the limit (introspection is not
    # counted), so check the limiter that will guard the deeper types to come.
    limiters = [factory() for factory in schema.extensions]  # type: ignore[operator]
    depth = [ext for ext in limiters if isinstance(ext, QueryDepthLimiter)]
    assert len(depth) == 1 and MAX_DEPTH == 6
    aliases = "{ " + " ".join(f"a{i}: setupStatus {{ done }}" for i in range(MAX_ALIASES + 1))
    body = await caller.post(aliases + " }")
    assert body["errors"][0]["message"] == f"{MAX_ALIASES + 1} aliases found. Allowed: 15"
    huge = "{ " + " ".join("setupStatus { done }" for _ in range(800)) + " }"
    body = await caller.post(huge)
    assert "Document contains more than" in body["errors"][0]["message"]


async def test_unknown_errors_carry_a_code(server: AdminServer) -> None:
    body = await server.caller().post("{ nope }")
    assert body["errors"][0]["extensions"]["code"] == "bad_query"
    body = await server.caller().post("{ setupStatus { ...Nope } }")
    assert body["errors"][0]["extensions"]["code"] == "bad_query"
    assert body["errors"][0]["message"] == "Unknown fragment 'Nope'."


async def test_the_depth_limiter_still_counts_fragments() -> None:
    from strawberry import Schema
    from strawberry.schema.config import StrawberryConfig

    from newapi.admin.limits import DepthLimiter
    from newapi.admin.results import BIG_INT_SCALAR, BigInt
    from newapi.admin.schema import Mutation, Query

    shallow = Schema(
        query=Query, mutation=Mutation, extensions=[lambda: DepthLimiter(max_depth=2)],
        config=StrawberryConfig(scalar_map={BigInt: BIG_INT_SCALAR}),
    )
    deep = "{ tokens { ...T } } fragment T on TokenPage { items { owner { id } } }"
    result = await shallow.execute(deep)
    assert [e.message for e in result.errors or []] == [
        "'anonymous' exceeds maximum operation depth of 2"]
