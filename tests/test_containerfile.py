"""Static checks of the Containerfile (no container engine is needed to run them)."""

from __future__ import annotations

import posixpath
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
CONTAINERFILE = ROOT / "Containerfile"
MAKEFILE = ROOT / "Makefile"
VITE_CONFIG = ROOT / "ui" / "vite.config.js"
IGNORE_FILE = ROOT / ".dockerignore"

UI_COMMANDS = ["npm ci", "npm run build"]


@dataclass(frozen=True, slots=True)
class Stage:
    """One FROM section: its base image, optional `AS` name and instructions."""

    base: str
    name: str | None
    instructions: tuple[tuple[str, str], ...]

    def args(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def _instructions(text: str) -> list[tuple[str, str]]:
    """Split a Containerfile into (KEYWORD, arguments), joining `\\` continuations."""
    result: list[tuple[str, str]] = []
    buf = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        keyword, _, rest = (buf + line).partition(" ")
        result.append((keyword.upper(), " ".join(rest.split())))
        buf = ""
    assert not buf, "Containerfile ends inside a line continuation"
    return result


def _stages() -> list[Stage]:
    stages: list[Stage] = []
    for keyword, args in _instructions(CONTAINERFILE.read_text(encoding="utf-8")):
        if keyword == "FROM":
            words = [w for w in args.split() if not w.startswith("--")]
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name, ()))
        else:
            assert stages, f"{keyword} before the first FROM"
            last = stages[-1]
            stages[-1] = Stage(last.base, last.name, (*last.instructions, (keyword, args)))
    return stages


def _exec_form(args: str) -> list[str]:
    """Parse the JSON (exec) form of RUN/CMD/HEALTHCHECK CMD arguments."""
    argv = orjson.loads(args)
    assert isinstance(argv, list), f"not exec form: {args}"
    return [str(a) for a in argv]


def _copy_parts(args: str) -> tuple[dict[str, str], list[str], str]:
    """Split COPY arguments into (flags, sources, destination)."""
    words = shlex.split(args)
    flags: dict[str, str] = {}
    while words and words[0].startswith("--"):
        key, _, value = words.pop(0)[2:].partition("=")
        flags[key] = value
    if words and words[0].startswith("["):
        words = _exec_form(" ".join(words))
    assert len(words) >= 2, f"COPY needs a source and a destination: {args}"
    return flags, words[:-1], words[-1]


def _walk(stage: Stage) -> list[tuple[str, str, str]]:
    """(KEYWORD, arguments, WORKDIR in effect) for each instruction of a stage."""
    workdir = "/"
    result = []
    for keyword, args in stage.instructions:
        if keyword == "WORKDIR":
            workdir = posixpath.join(workdir, args)
        result.append((keyword, args, workdir))
    return result


def _copies(stage: Stage) -> list[tuple[dict[str, str], list[str], str]]:
    """(flags, sources, absolute destination) for each COPY of a stage."""
    result = []
    for keyword, args, workdir in _walk(stage):
        if keyword == "COPY":
            flags, sources, dest = _copy_parts(args)
            result.append((flags, sources, posixpath.join(workdir, dest)))
    return result


def _commands(shell: str) -> list[str]:
    """The simple commands of a shell line, split on &&, || and ;."""
    return [" ".join(part.split()) for part in re.split(r"&&|\|\||;", shell) if part.strip()]


def _npm_commands(lines: list[str]) -> list[str]:
    return [cmd for line in lines for cmd in _commands(line) if cmd.startswith("npm ")]


def _make_rules() -> dict[str, tuple[list[str], list[str]]]:
    """Makefile rules as target -> (prerequisites, recipe lines).

    Recipe continuations are joined and the @/-/+ prefixes dropped; variables stay unexpanded.
    """
    rules: dict[str, tuple[list[str], list[str]]] = {}
    recipe: list[str] | None = None
    buf = ""
    for line in MAKEFILE.read_text(encoding="utf-8").splitlines():
        if recipe is not None and line.startswith("\t"):
            text = line.strip()
            if text.endswith("\\"):
                buf += text[:-1] + " "
                continue
            recipe.append((buf + text).lstrip("@-+").strip())
            buf = ""
            continue
        rule = re.match(r"^([^\s:=#][^:=]*?)\s*:(?![:=])\s*([^;#]*)", line)
        if rule:
            recipe = []
            for target in rule.group(1).split():
                rules[target] = (rule.group(2).split(), recipe)
        elif line.strip() and not line.lstrip().startswith("#"):
            recipe = None
    return rules


