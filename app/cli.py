"""`spinewise`: run the server, migrate the database, check the catalogue."""

import argparse
import sys
from collections import Counter

from app.catalogue import CatalogueError, load_catalogue
from app.config import get_settings
from app.db import migrate


def _migrate() -> None:
    url = get_settings().db_url
    migrate(url)
    print(f"database at head: {url.split('@')[-1]}")


def _check_catalogue() -> int:
    try:
        catalogue = load_catalogue()
    except CatalogueError as exc:
        print(f"catalogue is broken: {exc}", file=sys.stderr)
        return 1
    patterns = Counter(e.pattern.value for e in catalogue.exercises)
    print(f"catalogue {catalogue.version}: {len(catalogue)} exercises")
    for pattern, count in sorted(patterns.items()):
        print(f"  {pattern:<14} {count}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if _check_catalogue():
        return 1
    if not args.no_migrate:
        _migrate()
    shown = "localhost" if args.host in ("0.0.0.0", "::") else args.host
    print(f"Spinewise is running: open http://{shown}:{args.port}/", flush=True)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spinewise", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="apply migrations, then serve the app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-migrate", action="store_true", help="do not apply migrations first")
    commands.add_parser("migrate", help="bring the database up to the newest migration")
    commands.add_parser("check-catalogue", help="validate the exercise catalogue and summarise it")
    simulate = commands.add_parser("simulate", help="replay a made-up person through the plan")
    simulate.add_argument("scenario", help="a scenario file (see scenarios/)")
    simulate.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    if args.command == "simulate":
        from app.plan.simulate import main as replay

        return replay(args.scenario, as_json=args.json)
    if args.command == "serve":
        return _serve(args)
    if args.command == "migrate":
        _migrate()
        return 0
    return _check_catalogue()


if __name__ == "__main__":
    sys.exit(main())
