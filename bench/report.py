"""The results as Markdown tables: side by side per scenario, ratios, memory, profile."""

from __future__ import annotations

from typing import Any

__all__ = ["render"]

ORDER = ("direct", "newapi", "litellm", "newapi_1w", "newapi_2w")


def _num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _added(row: dict[str, Any], direct: dict[str, Any] | None, key: str) -> str:
    if direct is None or row.get(key) is None or direct.get(key) is None:
        return "–"
    return f"{row[key] - direct[key]:+.2f}"


def _row(name: str, row: dict[str, Any], direct: dict[str, Any] | None) -> str:
    stream = "ttft_p50_ms" in row
    ttft = f"{_num(row.get('ttft_p50_ms'))} / {_num(row.get('ttft_p99_ms'))}" if stream else "–"
    added_key = "ttft_p50_ms" if stream else "p50_ms"
    cells = [
        name,
        _num(row.get("rps"), 1),
        _num(row.get("p50_ms")),
        _num(row.get("p99_ms")),
        _added(row, direct, added_key) if name != "direct" else "",
        ttft,
        _num(row.get("gap_p99_ms")) if stream else "–",
        _num(row.get("cpu_ms_per_req")),
        _num(row.get("rss_peak_mb"), 1),
        _num(row.get("errors")),
    ]
    return "| " + " | ".join(cells) + " |"


def _scenario_table(scenarios: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| target | req/s | p50 ms | p99 ms | added p50 ms¹ | TTFT p50 / p99 ms | gap p99 ms "
        "| CPU ms/req | peak RSS MB | errors |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for scenario in scenarios:
        results = scenario["results"]
        lines.append(f"| **{scenario['title']}** |  |  |  |  |  |  |  |  |  |")
        direct = results.get("direct")
        for name in ORDER:
            if name in results:
                lines.append(_row(name, results[name], direct))
    lines.append("")
    lines.append(
        "¹ added latency over direct-to-upstream: p50 latency for non-stream, p50 time to first "
        "token for streams. CPU and RSS are the measured process only (for direct: nginx)."
    )
    return lines


def _ratios(scenarios: list[dict[str, Any]]) -> list[str]:
    lines = [
        "| scenario | req/s newapi ÷ LiteLLM | CPU/req newapi ÷ LiteLLM | p99 newapi ÷ LiteLLM "
        "| upstream headroom (direct ÷ newapi req/s) |",
        "|---|--:|--:|--:|--:|",
    ]
    for scenario in scenarios:
        res = scenario["results"]
        ours, peer, direct = res.get("newapi"), res.get("litellm"), res.get("direct")

        def ratio(a: dict[str, Any] | None, b: dict[str, Any] | None, key: str) -> str:
            if not a or not b or not a.get(key) or not b.get(key):
                return "–"
            return f"{a[key] / b[key]:.2f}×"

        paced = "chunk_delay_ms" in scenario.get("marker", "")  # latency-bound, not CPU
        headroom = "–" if paced else ratio(direct, ours, "rps")
        lines.append(
            f"| {scenario['name']} | {ratio(ours, peer, 'rps')} | "
            f"{ratio(ours, peer, 'cpu_ms_per_req')} | {ratio(ours, peer, 'p99_ms')} | "
            f"{headroom} |"
        )
    return lines


def _scaling(scenarios: list[dict[str, Any]]) -> list[str]:
    for scenario in scenarios:
        factor = scenario["results"].get("scaling") if scenario["kind"] == "workers" else None
        if factor:
            return [
                f"Workers ({scenario['name']}): 2 workers serve {factor:.2f}× the requests/s of "
                "1 worker under the same load, both allowed on cores 0-1.",
                "",
            ]
    return []


def _memory(results: dict[str, Any]) -> list[str]:
    lines = [
        "| target | idle RSS MB | soak RSS start → end MB | soak peak MB | soak req/s "
        "| soak errors |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    soak = next((s for s in results["scenarios"] if s["name"] == "soak"), None)
    for name in ("newapi", "litellm"):
        idle = results.get("idle", {}).get(name)
        if idle is None:
            continue
        row = soak["results"].get(name, {}) if soak else {}
        span = (
            f"{_num(row.get('rss_start_mb'), 1)} → {_num(row.get('rss_end_mb'), 1)}" if row else "–"
        )
        lines.append(
            f"| {name} | {_num(idle['rss_mb'], 1)} | {span} | {_num(row.get('rss_peak_mb'), 1)} "
            f"| {_num(row.get('rps'), 1)} | {_num(row.get('errors'))} |"
        )
    return lines


def _profile(profile: dict[str, Any]) -> list[str]:
    lines = [
        f"py-spy, newapi under {profile['load']}, {profile['samples']} samples "
        "(aggregated by function):",
        "",
        "| self % | function |",
        "|--:|---|",
    ]
    lines += [f"| {pct:.1f} | `{frame}` |" for frame, pct in profile["top_self"]]
    if profile.get("by_package"):
        lines += ["", "Self time by package:", "", "| self % | package |", "|--:|---|"]
        lines += [f"| {pct:.1f} | {name} |" for name, pct in profile["by_package"]]
    if profile.get("top_newapi"):
        lines += [
            "",
            "Inclusive time in newapi's own functions:",
            "",
            "| total % | function |",
            "|--:|---|",
        ]
        lines += [f"| {pct:.1f} | `{frame}` |" for frame, pct in profile["top_newapi"]]
    return lines


def render(results: dict[str, Any]) -> str:
    """The whole report as Markdown."""
    meta = results["meta"]
    lines = [
        f"Run {meta['started']} on {meta['machine']}; {meta['pinning']}; newapi tree "
        f"{meta.get('newapi_tree', 'unknown')}.",
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        "",
        f"Command: `{meta['command']}`",
        "",
        *(f"- {name}: `{cmd}`" for name, cmd in meta["commands"].items()),
        "",
        *_scenario_table(results["scenarios"]),
        "",
        *_ratios(results["scenarios"]),
        "",
        *_scaling(results["scenarios"]),
        *_memory(results),
    ]
    if results.get("profile"):
        lines += ["", *_profile(results["profile"])]
    return "\n".join(lines) + "\n"
