"""A few-second run of the benchmark harness against newapi alone, so that it keeps working.

No LiteLLM, no wrk, no nginx and no network: newapi's own fake upstream and the Python load
generator. Only the shape of the report is checked, never a timing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

from tests.conftest import REPO, clean_env

SCENARIOS = ("chat_c16", "stream20_gap10_c64", "slow_streams", "soak")


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_bench_smoke_reports_numbers(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--targets",
            "newapi",
            "--upstream",
            "fake",
            "--loadgen",
            "python",
            "--no-pin",
            "--idle-settle",
            "0.2",
            "--duration",
            "0.5",
            "--soak",
            "0.5",
            "--slow-streams",
            "20",
            "--slow-marker",
            "chunks=3,chunk_delay_ms=50",
            "--scenarios",
            ",".join(SCENARIOS),
            "--out",
            str(out),
        ],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = orjson.loads(out.read_bytes())
    assert [s["name"] for s in results["scenarios"]] == list(SCENARIOS)
    assert _number(results["idle"]["newapi"]["rss_mb"])
    for scenario in results["scenarios"]:
        expected = {"newapi"} if scenario["name"] == "soak" else {"direct", "newapi"}
        assert set(scenario["results"]) == expected, scenario["name"]
        row = scenario["results"]["newapi"]
        assert row["errors"] == 0, (scenario["name"], row.get("error_samples"))
        for key in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_req", "rss_peak_mb"):
            assert _number(row[key]), (scenario["name"], key, row[key])
        if scenario["kind"] != "chat":
            assert _number(row["ttft_p50_ms"]), scenario["name"]
    soak = next(s for s in results["scenarios"] if s["name"] == "soak")["results"]["newapi"]
    assert soak["chat_requests"] > 0 and soak["streams"] > 0
    assert "| newapi |" in done.stdout
