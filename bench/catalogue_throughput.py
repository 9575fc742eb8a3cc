"""Throughput of GET /api/exercises against bare FastAPI JSON endpoints, in the same run.

Budget (docs/budgets.md): the catalogue endpoint within 80 % of a bare FastAPI JSON
endpoint's throughput. Each server is one Uvicorn process, both started at once; load comes
from `wrk` (apt-get install wrk) on loopback, one endpoint at a time. On a shared machine two
runs in a row can differ by a third, so the endpoints take turns (bare, Spinewise, bare,
Spinewise, ...) over `--rounds` rounds, and each ratio is the median of the rounds' ratios,
each round's endpoint against that round's bare one.

    .venv/bin/python bench/catalogue_throughput.py [--seconds 3] [--rounds 5] [--connections 32]
"""

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import migrate
from bench._servers import uvicorn_process


def wrk(url: str, seconds: int, connections: int, headers: list[str]) -> float:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


ENDPOINTS = [  # name, server, path, headers
    ("bare small", "bare", "/small", []),
    ("bare catalogue", "bare", "/catalogue", []),
    ("/api/exercises", "app", "/api/exercises", ["Accept-Encoding: identity"]),
    ("/api/exercises gzip", "app", "/api/exercises", ["Accept-Encoding: gzip"]),
    ("/api/exercises 304", "app", "/api/exercises", ["Accept-Encoding: gzip", "If-None-Match: *"]),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    runs: dict[str, list[float]] = {name: [] for name, *_ in ENDPOINTS}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
        with (
            uvicorn_process("bench.bare_app:app") as bare,
            uvicorn_process("app.main:create_app", env=env, factory=True) as app,
        ):
            bases = {"bare": bare, "app": app}
            for _, server, path, headers in ENDPOINTS:  # warm up
                wrk(bases[server] + path, 1, args.connections, headers)
            for _ in range(args.rounds):
                for name, server, path, headers in ENDPOINTS:
                    rps = wrk(bases[server] + path, args.seconds, args.connections, headers)
                    runs[name].append(rps)

    yardstick = runs["bare small"]
    print(f"{args.rounds} rounds of {args.seconds} s each, taking turns")
    print(f"{'endpoint':<24} {'median req/s':>13} {'vs bare small':>14} {'range':>12}")
    ratios = {}
    for name, rates in runs.items():
        each = [r / y for r, y in zip(rates, yardstick, strict=True)]
        ratios[name] = statistics.median(each)
        spread = f"{min(each):.0%}-{max(each):.0%}"
        print(f"{name:<24} {statistics.median(rates):>13.0f} {ratios[name]:>13.0%} {spread:>12}")
    ratio = ratios["/api/exercises gzip"]
    print(f"catalogue (gzip, as browsers ask) at {ratio:.0%} of the bare endpoint; budget 80 %")


if __name__ == "__main__":
    main()
