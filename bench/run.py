"""Benchmark newapi against LiteLLM's proxy on one machine: ``python -m bench.run --help``.

Starts the fake upstream (nginx, on the load core), the gateway and the peer (each pinned to the
server core), runs every scenario against the upstream directly, the gateway and the peer in
turn, prints a Markdown report and writes the raw numbers to ``bench/results/<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import orjson

from bench import report
from bench.procs import pin_self
from bench.scenarios import (
    Plan,
    Scenario,
    idle_rss,
    measure,
    plan,
    profile_argv,
    run_load,
    warm_up,
)
from bench.targets import (
    BENCH,
    LITELLM_VENV,
    Peer,
    start_gateway,
    start_litellm,
    start_upstream,
)

__all__ = ["main"]

SERVER_CORE, LOAD_CORE = 0, 1
DOCS = BENCH.parent / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    p.add_argument(
        "--quick",
        action="store_true",
        help="short runs for development (5 s per run, 30 s soak, short slow streams)",
    )
    p.add_argument("--duration", type=float, help="seconds per run (default 20, quick 5)")
    p.add_argument("--soak", type=float, help="soak seconds per target (default 600, quick 30)")
    p.add_argument("--slow-streams", type=int, default=1000, help="concurrent slow streams")
    p.add_argument(
        "--slow-marker",
        metavar="DIRECTIVES",
        help="fake-upstream scenario of each slow stream (default "
        "chunks=20,chunk_delay_ms=500; quick chunks=10,chunk_delay_ms=300)",
    )
    p.add_argument(
        "--targets",
        default="newapi,litellm",
        help="comma list of newapi, litellm (the upstream is always measured)",
    )
    p.add_argument("--scenarios", help="comma list of scenario names (default: all)")
    p.add_argument(
        "--upstream",
        choices=("auto", "nginx", "fake"),
        default="auto",
        help="nginx + Lua (auto when installed) or newapi's fake upstream",
    )
    p.add_argument(
        "--loadgen",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="non-stream load: wrk (auto when installed) or the Python client",
    )
    p.add_argument("--no-pin", action="store_true", help="do not pin processes to cores")
    p.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="S",
        help="also py-spy the gateway for S seconds under non-stream c=64 load",
    )
    p.add_argument(
        "--idle-settle",
        type=float,
        default=2.0,
        metavar="S",
        help="quiet seconds after warm-up before idle RSS is read",
    )
    p.add_argument("--out", type=Path, help="JSON results (default bench/results/<ts>.json)")
    p.add_argument(
        "--docs",
        action="store_true",
        help=f"write the report into {DOCS.relative_to(BENCH.parent)}",
    )
    return p


def _plan(args: argparse.Namespace) -> Plan:
    duration = args.duration or (5.0 if args.quick else 20.0)
    soak = args.soak if args.soak is not None else (30.0 if args.quick else 600.0)
    slow = args.slow_marker or (
        "chunks=10,chunk_delay_ms=300" if args.quick else "chunks=20,chunk_delay_ms=500"
    )
    only = set(args.scenarios.split(",")) if args.scenarios else None
    return plan(duration, soak, args.slow_streams, slow, only)


def _raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65536
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))


def _top(counts: Counter[str], total: int, n: int) -> list[tuple[str, float]]:
    return [(frame, 100 * c / total) for frame, c in counts.most_common(n)]


def _read_profile(raw: Path, load: str) -> dict[str, Any]:
    """Self time per leaf function and inclusive time per newapi function."""
    leaf: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if not f.startswith(("process ", "thread "))]
        if not frames:
            continue
        n = int(count)
        total += n
        package, short = _where(frames[-1])
        leaf[short] += n
        packages[package] += n
        for frame in set(frames):
            if "/newapi/" in frame:
                ours[_where(frame)[1]] += n
    if not total:
        return {}
    return {
        "load": load,
        "samples": total,
        "top_self": _top(leaf, total, 10),
        "top_newapi": _top(ours, total, 15),
        "by_package": _top(packages, total, 12),
    }


def _where(frame: str) -> tuple[str, str]:
    """(package, short frame) of ``func (/full/path.py:line)`` from py-spy --full-filenames."""
    func, _, path = frame.rpartition(" (")
    path = path.rstrip(")")
    if "/site-packages/" in path:
        rel = path.rpartition("/site-packages/")[2]
        package = rel.split("/", 1)[0].removesuffix(".py")
    elif "/newapi/" in path:
        rel = "newapi/" + path.rpartition("/newapi/")[2]
        parts = rel.split("/")
        package = ".".join(parts[:2]) if len(parts) > 2 else "newapi"
    elif "/lib/python3" in path:
        rel = path.partition("/lib/python3")[2].partition("/")[2]
        package = "stdlib " + rel.split("/", 1)[0].removesuffix(".py").split(":")[0]
    else:
        rel, package = path, path.split(":")[0] or "?"
    return package, f"{func} ({rel})"


async def _profile(peer: Peer, seconds: int, work: Path, use_wrk: bool) -> dict[str, Any]:
    py_spy = LITELLM_VENV / "bin" / "py-spy"
    if not py_spy.exists():
        found = shutil.which("py-spy")
        if found is None:
            _say("profile: py-spy not found (bench/setup.sh installs it); skipped")
            return {}
        py_spy = Path(found)
    raw = work / "profile.txt"
    argv = profile_argv(py_spy, peer.server.proc.pid, seconds, raw)
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
    )
    load = Scenario("profile", "chat", "profile", 64, duration=seconds + 1.0)
    await run_load(peer.target, load, use_wrk)
    await proc.wait()
    if not raw.exists():
        _say(f"profile: py-spy wrote nothing (exit {proc.returncode}); skipped")
        return {}
    client = "wrk" if use_wrk else "Python client"
    return _read_profile(raw, f"non-stream chat c=64 ({client})")


async def _run_all(
    peers: dict[str, Peer],
    the_plan: Plan,
    use_wrk: bool,
    args: argparse.Namespace,
    work: Path,
) -> dict[str, Any]:
    profile_s = args.profile
    for peer in peers.values():
        await warm_up(peer.target)
    idle = {
        name: await idle_rss(peer, args.idle_settle)
        for name, peer in peers.items()
        if name != "direct"
    }
    scenarios = []
    for scenario in the_plan.scenarios:
        results: dict[str, Any] = {}
        if scenario.kind == "workers":
            if "newapi" in peers:
                results = await _scaling(scenario, peers["direct"], work, use_wrk, args.no_pin)
            scenarios.append(_scenario_entry(scenario, results))
            continue
        for name, peer in peers.items():
            if name == "direct" and not scenario.with_direct:
                continue
            _say(f"{scenario.name}: {name} ...")
            results[name] = await measure(peer, scenario, use_wrk)
            row = results[name]
            _say(
                f"  {row.get('rps')} req/s, p50 {row.get('p50_ms')} ms, "
                f"p99 {row.get('p99_ms')} ms, CPU {row.get('cpu_ms_per_req')} ms/req, "
                f"errors {row.get('errors')}"
            )
        scenarios.append(_scenario_entry(scenario, results))
    out: dict[str, Any] = {"idle": idle, "scenarios": scenarios}
    if profile_s and "newapi" in peers:
        _say(f"profile: py-spy on newapi for {profile_s} s ...")
        out["profile"] = await _profile(peers["newapi"], profile_s, work, use_wrk)
    return out


def _scenario_entry(scenario: Scenario, results: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "title": scenario.title,
        "kind": scenario.kind,
        "duration_s": scenario.duration,
        "concurrency": scenario.concurrency,
        "marker": scenario.marker,
        "results": results,
    }


async def _scaling(
    scenario: Scenario, direct: Peer, work: Path, use_wrk: bool, no_pin: bool
) -> dict[str, Any]:
    """The same load on a gateway with 1, then 2 workers, each allowed on both cores (the
    upstream and the load generator share them); CPU is summed over the process tree."""
    url = f"http://127.0.0.1:{direct.target.port}"
    cores = None if no_pin else f"{SERVER_CORE},{LOAD_CORE}"
    results: dict[str, Any] = {}
    for workers in (1, 2):
        name = f"newapi_{workers}w"
        # start_gateway seeds its database with asyncio.run: not on this loop's thread
        peer = await asyncio.to_thread(start_gateway, work / name, url, cores, workers)
        try:
            await warm_up(peer.target)
            _say(f"{scenario.name}: newapi, {workers} worker(s) ...")
            results[name] = row = await measure(peer, scenario, use_wrk)
            _say(f"  {row.get('rps')} req/s, CPU {row.get('cpu_ms_per_req')} ms/req")
        finally:
            peer.server.stop()
    one, two = results["newapi_1w"].get("rps"), results["newapi_2w"].get("rps")
    if one and two:
        results["scaling"] = round(two / one, 2)
    return results


def _start(
    names: list[str], upstream_kind: str, work: Path, cores: tuple[int | None, int | None]
) -> dict[str, Peer]:
    server_core, load_core = cores
    peers: dict[str, Peer] = {}
    try:
        peers["direct"] = start_upstream(upstream_kind, work, load_core)
        url = f"http://127.0.0.1:{peers['direct'].target.port}"
        if "newapi" in names:
            peers["newapi"] = start_gateway(work, url, server_core)
        if "litellm" in names:
            peers["litellm"] = start_litellm(work, url, server_core)
    except BaseException:
        for peer in peers.values():
            peer.server.stop()
        raise
    return peers


def _meta(
    args: argparse.Namespace, peers: dict[str, Peer], pinned: bool, use_wrk: bool
) -> dict[str, Any]:
    versions = {"python": platform.python_version()}
    versions.update({("upstream" if k == "direct" else k): p.version for k, p in peers.items()})
    if use_wrk:
        done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        versions["wrk"] = (done.stdout or done.stderr).split(" [")[0].strip()
    return {
        "newapi_tree": _git_tree(),
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, {platform.release()}",
        "pinning": (
            f"gateway and peer on core {SERVER_CORE}, upstream and load generator on "
            f"core {LOAD_CORE}"
        )
        if pinned
        else "no pinning",
        "versions": versions,
        "command": shlex.join(["python", "-m", "bench.run", *sys.argv[1:]]),
        "commands": {name: peer.command for name, peer in peers.items()},
        "loadgen": "wrk (non-stream) + bench.loadgen (streams)" if use_wrk else "bench.loadgen",
    }


def _git_tree() -> str:
    """The commit the gateway ran from, and how many files differed from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=BENCH.parent,
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except OSError:
        return "unknown"
    changed = len(dirty.stdout.splitlines())
    return head.stdout.strip() + (f" + {changed} modified files" if changed else "")


