"""Golden files: ``tests/golden/<client format>/<case>__to_<upstream format>/``.

Inputs (hand-written, shaped after real agent sessions): ``client_request.json`` and
``upstream_response.json``, or ``upstream_stream.sse``. Outputs (generated, reviewed in diffs):
``upstream_request.json`` and ``client_response.json``, or ``client_stream.sse``.
Regenerate with ``pytest tests/formats --update-golden``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from newapi.relay.formats.conversion import counting_ids
from newapi.relay.formats.hub import HUB_CODECS, StreamConverter
from tests.formats.conftest import GOLDEN
from tests.formats.grammar import validate

CASES = sorted(p for p in GOLDEN.glob("*/*") if p.is_dir())


def _formats(case: Path) -> tuple[str, str]:
    return case.parent.name, case.name.rpartition("__to_")[2]


def _check(path: Path, produced: bytes, update: bool) -> None:
    if update or not path.exists():
        path.write_bytes(produced)
        if not update:
            pytest.fail(f"{path} did not exist; written, review it and rerun")
        return
    assert produced == path.read_bytes(), f"{path} differs; rerun with --update-golden to accept"


def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 10
    clients = {case.parent.name for case in CASES}
    assert clients == set(HUB_CODECS)


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if (c / "client_request.json").exists()],
    ids=lambda c: f"{c.parent.name}/{c.name}",
)
def test_golden_conversion(case: Path, update_golden: bool) -> None:
    client, upstream = _formats(case)
    body = orjson.loads((case / "client_request.json").read_bytes())
    kw = {"model": "client-model"} if client == "gemini" else {}
    request = HUB_CODECS[client].decode_request(body, **kw)
    upstream_body = HUB_CODECS[upstream].encode_request(request, "upstream-model")
    _check(case / "upstream_request.json", _json(upstream_body), update_golden)

    answer = orjson.loads((case / "upstream_response.json").read_bytes())
    decode_kw = {"ids": counting_ids()} if upstream == "gemini" else {}
    response = HUB_CODECS[upstream].decode_response(answer, **decode_kw)
    encode_kw = {"ids": counting_ids()} if client == "openai_responses" else {}
    client_body = HUB_CODECS[client].encode_response(response, model="client-model", **encode_kw)
    _check(case / "client_response.json", _json(client_body), update_golden)


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if (c / "upstream_stream.sse").exists()],
    ids=lambda c: f"{c.parent.name}/{c.name}",
)
def test_golden_stream(case: Path, update_golden: bool) -> None:
    client, upstream = _formats(case)
    converter = StreamConverter(
        upstream,
        client,
        model="client-model",
        response_id="",
        created=1700000000,
        ids=counting_ids(),
    )
    out = converter.feed((case / "upstream_stream.sse").read_bytes()) + converter.close()
    validate(client, out)
    _check(case / "client_stream.sse", out, update_golden)
