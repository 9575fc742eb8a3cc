"""Load on POST /api/sync: paced and flat-out signed-in clients against real Uvicorn processes,
on SQLite and PostgreSQL, with 1 and 2 worker processes, side by side from one run.

Budget (docs/budgets.md): p99 under 100 ms at 100 paced clients and under 200 ms at 300, on
SQLite, one process. Each client is its own account and connection; it sends a batch
(sessions and a check-in, fresh UUIDs) with its cursor, waits for the answer, and sends the
next, `--batches` times. Paced runs (a client's syncs `--pause` seconds apart on its own clock,
from a random moment within the first pause: N clients make a steady N/pause syncs a second,
as devices that sync independently do; a client whose answer comes late sends its next at
once, and does not wait a whole pause after it, which would bunch clients delayed together
into bursts that feed themselves) at each of `--clients`; then a
flat-out run (no pause: every one of `--flat-clients` clients always has a sync in flight),
which measures capacity (there latency is bound to be clients / throughput). Load comes from
this process, on loopback, on the same cores.

CPU per sync is read from the operating system (utime and stime of the Uvicorn processes, and
of the PostgreSQL cluster's for `db cpu`), over the flat-out run and until the plan rebuilds
it caused are done: the server's whole cost of a sync, not wall time. `load cpu` is this
process's own per sync (the load generator shares the cores: it speaks HTTP/1.1 over asyncio's
streams itself, at about a sixth of an HTTP client library's cost).

PostgreSQL runs in a throwaway cluster made for the run (`initdb` in a temporary folder, a free
loopback port, removed afterwards; the machine's own clusters are not touched), or on the
server at `--database-url`, in a database made for the run and dropped afterwards.

    .venv/bin/python bench/sync_load.py [--clients 100,300] [--flat-clients 100]
        [--workers 1,2] [--batches 20] [--sessions 5] [--pause 1.0] [--rebuild-delay S]
        [--no-postgres] [--database-url postgresql://user:pw@127.0.0.1/postgres]
"""

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from app.accounts import hash_password, new_token
from app.db import make_engine, migrate, normalise_url
from app.models import AuthToken, User, utcnow
from bench._servers import (
    Server,
    cpu_seconds,
    settled_cpu_seconds,
    throwaway_postgres,
    uvicorn_process,
)

PASSWORD = "bench password, not secret"


def batch(sessions: int, cursor: int, days_ago: int = 1) -> bytes:
    """One sync body: `sessions` session logs of three exercises and a check-in, all new (an
    account holds one check-in a day, so each batch of a device is a day of its own)."""
    start = datetime.now(UTC) - timedelta(days=days_ago)
    exercise = {
        "slug": "glute-bridge",
        "sets_done": 2,
        "reps_done": 10,
        "effort": 4,
        "pain": 2,
        "fatigue_region": "hips-glutes",
        "fatigue_onset": {"set": 2, "rep": 8},
        "helpful_cues": ["Let the ribs settle down first, then lift."],
    }
    body = {
        "cursor": cursor,
        "sessions": [
            {
                "id": str(uuid.uuid4()),
                "updated_at": start.isoformat(),
                "kind": "plan",
                "started_at": start.isoformat(),
                "ended_at": (start + timedelta(minutes=20)).isoformat(),
                "exercises": [exercise] * 3,
                "notes": "felt steady",
            }
            for _ in range(sessions)
        ],
        "checkins": [
            {
                "id": str(uuid.uuid4()),
                "updated_at": start.isoformat(),
                "day": start.date().isoformat(),
                "pain": 2,
                "stiffness": 3,
                "compared_with_yesterday": "same",
                "fatigue_lingered": False,
            }
        ],
    }
    return json.dumps(body).encode()


def accounts(url: str, n: int) -> list[str]:
    """`n` accounts with a bearer token each, written straight into the database: signing up
    (an Argon2 hash each) is not what is measured. One password hash serves them all."""
    engine = make_engine(url)
    password_hash = hash_password(PASSWORD)
    tokens = []
    with Session(engine) as db:
        users = [
            User(email=f"bench-{i}@example.org", password_hash=password_hash) for i in range(n)
        ]
        db.add_all(users)
        db.flush()
        expires = utcnow() + timedelta(days=1)
        for user in users:
            token, digest = new_token()
            db.add(AuthToken(user_id=user.id, token_hash=digest, expires_at=expires))
            tokens.append(token)
        db.commit()
    engine.dispose()
    return tokens


