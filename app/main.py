"""The FastAPI application: catalogue loaded and stored at start-up, routers, middleware."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlmodel import Session
from starlette.middleware.gzip import GZipMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from app import apidocs, offline, pages
from app.api import auth, exercises, health, me, password_reset, plan, sessions, sync
from app.api.exercises import CatalogueResponses, ExerciseFilters
from app.catalogue import load_catalogue
from app.config import Settings, get_settings
from app.db import check_migrated, make_engine, store_catalogue
from app.mail import Mailer
from app.rebuilds import Rebuilds
from app.security import (
    BodySizeLimitMiddleware,
    HostCheckMiddleware,
    MethodsMiddleware,
    SecurityHeadersMiddleware,
    conflict,
    database_unavailable,
    invalid_request,
)

log = logging.getLogger("spinewise")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; tests pass their own settings."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A broken catalogue stops start-up here, with a message naming exercise and field.
        app.state.catalogue = load_catalogue(settings.catalogue_dir)
        app.state.catalogue_responses = CatalogueResponses(app.state.catalogue)
        catalogue_etag = app.state.catalogue_responses.listing(ExerciseFilters()).etag
        app.state.service_worker = offline.build_service_worker(
            settings.web_dir, pages.SCREENS, catalogue_etag
        )
        # The routes' threads (AnyIO's default pool, which FastAPI runs them in).
        to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        app.state.engine = make_engine(
            settings.db_url, settings.db_pool_size, settings.db_max_overflow
        )
        check_migrated(app.state.engine)
        with Session(app.state.engine) as db:
            if store_catalogue(db, app.state.catalogue):
                log.info("catalogue %s stored", app.state.catalogue.version)
        app.state.rebuilds = Rebuilds(
            partial(plan.rebuild_plan, app.state.engine, app.state.catalogue),
            settings.plan_rebuild_delay,
        )
        app.state.mailer = Mailer(settings)
        yield
        app.state.mailer.stop()
        app.state.rebuilds.stop()
        app.state.engine.dispose()

    app = FastAPI(
        title="Spinewise",
        version="0.1.0",
        summary="Back-care exercise sessions with a breath pacer, synced logs and adaptive plans.",
        lifespan=lifespan,
        docs_url=None,  # served by app/apidocs, within the CSP
        redoc_url=None,
    )
    app.state.settings = settings

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # Never a stack trace or SQL in a response; the log keeps the detail.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "Internal server error"}, status_code=500)

    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(IntegrityError, conflict)
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(SQLAlchemyTimeoutError, database_unavailable)

    app.include_router(health.router)
    app.include_router(exercises.router)
    app.include_router(auth.router)
    app.include_router(password_reset.router)
    app.include_router(me.router)
    app.include_router(sync.router)
    app.include_router(sessions.router)
    app.include_router(plan.router)
    app.include_router(offline.router)
    app.include_router(pages.router)
    apidocs.install(app)
    pages.mount_static(app, settings)
    pages.install_not_found(app)

    app.add_middleware(GZipMiddleware, minimum_size=800)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match"],
            expose_headers=["ETag"],
        )
    app.add_middleware(MethodsMiddleware, cors=bool(settings.cors_origins))
    app.add_middleware(HostCheckMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        timeout=settings.body_timeout_seconds,
    )
    app.add_middleware(SecurityHeadersMiddleware, hsts_seconds=settings.hsts_seconds)
    # The client's address (rate limits, logs) from X-Forwarded-For, only when the peer is a
    # trusted proxy: the rightmost hop that is not one of them. Uvicorn's own is off.
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    return app
