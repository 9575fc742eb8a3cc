"""`GET /api/plan`: the signed-in account's plan for this week, built from its logs."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app import planning
from app.api.deps import CurrentUser, not_signed_in
from app.catalogue import Catalogue
from app.db import DbDep
from app.plan import Change, PlanSession, Season
from app.planning import (
    RECENT_CHANGES,
    AccountGone,
    account_exists,
    current_plan,
    load_changes,
    week_starts_on,
)

router = APIRouter(prefix="/api/plan", tags=["plan"])


class PlanPublic(BaseModel):
    """This week's plan: the season, the sessions, and per exercise the dose and the reasons."""

    built_on: date = Field(description="the day the plan was last built")
    started_on: date = Field(description="the day the account's plan began")
    week: int = Field(description="weeks since the plan began, counting this one as 1")
    week_starts_on: date = Field(description="the first day of this plan week")
    season: Season
    season_started_on: date
    season_week: int
    season_ends_on: date = Field(description="the day the next season is due")
    cycle: int = Field(description="Control, Build and Consolidate make one cycle")
    baseline_pain: float | None = Field(
        description="the person's usual morning pain, once enough check-ins give one"
    )
    sessions: list[PlanSession] = Field(description="the week's sessions, in order")
    advice: list[str] = Field(
        default_factory=list,
        description="plain advice to see a clinician (repeated flare-ups, symptoms spreading "
        "twice, or no improvement in six weeks), for the Today screen; empty when all is well",
    )
    recheck_red_flags: bool = Field(
        default=False,
        description="ask the red-flag questions again before the next session",
    )
    recent_changes: list[Change] = Field(
        description=f"the plan's {RECENT_CHANGES} newest changes, newest first"
    )


class PlanQuery(BaseModel):
    """The one parameter; an unknown one is refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")

    utc_offset: int = Field(
        default=0,
        ge=-12 * 60,
        le=14 * 60,
        description="minutes the person's clock runs ahead of UTC (-480 in California): the "
        "plan is built for their own date",
    )


@router.get(
    "",
    summary="Your plan for this week, rebuilt first when new logs or a new day call for it",
    responses={
        401: {"description": "Not signed in"},
        422: {"description": "An unknown parameter, or an offset beyond any time zone"},
    },
)
def get_plan(
    request: Request, user: CurrentUser, db: DbDep, query: Annotated[PlanQuery, Query()]
) -> PlanPublic:
    today = planning.server_today(timedelta(minutes=query.utc_offset))
    assert user.id is not None
    try:
        stored = current_plan(db, request.app.state.catalogue, user.id, today)
        changes = load_changes(db, user.id, newest=RECENT_CHANGES)
        return PlanPublic.model_validate(
            {
                **stored.plan,
                "built_on": stored.built_on,
                "started_on": stored.state["started_on"],
                "season_started_on": stored.state["season_started_on"],
                "week_starts_on": week_starts_on(stored),
                "recent_changes": changes[::-1],
            }
        )
    except (AccountGone, SQLAlchemyError) as exc:
        # The account was deleted since this request signed in: its plan (read, or being
        # stored) went with it. Anything else is a real fault.
        if isinstance(exc, AccountGone) or not account_exists(db, user.id):
            raise not_signed_in() from exc
        raise


def rebuild_plan(engine: Engine, catalogue: Catalogue, user_id: int) -> None:
    """Bring the account's plan up to date with its records (after its syncs, app.rebuilds)."""
    with Session(engine) as db:
        try:
            current_plan(db, catalogue, user_id, planning.server_today())
        except (AccountGone, SQLAlchemyError):
            if account_exists(db, user_id):
                raise
            # Deleted since its last sync: nothing to rebuild.