class Connection:
    """One keep-alive HTTP/1.1 connection that posts prepared bodies and reads the answers:
    a few lines over asyncio's streams, because an HTTP client library costs the generator
    about 1.3 ms of CPU a request (httpx), on the two cores the server needs."""

    def __init__(self, base: str, token: str) -> None:
        self.host, _, port = base.removeprefix("http://").partition(":")
        self.port = int(port)
        self.head = (
            f"POST /api/sync HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        ).encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """(status, body) of the answer; reconnects when the server closed the connection."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(self.head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            raise
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        fields = dict(line.split(b": ", 1) for line in lines[1:] if b": " in line)
        answer = await reader.readexactly(int(fields.get(b"content-length", b"0")))
        if fields.get(b"connection") == b"close":
            await self.close()
        return status, answer

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def client(
    base: str,
    token: str,
    batches: int,
    sessions: int,
    pause: float,
    start: asyncio.Event,
    first_day: int,
):
    """One device: its own connection, `batches` syncs, one every `pause` seconds; each latency.
    Its check-ins are for the days from `first_day` back (one a day, as an account holds)."""
    # Built before the clock starts.
    bodies = [batch(sessions, 0, days_ago=first_day + i) for i in range(batches)]
    latencies, failures, cursor = [], 0, 0
    connection = Connection(base, token)
    await start.wait()
    first = time.perf_counter() + random.uniform(0, pause)
    for i, body in enumerate(bodies):
        await asyncio.sleep(max(0.0, first + i * pause - time.perf_counter()))
        # The cursor moves as the answers come back, as on a real device.
        body = body.replace(b'"cursor": 0', f'"cursor": {cursor}'.encode(), 1)
        began = time.perf_counter()
        try:
            status, answer = await asyncio.wait_for(connection.post(body), 60)
        except (OSError, asyncio.IncompleteReadError, TimeoutError):  # no answer in time
            status, answer = 0, b""
            await connection.close()
        latencies.append(time.perf_counter() - began)
        if status != 200:
            failures += 1
        else:
            cursor = json.loads(answer)["cursor"]
    await connection.close()
    return latencies, failures


async def run(
    base: Server,
    tokens: list[str],
    batches: int,
    sessions: int,
    pause: float,
    first_day: int,
    db_pid: int | None = None,
) -> dict[str, float]:
    """Start every client at once; the figures. The CPU counts from the start to when the
    plan rebuilds after the syncs are done too."""
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(client(base, token, batches, sessions, pause, start, first_day))
        for token in tokens
    ]
    await asyncio.sleep(0.5)  # every client has built its bodies and is waiting
    cpu_before = settled_cpu_seconds(base.pid)
    db_before = cpu_seconds(db_pid) if db_pid else 0.0
    began = time.perf_counter()
    client_before = time.process_time()
    start.set()
    results = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    client_cpu = time.process_time() - client_before
    cpu_all = settled_cpu_seconds(base.pid) - cpu_before
    db_all = cpu_seconds(db_pid) - db_before if db_pid else None
    latencies = sorted(lat for lats, _ in results for lat in lats)
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "failures": sum(f for _, f in results),
        "rps": len(latencies) / elapsed,
        "p50": quantiles[49] * 1000,
        "p90": quantiles[89] * 1000,
        "p99": quantiles[98] * 1000,
        # CPU per sync, the plan rebuilds they caused included: the app's and the database's.
        "cpu": cpu_all / len(latencies) * 1000,
        "db cpu": db_all / len(latencies) * 1000 if db_all is not None else None,
        "client cpu": client_cpu / len(latencies) * 1000,
    }


