"""Where a sync's CPU goes: the whole app in this process, without the network, profiled.

`bench/sync_load.py` measures a sync as a client meets it (Uvicorn, loopback, many clients);
this runs the same batches (5 session logs and a check-in, the cursor moving as the answers
come back) straight through the ASGI app, one after another on this process's event loop, so
that what the app itself spends can be weighed change by change. It prints the CPU seconds
per sync of this process (route threads included; plan rebuilds excluded, their delay is set
beyond the run: `bench/plan_build.py` measures them), the median of `--rounds` rounds. With
`--against DIR` (another checkout, such as `git worktree add /tmp/base main`) the two take
turns, each in a fresh process, and it prints both medians and the median ratio. With
`--profile N` it runs once more with the route threads replaced by direct calls, under
cProfile, and lists the N functions with the most time of their own.

    .venv/bin/python bench/sync_profile.py [--syncs 400] [--rounds 3] [--postgres]
        [--against DIR] [--profile 30]
"""

import argparse
import asyncio
import contextlib
import cProfile
import gzip
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS = 40


def _answer(messages: list[dict]) -> dict:
    start = messages[0]
    if start["status"] != 200:
        raise RuntimeError(f"sync answered {start['status']}: {messages[1:]}")
    body = b"".join(m.get("body", b"") for m in messages[1:])
    if (b"content-encoding", b"gzip") in start["headers"]:
        body = gzip.decompress(body)
    return json.loads(body)


def _inline_threads() -> None:
    """Run what FastAPI would hand to its thread pool on the calling thread (for cProfile,
    which sees one thread)."""
    import fastapi.concurrency
    import fastapi.dependencies.utils
    import fastapi.routing
    import starlette.concurrency

    async def run_here(func, *args, **kwargs):
        return func(*args, **kwargs)

    @contextlib.asynccontextmanager
    async def enter_here(manager):
        with manager as value:
            yield value

    for module in (starlette.concurrency, fastapi.routing, fastapi.dependencies.utils):
        if hasattr(module, "run_in_threadpool"):
            module.run_in_threadpool = run_here
    for module in (fastapi.concurrency, fastapi.routing, fastapi.dependencies.utils):
        if hasattr(module, "contextmanager_in_threadpool"):
            module.contextmanager_in_threadpool = enter_here


async def _syncs(app, tokens: list[str], n: int, profile: cProfile.Profile | None) -> float:
    """CPU seconds per sync over `n` syncs (after a few to warm up)."""
    from bench.sync_load import batch

    async def post(token: str, body: bytes) -> dict:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": "/api/sync",
            "raw_path": b"/api/sync",
            "query_string": b"",
            "root_path": "",
            "server": ("127.0.0.1", 8000),
            "client": ("127.0.0.1", 50000),
            "headers": [
                (b"host", b"127.0.0.1:8000"),
                (b"authorization", f"Bearer {token}".encode()),
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"accept-encoding", b"gzip"),
            ],
        }
        sent = False

        async def receive() -> dict:
            nonlocal sent
            if sent:  # the body was read: nothing more comes (a client that stays)
                await asyncio.Event().wait()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        messages: list[dict] = []

        async def send(message: dict) -> None:
            messages.append(message)

        await app(scope, receive, send)
        return _answer(messages)

    for token in tokens[:5]:  # warm: the statements and the validators built
        await post(token, batch(5, 0, days_ago=900))
    cursors = dict.fromkeys(tokens, 0)
    work = [(tokens[i % len(tokens)], batch(5, 0, days_ago=1 + i // len(tokens))) for i in range(n)]
    began = time.process_time()
    if profile:
        profile.enable()
    for token, body in work:
        body = body.replace(b'"cursor": 0', f'"cursor": {cursors[token]}'.encode(), 1)
        cursors[token] = (await post(token, body))["cursor"]
    if profile:
        profile.disable()
    return (time.process_time() - began) / n


def one_run(args: argparse.Namespace) -> None:
    """In a fresh process (this checkout's `app`): print the CPU milliseconds per sync."""
    sys.path.insert(0, os.getcwd())
    import uvloop

    from app.config import Settings
    from app.db import migrate
    from app.main import create_app
    from bench._servers import throwaway_postgres
    from bench.sync_load import accounts, postgres_database

    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory())
        url = f"sqlite:///{folder}/profile.db"
        if args.postgres:
            url, drop = postgres_database(stack.enter_context(throwaway_postgres()))
            stack.callback(drop)
        migrate(url)
        tokens = accounts(url, ACCOUNTS)
        settings = Settings(database_url=url, environment="test", plan_rebuild_delay=3600)
        if args.profile:
            _inline_threads()
        app = create_app(settings)
        profile = cProfile.Profile() if args.profile else None

        async def main() -> float:
            async with app.router.lifespan_context(app):
                return await _syncs(app, tokens, args.syncs, profile)

        cpu = uvloop.run(main())
        print(f"{cpu * 1000:.3f}", flush=True)
        if profile:
            stats = pstats.Stats(profile, stream=sys.stderr)
            stats.sort_stats("tottime").print_stats(args.profile)


def measure(checkout: Path, args: argparse.Namespace, profile: int = 0) -> float:
    command = [sys.executable, str(Path(__file__).resolve()), "--one", "--syncs", str(args.syncs)]
    command += ["--postgres"] * args.postgres + ["--profile", str(profile)]
    done = subprocess.run(command, cwd=checkout, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    if profile:
        print(done.stderr)
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--syncs", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    parser.add_argument("--against", type=Path, help="another checkout, measured in turns")
    parser.add_argument("--profile", type=int, default=0, help="list this many functions")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_run(args)
        return
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{args.syncs} syncs of 5 sessions + 1 check-in, in this process, on {database}")
    ours, theirs, ratios = [], [], []
    for _ in range(args.rounds):
        ours.append(measure(ROOT, args))
        if args.against:
            theirs.append(measure(args.against.resolve(), args))
            ratios.append(ours[-1] / theirs[-1])
    line = f"CPU per sync: {statistics.median(ours):.2f} ms (median of {args.rounds})"
    if args.against:
        line += (
            f"; {args.against}: {statistics.median(theirs):.2f} ms; "
            f"ratio {statistics.median(ratios):.2f} (median of the rounds')"
        )
    print(line)
    if args.profile:
        measure(ROOT, args, args.profile)


if __name__ == "__main__":
    main()
