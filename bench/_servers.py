"""Helpers for the benchmarks: a real Uvicorn process on a free loopback port, and a
throwaway PostgreSQL cluster."""

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


class Server(str):
    """A running server's base URL (a str, as the benches use it), with its process id."""

    pid: int


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system, from the operating system) of process `pid` and of every
    process below it (Uvicorn's workers, PostgreSQL's backends), so far, those that have
    ended included (their parent's cutime and cstime). Linux only: read from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            # After the name: state, ppid, ..., utime, stime, cutime and cstime are the 12th
            # to 15th (a child's time moves to its parent's cutime and cstime when it ends).
            stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, (0, 0))[1]
        todo += [child for child, (parent, _) in stats.items() if parent == p]
    return total / tick


def settled_cpu_seconds(pid: int, quiet: float = 1.0, limit: float = 60) -> float:
    """`cpu_seconds` once the server has gone quiet (its background plan rebuilds done)."""
    last, end = cpu_seconds(pid), time.monotonic() + limit
    while time.monotonic() < end:
        time.sleep(quiet)
        now = cpu_seconds(pid)
        if now - last < 0.02 * quiet:
            return now
        last = now
    return last


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def uvicorn_process(
    target: str,
    env: dict[str, str] | None = None,
    factory: bool = False,
    extra_args: list[str] | None = None,
    cwd: Path = ROOT,
):
    """Run `uvicorn target` in its own process; yield its base URL; stop it afterwards.
    `cwd` is the checkout whose `app` it imports (this one by default)."""
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if factory:
        args.append("--factory")
    args += extra_args or []
    proc = subprocess.Popen(args, cwd=cwd, env={**os.environ, **(env or {})})
    base = Server(f"http://127.0.0.1:{port}")
    base.pid = proc.pid
    try:
        deadline = time.monotonic() + 120  # a busy shared machine starts slowly
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{target} did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still busy with a backlog: stop it
            proc.kill()
            proc.wait()


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian's `postgresql` package), if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    return Path(found[-1]) if found else None


class Cluster(str):
    """A running throwaway cluster's server URL (a str), with its postmaster's process id."""

    pid: int


@contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster of its own, made with initdb in a temporary folder, on a free
    loopback port; stopped and removed afterwards. As `scripts/test --postgres` does: the
    machine's own clusters are never touched. Yields the server URL (database `postgres`)."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is needed: apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="spinewise-bench-postgres-"))
    root = os.getuid() == 0

    def as_owner(*args: str) -> None:
        # PostgreSQL will not run as root: as root, the cluster belongs to `postgres`.
        cmd = ["runuser", "-u", "postgres", "--", *args] if root else list(args)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    if root:
        shutil.chown(folder, "postgres")
    password = secrets.token_hex(16)
    (folder / "password").write_text(password)
    if root:
        shutil.chown(folder / "password", "postgres")
    port = free_port()
    data = str(folder / "data")
    as_owner(
        str(bin_dir / "initdb"), "-D", data, "-U", "spinewise", f"--pwfile={folder}/password",
        "--auth=scram-sha-256", "-E", "UTF8", "--no-sync",
    )  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c max_connections=200"
    as_owner(
        str(bin_dir / "pg_ctl"), "-D", data, "-l", f"{folder}/log", "-w", "start", "-o", options
    )
    try:
        url = Cluster(f"postgresql://spinewise:{password}@127.0.0.1:{port}/postgres")
        url.pid = int((folder / "data" / "postmaster.pid").read_text().split()[0])
        yield url
    finally:
        as_owner(str(bin_dir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)
