"""The scenarios, and one measurement: load on a target while its CPU and RSS are read.

A measurement reads utime+stime of the target's processes before and after the load (CPU ms
per request or per stream) and samples their RSS meanwhile (peak). Non-stream load uses wrk
when present (closed loop, one thread, on the load generator's core), else the Python client.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import LoadResult, Target, closed_loop, stream_wave, summarize
from bench.procs import RssSampler, cpu_seconds, rss_bytes
from bench.targets import BENCH, Peer

__all__ = [
    "Plan",
    "Scenario",
    "idle_rss",
    "measure",
    "plan",
    "profile_argv",
    "run_load",
    "warm_up",
]

MB = 1024 * 1024
STREAM20 = "chunks=20"
STREAM20_GAP10 = "chunks=20,chunk_delay_ms=10"


@dataclass(frozen=True, slots=True)
class Scenario:
    """One row group of the report."""

    name: str
    kind: str  # chat | stream | wave | soak | workers
    title: str
    concurrency: int = 1
    marker: str = ""
    duration: float = 10.0
    with_direct: bool = True


@dataclass(frozen=True, slots=True)
class Plan:
    scenarios: tuple[Scenario, ...]
    soak_s: float
    duration_s: float


def plan(
    duration: float, soak: float, slow_streams: int, slow_marker: str, only: set[str] | None = None
) -> Plan:
    """Every scenario of the issue, with run lengths from the flags."""
    all_ = (
        Scenario("chat_c1", "chat", "non-stream chat, c=1", 1, duration=duration),
        Scenario("chat_c16", "chat", "non-stream chat, c=16", 16, duration=duration),
        Scenario("chat_c64", "chat", "non-stream chat, c=64", 64, duration=duration),
        Scenario("stream20_c1", "stream", "stream 20 chunks, no delay, c=1", 1, STREAM20, duration),
        Scenario(
            "stream20_c16", "stream", "stream 20 chunks, no delay, c=16", 16, STREAM20, duration
        ),
        Scenario(
            "stream20_gap10_c64",
            "stream",
            "stream 20 chunks, 10 ms apart, c=64",
            64,
            STREAM20_GAP10,
            duration,
        ),
        Scenario(
            "slow_streams",
            "wave",
            f"{slow_streams} concurrent slow streams ({slow_marker})",
            slow_streams,
            slow_marker,
        ),
        Scenario(
            "workers_c64",
            "workers",
            "non-stream chat, c=64, newapi with 1 and 2 workers on cores 0-1 "
            "(shared with the upstream and wrk)",
            64,
            duration=duration,
            with_direct=False,
        ),
        Scenario(
            "soak",
            "soak",
            f"soak {soak:.0f} s: 16 non-stream + 16 streams ({STREAM20_GAP10})",
            32,
            STREAM20_GAP10,
            soak,
            with_direct=False,
        ),
    )
    chosen = tuple(s for s in all_ if only is None or s.name in only)
    return Plan(chosen, soak, duration)


async def warm_up(target: Target) -> None:
    """A few requests of each kind, so that lazy imports and pools are ready."""
    await closed_loop(target, 4, 1.0)
    await closed_loop(target, 2, 0.5, stream=True, marker="chunks=5")


async def idle_rss(peer: Peer, settle_s: float = 2.0) -> dict[str, float]:
    """RSS after warm-up and a quiet pause."""
    await asyncio.sleep(settle_s)
    pids = peer.server.refresh_pids()
    return {
        "rss_mb": round(rss_bytes(pids) / MB, 1),
        "hwm_mb": round(rss_bytes(pids, "VmHWM") / MB, 1),
    }


async def _wrk(target: Target, concurrency: int, duration: float) -> dict[str, object]:
    wrk = shutil.which("wrk")
    assert wrk is not None
    argv = [
        wrk,
        "-t1",
        f"-c{concurrency}",
        f"-d{max(1, round(duration))}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "nginx" / "post.lua"),
        f"http://{target.host}:{target.port}{target.path}",
    ]
    env = dict(os.environ, BENCH_KEY=target.key, BENCH_MODEL=target.model)
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=env
    )
    out, _ = await proc.communicate()
    return _parse_wrk(out.decode(errors="replace"))


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"wrk latency {text!r}")
    return round(float(match[1]) * _UNITS[match[2]], 3)


def _parse_wrk(out: str) -> dict[str, object]:
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if total is None or rps is None:
        raise RuntimeError(f"cannot read wrk output:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad[1]) if bad else 0) + (sum(int(x) for x in sock.groups()) if sock else 0)
    summary: dict[str, object] = {
        "requests": int(total[1]) - (int(bad[1]) if bad else 0),
        "errors": errors,
        "rps": float(rps[1]),
        "loadgen": "wrk",
    }
    for q in ("50", "99"):
        found = re.search(rf"^\s+{q}(?:\.000)?%\s+(\S+)", out, re.M)
        summary[f"p{q}_ms"] = _wrk_ms(found[1]) if found else None
    return summary


async def _soak(target: Target, scenario: Scenario) -> tuple[LoadResult, int]:
    half = scenario.concurrency // 2
    chat, streams = await asyncio.gather(
        closed_loop(target, half, scenario.duration),
        closed_loop(target, half, scenario.duration, stream=True, marker=scenario.marker),
    )
    merged = LoadResult(
        elapsed=max(chat.elapsed, streams.elapsed),
        ok=chat.ok + streams.ok,
        errors=chat.errors + streams.errors,
        latencies=chat.latencies,
        ttfb=streams.ttfb,
        ttft=streams.ttft,
        gaps=streams.gaps,
        events=streams.events,
        error_samples=chat.error_samples + streams.error_samples,
    )
    return merged, chat.ok


async def run_load(target: Target, scenario: Scenario, use_wrk: bool) -> dict[str, object]:
    if scenario.kind in ("chat", "workers"):
        if use_wrk:
            return await _wrk(target, scenario.concurrency, scenario.duration)
        result = await closed_loop(target, scenario.concurrency, scenario.duration)
        return {**summarize(result), "loadgen": "python"}
    if scenario.kind == "stream":
        result = await closed_loop(
            target, scenario.concurrency, scenario.duration, stream=True, marker=scenario.marker
        )
    elif scenario.kind == "wave":
        result = await stream_wave(target, scenario.concurrency, scenario.marker)
    else:
        result, chat_ok = await _soak(target, scenario)
        return {
            **summarize(result),
            "loadgen": "python",
            "chat_requests": chat_ok,
            "streams": result.ok - chat_ok,
        }
    return {**summarize(result), "loadgen": "python"}


async def measure(peer: Peer, scenario: Scenario, use_wrk: bool) -> dict[str, object]:
    """Run ``scenario`` against ``peer``; the load summary plus CPU and RSS of the peer."""
    pids = peer.server.refresh_pids()
    interval = 1.0 if scenario.kind == "soak" else 0.2
    rss_start = rss_bytes(pids)
    cpu_before = cpu_seconds(pids)
    with RssSampler(pids, interval) as sampler:
        summary = await run_load(peer.target, scenario, use_wrk)
    cpu = cpu_seconds(pids) - cpu_before
    done = summary.get("requests")
    done = done if isinstance(done, int) else 0
    summary.update(
        cpu_s=round(cpu, 3),
        cpu_ms_per_req=round(cpu * 1000 / done, 3) if done else None,
        rss_start_mb=round(rss_start / MB, 1),
        rss_end_mb=round(sampler.samples[-1] / MB, 1),
        rss_peak_mb=round(sampler.peak / MB, 1),
    )
    if scenario.kind == "soak":
        step = max(1, len(sampler.samples) // 60)
        summary["rss_timeline_mb"] = [round(s / MB, 1) for s in sampler.samples[::step]]
    await asyncio.sleep(0.5)  # let queued log writes and keep-alive closes settle
    return summary


def profile_argv(py_spy: Path, pid: int, seconds: int, out: Path) -> list[str]:
    """py-spy record, raw collapsed stacks aggregated by function, without pausing the target."""
    return [
        str(py_spy),
        "record",
        "-p",
        str(pid),
        "-d",
        str(seconds),
        "-r",
        "250",
        "-f",
        "raw",
        "--function",
        "--full-filenames",
        "--nonblocking",
        "-o",
        str(out),
    ]
