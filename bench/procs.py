"""The benchmark's processes: start them pinned to a core, wait for them, read their CPU and RSS.

Each server is a ``Server``: a child process (started under ``taskset -c N`` when pinning), its
log file, and the pid whose ``/proc`` counters are read. CPU is utime+stime from
``/proc/<pid>/stat`` summed over the process and its descendants; RSS is ``VmRSS`` summed the
same way, sampled by ``RssSampler`` while load runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "RssSampler",
    "Server",
    "cpu_seconds",
    "free_port",
    "pin_self",
    "rss_bytes",
    "start_server",
    "tree",
]

_TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pin_self(core: int | None) -> None:
    """Pin this process (the load generator and its children) to ``core``; None: leave it."""
    if core is not None:
        os.sched_setaffinity(0, {core})


def tree(pid: int) -> list[int]:
    """``pid`` and all its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, ()))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """utime+stime of ``pids`` in seconds (processes that are gone count zero)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _TICK


def rss_bytes(pids: list[int], key: str = "VmRSS") -> int:
    """Summed ``VmRSS`` (or ``VmHWM``) of ``pids`` in bytes."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(key + ":"):
                total += int(line.split()[1]) * 1024
    return total


@dataclass
class RssSampler:
    """Samples the summed RSS of ``pids`` every ``interval`` s while running."""

    pids: list[int]
    interval: float = 0.2
    samples: list[int] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    async def _loop(self) -> None:
        while True:
            self.samples.append(rss_bytes(self.pids))
            await asyncio.sleep(self.interval)

    def __enter__(self) -> RssSampler:
        self._task = asyncio.get_running_loop().create_task(self._loop())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
        self.samples.append(rss_bytes(self.pids))

    @property
    def peak(self) -> int:
        return max(self.samples, default=0)


@dataclass
class Server:
    """A started child process serving on ``port``."""

    name: str
    proc: subprocess.Popen[bytes]
    port: int
    log: Path
    pids: list[int] = field(default_factory=list)

    def refresh_pids(self) -> list[int]:
        self.pids = tree(self.proc.pid)
        return self.pids

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM the process group, then SIGKILL what is left after 10 s."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def start_server(
    name: str,
    argv: list[str],
    port: int,
    log: Path,
    *,
    core: int | str | None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 90.0,
) -> Server:
    """Start ``argv`` (under ``taskset -c core`` when given) and wait until ``port`` accepts."""
    if core is not None:
        if shutil.which("taskset") is None:
            raise RuntimeError("taskset is missing (util-linux); pass --no-pin")
        argv = ["taskset", "-c", str(core), *argv]
    handle = log.open("wb")
    proc = subprocess.Popen(
        argv,
        stdout=handle,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=cwd,
        start_new_session=True,  # its own process group, so stop() reaches its children
    )
    handle.close()
    server = Server(name, proc, port, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited with {proc.returncode}:\n{server.tail()}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                server.refresh_pids()
                return server
        time.sleep(0.1)
    server.stop()
    raise RuntimeError(f"{name} did not listen on {port} within {timeout:.0f} s:\n{server.tail()}")
