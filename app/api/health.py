"""Liveness with a real database round trip."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import func, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from app.db import DbDep
from app.models import ExerciseRecord

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Is the server up and its database answering?")
def healthz(request: Request, db: DbDep) -> JSONResponse:
    try:
        db.exec(text("SELECT 1"))
        stored = db.exec(select(func.count()).select_from(ExerciseRecord)).one()
    except SQLAlchemyError:
        return JSONResponse({"status": "error", "database": "unreachable"}, status_code=503)
    return JSONResponse(
        {
            "status": "ok",
            "database": "ok",
            "exercises": stored,
            "catalogue_version": request.app.state.catalogue.version,
        },
        headers={"Cache-Control": "no-store"},
    )
