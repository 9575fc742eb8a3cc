"""Throughput of GET /api/exercises against bare FastAPI JSON endpoints, in the same run.

Budget (docs/budgets.md): the catalogue endpoint within 80 % of a bare FastAPI JSON
endpoint's throughput. Each server is one Uvicorn process; load comes from `wrk`
(apt-get install wrk) on loopback, one server at a time.

    .venv/bin/python bench/catalogue_throughput.py [--seconds 5] [--connections 32]
"""

import argparse
import re
import shutil
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")

    runs: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate(url)
        with uvicorn_process("bench.bare_app:app") as base:
            for name, path in [("bare small", "/small"), ("bare catalogue", "/catalogue")]:
                wrk(base + path, 1, args.connections, [])  # warm up
                runs[name] = wrk(base + path, args.seconds, args.connections, [])
        env = {"DATABASE_URL": url, "ENVIRONMENT": "test"}
        with uvicorn_process("app.main:create_app", env=env, factory=True) as base:
            for name, headers in [
                ("/api/exercises", ["Accept-Encoding: identity"]),
                ("/api/exercises gzip", ["Accept-Encoding: gzip"]),
                ("/api/exercises 304", ["Accept-Encoding: gzip", "If-None-Match: *"]),
            ]:
                wrk(base + "/api/exercises", 1, args.connections, headers)
                runs[name] = wrk(base + "/api/exercises", args.seconds, args.connections, headers)

    yardstick = runs["bare small"]
    print(f"{'endpoint':<24} {'req/s':>9} {'vs bare small':>14}")
    for name, rps in runs.items():
        print(f"{name:<24} {rps:>9.0f} {rps / yardstick:>13.0%}")
    ratio = runs["/api/exercises gzip"] / yardstick
    print(f"catalogue (gzip, as browsers ask) at {ratio:.0%} of the bare endpoint; budget 80 %")


if __name__ == "__main__":
    main()
