"""`spinewise`: run the server, migrate the database, check the catalogue.

A setting or a database that stops start-up is reported in one line on stderr that names the
setting or says what to do, and the command exits with status 1: no traceback.
"""

import argparse
import errno
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from app.catalogue import CatalogueError, load_catalogue
from app.config import ConfigError, Settings, get_settings
from app.db import NotMigratedError, check_migrated, make_engine, migrate


class StartupError(RuntimeError):
    """Start-up cannot go on; the message is the one line to show."""


def _where(url: str) -> str:
    """The database a URL names, without its password: `host:port/name` or the SQLite path."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "?"
    if parsed.drivername.startswith("sqlite"):
        return parsed.database or ":memory:"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


@contextmanager
def _database_errors(settings: Settings) -> Iterator[None]:
    """Turn the ways a database fails to open into one line naming DATABASE_URL."""
    url = settings.db_url
    setting = "DATABASE_URL" if settings.database_url else "DATA_DIR (no DATABASE_URL is set)"
    try:
        yield
    except NotMigratedError as exc:
        raise StartupError(str(exc)) from None
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise StartupError(
            f"the database named by {setting} ({_where(url)}) does not answer: {reason}"
        ) from None
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise StartupError(
            f"{setting} names a database driver that is not installed ({exc}): "
            "use postgresql://… or sqlite:///…"
        ) from None
    except OSError as exc:
        raise StartupError(
            f"the database file named by {setting} ({_where(url)}) cannot be made: "
            f"{exc.strerror or exc}"
        ) from None


def _migrate(settings: Settings) -> None:
    with _database_errors(settings):
        migrate(settings.db_url)
    print(f"database at head: {_where(settings.db_url)}")


def _check_migrated(settings: Settings) -> None:
    with _database_errors(settings):
        engine = make_engine(settings.db_url)
        try:
            check_migrated(engine)
        finally:
            engine.dispose()


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


def _check_port(host: str, port: int) -> None:
    """Fail now, with a clear line, when the address cannot be listened on (as uvicorn will)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise StartupError(f"--host {host} is not an address of this machine: {exc}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StartupError(
                    f"port {port} on {host} is already in use (--port): stop the program "
                    "using it or choose another port"
                ) from None
            raise StartupError(
                f"cannot listen on {host} port {port} (--host, --port): {exc.strerror}"
            ) from None


def _announce_when_up(host: str, port: int, shown: str) -> None:
    """Print the address once the server answers: bound, and the app's start-up done."""
    probe = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    probe = f"[{probe}]" if ":" in probe else probe
    url = f"http://{probe}:{port}/healthz"

    def wait() -> None:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
            except urllib.error.HTTPError:
                pass  # it answers (the database may be down: /healthz says so)
            except OSError:
                time.sleep(0.1)
                continue
            print(f"Spinewise is running: open http://{shown}:{port}/", flush=True)
            return

    threading.Thread(target=wait, name="announce", daemon=True).start()


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.serving import PROTOCOL

    settings = get_settings()
    if _check_catalogue():
        return 1
    _check_port(args.host, args.port)
    if args.no_migrate:
        _check_migrated(settings)
    else:
        _migrate(settings)
    shown = "localhost" if args.host in ("0.0.0.0", "::") else args.host
    shown = f"[{shown}]" if ":" in shown else shown
    _announce_when_up(args.host, args.port, shown)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        http=PROTOCOL,
        # The app reads X-Forwarded-For itself, from TRUSTED_PROXIES only (app/main.py).
        proxy_headers=False,
        log_level="info",
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spinewise", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="apply migrations, then serve the app",
        description="Check the catalogue, apply migrations, then serve the app with Uvicorn. "
        "Settings come from the environment (see the README).",
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; 0.0.0.0 for every IPv4 interface)",
    )
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="number of server processes (default 1; they share the database)",
    )
    serve.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not apply migrations first; refuse to start unless the database is at head",
    )
    commands.add_parser("migrate", help="bring the database up to the newest migration")
    commands.add_parser("check-catalogue", help="validate the exercise catalogue and summarise it")
    simulate = commands.add_parser("simulate", help="replay a made-up person through the plan")
    simulate.add_argument("scenario", help="a scenario file (see scenarios/)")
    simulate.add_argument("--json", action="store_true", help="print JSON instead of text")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "simulate":
            from app.plan.simulate import main as replay

            return replay(args.scenario, as_json=args.json)
        if args.command == "serve":
            return _serve(args)
        if args.command == "migrate":
            _migrate(get_settings())
            return 0
        return _check_catalogue()
    except (ConfigError, StartupError) as exc:
        print(f"spinewise: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