def postgres_database(server_url: str):
    """A throwaway database on the server at `server_url`: (its URL, a function to drop it)."""
    server = make_url(normalise_url(server_url))
    name = f"spinewise_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def measure(
    label: str, url: str, workers: int, args: argparse.Namespace, db_pid: int | None = None
) -> dict:
    """The paced runs and the flat-out one against `workers` processes on a fresh database."""
    migrate(url)
    # The flat-out run has accounts of its own, fresh as the paced runs' were: its CPU per
    # sync (rebuilds included) does not depend on which paced runs went before.
    tokens = accounts(url, max(args.clients) + args.flat_clients)
    env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
    if args.rebuild_delay is not None:
        env["PLAN_REBUILD_DELAY"] = str(args.rebuild_delay)
    figures: dict = {"database": label, "workers": workers, "paced": {}}
    first_day = 1
    with uvicorn_process(
        "app.main:create_app", env=env, factory=True, extra_args=["--workers", str(workers)]
    ) as base:
        for n in args.clients:
            figures["paced"][n] = asyncio.run(
                run(base, tokens[:n], args.batches, args.sessions, args.pause, first_day, db_pid)
            )
            first_day += args.batches  # each run's check-ins on days of their own
        figures["flat"] = asyncio.run(
            run(
                base,
                tokens[-args.flat_clients :],
                args.batches,
                args.sessions,
                0.0,
                first_day,
                db_pid,
            )
        )
    return figures


def header(args: argparse.Namespace) -> None:
    per = f"{args.sessions} sessions + 1 check-in"
    print(f"{args.batches} syncs a client of {per}, paced {args.pause:.1f} s apart or flat out")
    head = f"{'database':<11} {'wkrs':>4}"
    for n in args.clients:
        head += f" | {n} paced: p50/p90/p99 ms".ljust(31)
    head += f" | flat {args.flat_clients}: syncs/s  p99 ms | cpu ms/sync  db cpu | fail | load cpu"
    print(head, flush=True)


def row(args: argparse.Namespace, r: dict) -> None:
    """One configuration's figures, printed as soon as they are measured."""
    line = f"{r['database']:<11} {r['workers']:>4}"
    fails = r["flat"]["failures"]
    for n in args.clients:
        p = r["paced"][n]
        fails += p["failures"]
        line += f" | {p['p50']:>8.1f} {p['p90']:>8.1f} {p['p99']:>8.1f}".ljust(31)
    f = r["flat"]
    db_cpu = f"{f['db cpu']:>6.2f}" if f["db cpu"] is not None else f"{'-':>6}"
    line += f" | {f['rps']:>14.0f} {f['p99']:>7.0f} | {f['cpu']:>11.2f} {db_cpu} | {fails:>4}"
    line += f" | {f['client cpu']:>8.2f}"
    print(line, flush=True)
    if r["database"] == "SQLite" and r["workers"] == 1:
        verdicts = [
            f"p99 {r['paced'][n]['p99']:.0f} ms at {n} (budget {budget})"
            for n, budget in ((100, 100), (300, 200))
            if n in r["paced"]
        ]
        cpu = f"CPU {f['cpu']:.2f} ms a sync (goal 4)"
        print("  SQLite, one process: " + "; ".join([*verdicts, cpu]), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="100,300", help="paced clients, one run each")
    parser.add_argument("--flat-clients", type=int, default=100)
    parser.add_argument("--workers", default="1,2", help="Uvicorn worker processes, one set each")
    parser.add_argument("--batches", type=int, default=20, help="syncs per client")
    parser.add_argument("--sessions", type=int, default=5, help="session logs per sync")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between a client's syncs")
    parser.add_argument(
        "--rebuild-delay",
        type=float,
        help="PLAN_REBUILD_DELAY for the server (default the app's, 2 s: a client's paced syncs "
        "then make one rebuild; 0 makes one a sync, as syncs hours apart do)",
    )
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--database-url", help="a PostgreSQL server to use, not a throwaway one")
    args = parser.parse_args()
    args.clients = [int(n) for n in args.clients.split(",")]
    workers = [int(n) for n in args.workers.split(",")]

    header(args)
    for w in workers:
        with tempfile.TemporaryDirectory() as tmp:
            row(args, measure("SQLite", f"sqlite:///{tmp}/bench.db", w, args))
    if not args.no_postgres:
        with contextlib.ExitStack() as stack:
            server, db_pid = args.database_url, None
            if server is None:
                server = stack.enter_context(throwaway_postgres())
                db_pid = server.pid
            for w in workers:
                url, drop = postgres_database(server)
                try:
                    row(args, measure("PostgreSQL", url, w, args, db_pid))
                finally:
                    drop()


if __name__ == "__main__":
    main()
