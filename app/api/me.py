"""The signed-in account: what it is, its red-flag answers, everything it holds (JSON or CSV),
and deleting it."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlmodel import col, delete, select

from app.api.deps import BODY_ERRORS, CurrentUser, not_signed_in
from app.catalogue import Equipment
from app.db import DbDep, lock_account, one_writer
from app.export import Export, as_csv
from app.models import (
    AuthToken,
    CheckIn,
    CheckInPublic,
    PlanChange,
    Screening,
    ScreeningPublic,
    SessionLog,
    SessionLogPublic,
    StoredPlan,
    User,
    UserPublic,
    utcnow,
)
from app.planning import load_changes

router = APIRouter(prefix="/api/me", tags=["accounts"])

NOT_SIGNED_IN = {401: {"description": "Not signed in"}}


class ExportQuery(BaseModel):
    """The export's one parameter; an unknown one is refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["json", "csv"] = "json"


@router.get("", summary="Your account", responses=NOT_SIGNED_IN)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


class EquipmentChoice(BaseModel):
    """What the person has to exercise with: each item of the fixed list at most once."""

    model_config = ConfigDict(extra="forbid")

    equipment: list[Equipment] = Field(
        max_length=len(Equipment),
        examples=[["mat", "chair"]],
        json_schema_extra={"uniqueItems": True},
    )

    @field_validator("equipment")
    @classmethod
    def _once_each(cls, value: list[Equipment]) -> list[Equipment]:
        if len(set(value)) != len(value):
            raise ValueError("an item is listed twice")
        return [e for e in Equipment if e in value]  # in the catalogue's order


@router.put(
    "/equipment",
    summary="Say what you have to exercise with; your plan is rebuilt to use only that",
    responses={
        **BODY_ERRORS,
        **NOT_SIGNED_IN,
        422: {"description": "An item not on the list, or one twice"},
    },
)
def set_equipment(user: CurrentUser, db: DbDep, choice: EquipmentChoice) -> UserPublic:
    with one_writer(db):
        if lock_account(db, user.id) is None:  # deleted by another request since it signed in
            db.rollback()
            raise not_signed_in()
        user.equipment = [e.value for e in choice.equipment]
        db.add(user)
        db.commit()
    db.refresh(user)
    return UserPublic.model_validate(user)


@router.get(
    "/screening",
    summary="Your red-flag answers, or null before the first",
    responses=NOT_SIGNED_IN,
)
def get_screening(user: CurrentUser, db: DbDep) -> ScreeningPublic | None:
    stored = db.get(Screening, user.id)
    return None if stored is None else ScreeningPublic.model_validate(stored, from_attributes=True)


@router.put(
    "/screening",
    summary="Keep your red-flag answers; the newer of these and the stored ones stands",
    responses={
        **BODY_ERRORS,
        **NOT_SIGNED_IN,
        422: {
            "description": "An unknown sign, one twice, or a check that does not fit the answers"
        },
    },
)
def put_screening(user: CurrentUser, db: DbDep, answers: ScreeningPublic) -> ScreeningPublic:
    with one_writer(db):
        if lock_account(db, user.id) is None:  # deleted by another request since it signed in
            db.rollback()
            raise not_signed_in()
        stored = db.get(Screening, user.id, populate_existing=True)
        # As with synced records, the later change wins: a device back online with older
        # answers does not undo newer ones given on another.
        if stored is None or answers.updated_at >= stored.updated_at:
            values = answers.model_dump(mode="json")
            values["answered_at"] = answers.answered_at
            values["updated_at"] = answers.updated_at
            values["cleared_on"] = answers.cleared_on
            if stored is None:
                stored = Screening(user_id=user.id, **values)
            else:
                for name, value in values.items():
                    setattr(stored, name, value)
            db.add(stored)
            db.commit()
        else:
            db.rollback()
    db.refresh(stored)
    return ScreeningPublic.model_validate(stored, from_attributes=True)


@router.get(
    "/export",
    summary="Everything your account holds, as JSON or (format=csv) one CSV table",
    response_model=Export,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
        **NOT_SIGNED_IN,
    },
)
def export(user: CurrentUser, db: DbDep, query: Annotated[ExportQuery, Query()]) -> Response:
    sessions = db.exec(
        select(SessionLog)
        .where(SessionLog.user_id == user.id)
        .order_by(SessionLog.started_at, SessionLog.id)
    ).all()
    checkins = db.exec(
        select(CheckIn).where(CheckIn.user_id == user.id).order_by(CheckIn.day, CheckIn.id)
    ).all()
    screening = db.get(Screening, user.id)
    data = Export(
        exported_at=utcnow(),
        account=UserPublic.model_validate(user),
        sessions=[SessionLogPublic.model_validate(s) for s in sessions],
        checkins=[CheckInPublic.model_validate(c) for c in checkins],
        plan_changes=load_changes(db, user.id),
        screening=None
        if screening is None
        else ScreeningPublic.model_validate(screening, from_attributes=True),
    )
    filename = f"spinewise-{data.exported_at:%Y-%m-%d}.{query.format}"
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if query.format == "csv":
        return Response(as_csv(data), media_type="text/csv; charset=utf-8", headers=disposition)
    return Response(data.model_dump_json(), media_type="application/json", headers=disposition)


@router.delete(
    "",
    status_code=204,
    summary="Delete your account and everything it holds, for good",
    responses=NOT_SIGNED_IN,
)
def delete_me(user: CurrentUser, db: DbDep) -> Response:
    # The foreign keys cascade too; deleting each table's rows here does not depend on it.
    with one_writer(db):
        # The account's row first, as a sync and a plan build take it: whoever comes second
        # waits, and no two of them can hold one lock each and wait for the other's.
        if (
            lock_account(db, user.id) is None
        ):  # deleted by another request of its own since it signed in
            db.rollback()
            raise not_signed_in()
        for table in (SessionLog, CheckIn, PlanChange, StoredPlan, Screening, AuthToken):
            db.exec(delete(table).where(col(table.user_id) == user.id))
        db.exec(delete(User).where(col(User.id) == user.id))
        db.commit()
    return Response(status_code=204)
