"""Load on POST /api/sync: 100 signed-in clients at once against a real Uvicorn process.

Budget (docs/budgets.md): `/api/sync` holds 100 concurrent clients with p99 under
200 ms on SQLite. Each client is its own account and connection; it sends a batch (sessions
and a check-in, fresh UUIDs) with its cursor, waits for the answer, pauses, and sends the
next, `--batches` times. Two runs: paced (`--pause` seconds between a client's syncs, the
clients started at random moments within the first pause), and flat out (no pause: every
client always has a sync in flight, which measures capacity; there latency is bound to be
clients / throughput). One Uvicorn process serves, as `spinewise serve` does by default;
load comes from this process, on loopback.

    .venv/bin/python bench/sync_load.py [--clients 100] [--batches 20] [--sessions 5]
        [--pause 1.0] [--database-url postgresql://user:pw@127.0.0.1/postgres]

With --database-url the same load runs a second time on PostgreSQL, in a throwaway database
created on that server and dropped afterwards.
"""

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import migrate, normalise_url
from bench._servers import cpu_seconds, settled_cpu_seconds, uvicorn_process

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


async def sign_up(http: httpx.AsyncClient, n: int) -> str:
    email = f"bench-{n}-{uuid.uuid4().hex[:8]}@example.org"
    response = await http.post("/api/auth/register", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return response.json()["access_token"]


async def client(
    base: str, token: str, batches: int, sessions: int, pause: float, start: asyncio.Event
):
    """One device: its own connection, `batches` syncs `pause` seconds apart; each latency."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    # Built before the clock starts.
    bodies = [batch(sessions, 0, days_ago=i + 1) for i in range(batches)]
    latencies, failures, cursor = [], 0, 0
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
        await start.wait()
        await asyncio.sleep(random.uniform(0, pause))
        for i, body in enumerate(bodies):
            if i:
                await asyncio.sleep(pause)
            # The cursor moves as the answers come back, as on a real device.
            body = body.replace(b'"cursor": 0', f'"cursor": {cursor}'.encode(), 1)
            began = time.perf_counter()
            response = await http.post("/api/sync", content=body)
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                failures += 1
            else:
                cursor = response.json()["cursor"]
    return latencies, failures


async def run(
    base: str, clients: int, batches: int, sessions: int, pause: float
) -> dict[str, float]:
    """Register the clients' accounts, then start them all at once; the figures. The server's
    CPU counts from the start to when its plan rebuilds after the syncs are done too."""
    # Accounts first, a few at a time: registering (an Argon2 hash each) is not what is measured.
    gate = asyncio.Semaphore(4)

    async def gated_sign_up(http: httpx.AsyncClient, n: int) -> str:
        async with gate:
            return await sign_up(http, n)

    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        tokens = await asyncio.gather(*(gated_sign_up(http, n) for n in range(clients)))
    start = asyncio.Event()
    tasks = [
        asyncio.create_task(client(base, token, batches, sessions, pause, start))
        for token in tokens
    ]
    await asyncio.sleep(0.5)  # every client has built its bodies and is waiting
    pid = getattr(base, "pid", None)
    cpu_before = settled_cpu_seconds(pid) if pid else 0.0
    began = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - began
    cpu_during = cpu_seconds(pid) - cpu_before if pid else 0.0
    cpu_all = settled_cpu_seconds(pid) - cpu_before if pid else 0.0
    latencies = sorted(lat for lats, _ in results for lat in lats)
    quantiles = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "pause": pause,
        "requests": len(latencies),
        "failures": sum(f for _, f in results),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "records/s": len(latencies) * (sessions + 1) / elapsed,
        "p50": quantiles[49] * 1000,
        "p90": quantiles[89] * 1000,
        "p99": quantiles[98] * 1000,
        "max": latencies[-1] * 1000,
        # Server CPU per sync: while answering, and with the plan rebuilds they caused.
        "cpu ms": cpu_during / len(latencies) * 1000,
        "cpu all ms": cpu_all / len(latencies) * 1000,
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


def measure(label: str, url: str, args: argparse.Namespace) -> list[dict[str, float]]:
    """Both runs, paced and flat out, each on a fresh database at `url`'s server."""
    migrate(url)
    env = {
        "DATABASE_URL": url,
        "ENVIRONMENT": "test",
        # The bench registers every client from one address.
        "AUTH_ATTEMPTS_PER_ADDRESS": str(args.clients * 2),
    }
    runs = []
    workers = ["--workers", str(args.workers)]
    with uvicorn_process("app.main:create_app", env=env, factory=True, extra_args=workers) as base:
        for pause in (args.pause, 0.0):
            figures = asyncio.run(run(base, args.clients, args.batches, args.sessions, pause))
            runs.append({**figures, "database": label, "workers": args.workers})
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--batches", type=int, default=20, help="syncs per client")
    parser.add_argument("--sessions", type=int, default=5, help="session logs per sync")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between a client's syncs")
    parser.add_argument("--workers", type=int, default=1, help="Uvicorn worker processes")
    parser.add_argument("--database-url", help="a PostgreSQL server to measure as well")
    args = parser.parse_args()

    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        runs += measure("SQLite", f"sqlite:///{tmp}/bench.db", args)
    if args.database_url:
        url, drop = postgres_database(args.database_url)
        try:
            runs += measure("PostgreSQL", url, args)
        finally:
            drop()

    print(f"{args.clients} clients x {args.batches} syncs of {args.sessions} sessions + 1 check-in")
    print(
        f"{'database':<11} {'wkrs':>4} {'pause':>6} {'syncs':>6} {'fail':>5} {'syncs/s':>8} "
        f"{'records/s':>10} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'cpu ms':>7} {'+rebuild':>8}"
    )
    for r in runs:
        pause = f"{r['pause']:.1f}s" if r["pause"] else "none"
        print(
            f"{r['database']:<11} {r['workers']:>4} {pause:>6} {r['requests']:>6} "
            f"{r['failures']:>5} {r['rps']:>8.0f} {r['records/s']:>10.0f} {r['p50']:>7.1f} "
            f"{r['p90']:>7.1f} {r['p99']:>7.1f} {r['max']:>7.1f} {r['cpu ms']:>7.2f} "
            f"{r['cpu all ms']:>8.2f}"
        )
    paced = runs[0]
    verdict = "within" if paced["p99"] < 200 else "OVER"
    print(f"SQLite, paced: p99 {paced['p99']:.0f} ms, {verdict} the 200 ms budget")


if __name__ == "__main__":
    main()