def _make_recipe(target: str) -> list[str]:
    """The recipe lines a target runs: its own, then its prerequisites' (depth first)."""
    rules = _make_rules()
    lines: list[str] = []
    seen: set[str] = set()

    def visit(name: str) -> None:
        if name in seen or name not in rules:
            return
        seen.add(name)
        prerequisites, recipe = rules[name]
        for prerequisite in prerequisites:
            visit(prerequisite)
        lines.extend(recipe)

    visit(target)
    return lines


def _final() -> Stage:
    return _stages()[-1]


def test_is_multi_stage_with_named_build_stage() -> None:
    stages = _stages()
    assert len(stages) == 2, [s.base for s in stages]
    assert stages[0].base.startswith("node:"), stages[0].base
    assert stages[1].base.startswith("python:"), stages[1].base
    names = {s.name for s in stages[:-1]}
    for stage in stages:
        for flags, _, _ in _copies(stage):
            if "from" in flags:
                assert flags["from"] in names, f"COPY --from={flags['from']} names no earlier stage"


def test_copy_sources_exist_in_repo() -> None:
    missing = []
    for stage in _stages():
        for args in stage.args("COPY") + stage.args("ADD"):
            flags, sources, _ = _copy_parts(args)
            if "from" in flags:
                continue
            missing += [src for src in sources if not (ROOT / src).exists()]
    assert not missing, f"COPY sources missing from the repo: {missing}"


def test_ignore_file_keeps_local_build_output_out() -> None:
    patterns = {
        line.strip().rstrip("/")
        for line in IGNORE_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"**/node_modules", "newapi/ui_dist"} <= patterns, patterns


def test_ui_build_output_is_what_the_final_stage_copies() -> None:
    ui_stage = _stages()[0]
    match = re.search(r"outDir:\s*['\"]([^'\"]+)['\"]", VITE_CONFIG.read_text(encoding="utf-8"))
    assert match, "ui/vite.config.js sets no build.outDir"
    build_dirs = [wd for kw, args, wd in _walk(ui_stage) if kw == "RUN" and "npm run build" in args]
    assert len(build_dirs) == 1, build_dirs
    built = posixpath.normpath(posixpath.join(build_dirs[0], match.group(1)))
    copied = [
        sources for flags, sources, _ in _copies(_final()) if flags.get("from") == ui_stage.name
    ]
    assert copied, "the final stage copies nothing from the UI stage"
    assert [posixpath.normpath(s) for s in copied[0]] == [built]


def test_runs_as_non_root_user() -> None:
    users = _final().args("USER")
    assert users, "no USER in the final stage"
    assert users[-1].split(":")[0] not in {"root", "0"}, users[-1]


def test_data_volume_and_port() -> None:
    final = _final()
    volumes = [v for a in final.args("VOLUME") for v in a.strip("[]").replace('"', "").split()]
    assert "/data" in volumes, volumes
    assert "3000" in [p.split("/")[0] for args in final.args("EXPOSE") for p in args.split()]


def test_healthcheck_hits_healthz() -> None:
    checks = _final().args("HEALTHCHECK")
    assert len(checks) == 1, checks
    assert "CMD" in checks[0].split(), checks[0]
    assert "http://127.0.0.1:3000/healthz" in checks[0], checks[0]


def test_cmd_runs_serve_with_flags_the_cli_accepts() -> None:
    cmds = _final().args("CMD")
    assert cmds, "no CMD in the final stage"
    argv = _exec_form(cmds[-1])
    assert argv[:2] == ["newapi", "serve"], argv
    flags = [a.split("=")[0] for a in argv[2:] if a.startswith("-")]
    assert flags, argv

    run = subprocess.run(
        [sys.executable, "-m", "newapi", "serve", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, f"`newapi serve --help` failed:\n{run.stderr}"
    accepted = set(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", run.stdout))
    assert set(flags) <= accepted, f"flags {sorted(set(flags) - accepted)} not in serve --help"

    options = dict(zip(argv[2::2], argv[3::2], strict=False))
    assert options.get("--port") == "3000", options
    config_dests = [dest for _, sources, dest in _copies(_final()) if sources == ["gateway.toml"]]
    assert options.get("--config") in config_dests, (options, config_dests)


def test_npm_commands_match_makefile_ui_target() -> None:
    assert MAKEFILE.exists(), "Makefile is missing (its `ui` target must build the UI)"
    recipe = _make_recipe("ui")
    assert recipe, "Makefile has no `ui` target"
    assert _npm_commands(recipe) == UI_COMMANDS, recipe
    assert any("cd ui" in cmd for line in recipe for cmd in _commands(line)), recipe
    ui_stage = _stages()[0]
    assert _npm_commands(ui_stage.args("RUN")) == UI_COMMANDS