def _write_docs(text: str) -> None:
    page = DOCS.read_text()
    head, _, rest = page.partition(BEGIN)
    _, _, tail = rest.partition(END)
    DOCS.write_text(f"{head}{BEGIN}\n{text}{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    the_plan = _plan(args)
    names = [n for n in args.targets.split(",") if n]
    pinned = not args.no_pin and (os.cpu_count() or 1) >= 2
    cores = (SERVER_CORE, LOAD_CORE) if pinned else (None, None)
    pin_self(cores[1])
    _raise_fd_limit()
    nginx = shutil.which("nginx") or (Path("/usr/sbin/nginx").exists() and "/usr/sbin/nginx")
    upstream = args.upstream if args.upstream != "auto" else ("nginx" if nginx else "fake")
    use_wrk = args.loadgen == "wrk" or (args.loadgen == "auto" and shutil.which("wrk") is not None)
    work = Path(tempfile.mkdtemp(prefix="newapi-bench-"))
    peers = _start(names, upstream, work, cores)
    try:
        meta = _meta(args, peers, pinned, use_wrk)
        body = asyncio.run(_run_all(peers, the_plan, use_wrk, args, work))
    finally:
        for peer in reversed(peers.values()):
            peer.server.stop()
    results = {"meta": meta, **body}
    out = args.out or BENCH / "results" / f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    text = report.render(results)
    sys.stdout.write(text)
    _say(f"results: {out}")
    if args.docs:
        _write_docs(text)
        _say(f"report written into {DOCS}")
    with contextlib.suppress(OSError):
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
