"""A plan three years on costs what it did in its first months: a build reads the last 12
weeks of the record (`app.plan.HISTORY_DAYS`) and the changes it needs, loads no more from the
database, and gives the plan that a build given the whole record gives."""

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import event, func
from sqlmodel import Session, select

from app import planning
from app.catalogue import ALL_EQUIPMENT, Catalogue
from app.models import CheckIn, PlanChange, SessionLog, StoredPlan, User
from app.plan import HISTORY_DAYS, build_plan
from app.plan.simulate import Answers, Mornings, Override, Scenario, replay

THREE_YEARS = Scenario(
    start=date(2023, 1, 2),
    weeks=156,
    # Mornings that wobble, with a bad fortnight now and then, and sessions mostly easy.
    mornings=Mornings(pain=[1, 2, 2, 3, 2, 6], stiffness=[1, 2, 3], seed=7),
    answers=Answers(effort=3, pain=1),
    overrides=[Override(weeks=list(range(5, 157, 9)), days=["thu"], effort=8, pain=4)],
)


def store(db: Session, user_id: int, catalogue: Catalogue) -> tuple[date, object]:
    """The replayed person's record, changes and last plan, as the server would hold them."""
    _, state, history = replay(catalogue, THREE_YEARS)
    seq = 0
    for s in history.sessions:
        seq += 1
        start = datetime.combine(s.day, time(18), tzinfo=UTC)
        db.add(
            SessionLog(
                id=uuid.uuid4(),
                user_id=user_id,
                seq=seq,
                kind="plan",
                day=s.day,
                started_at=start,
                ended_at=start + timedelta(minutes=30),
                updated_at=start,
                exercises=[r.model_dump(mode="json") for r in s.exercises],
            )
        )
    for c in history.checkins:
        seq += 1
        db.add(
            CheckIn(
                id=uuid.uuid4(),
                user_id=user_id,
                seq=seq,
                updated_at=datetime.combine(c.day, time(7), tzinfo=UTC),
                **c.model_dump(),
            )
        )
    db.add_all(planning._change_row(user_id, change) for change in state.changes)
    last = build_plan(catalogue, history, state.built_on, state)
    db.add(
        StoredPlan(
            user_id=user_id,
            built_on=last.day,
            built_from=seq,
            catalogue_version=catalogue.version,
            plan=last.model_dump(mode="json", exclude={"state", "changes"}),
            state=last.state.model_dump(mode="json", exclude={"changes"}),
        )
    )
    user = db.get(User, user_id)
    user.last_seq = seq
    db.add(user)
    db.commit()
    return state.built_on, (history, last.state)


def test_three_years_on_a_build_reads_a_bounded_record_and_plans_as_from_the_whole(
    client, alice, db: Session, catalogue: Catalogue
):
    user_id = db.exec(select(User.id)).one()
    last_day, (history, state) = store(db, user_id, catalogue)
    rows = {t: db.exec(select(func.count()).select_from(t)).one() for t in (SessionLog, CheckIn)}
    assert rows[SessionLog] == 468 and rows[CheckIn] == 1092
    assert db.exec(select(func.count()).select_from(PlanChange)).one() > 100

    loaded: dict[str, int] = {}

    def count(execution):
        """Count the rows each read of the session returns, by the table it reads."""
        if not execution.is_select:
            return None
        rows = execution.invoke_statement().freeze()
        for table in execution.statement.get_final_froms():
            loaded[table.name] = loaded.get(table.name, 0) + len(rows().all())
        return rows()

    tomorrow = last_day + timedelta(days=1)
    stored = db.get(StoredPlan, user_id)
    event.listen(db, "do_orm_execute", count)
    try:
        rebuilt = planning.rebuild(
            db, catalogue, user_id, tomorrow, stored, stored.built_from, have=ALL_EQUIPMENT
        )
    finally:
        event.remove(db, "do_orm_execute", count)
    assert rebuilt is not None
    # The last 12 weeks (3 sessions and 7 mornings a week), and a few dozen changes.
    weeks = HISTORY_DAYS // 7
    assert 0 < loaded["checkin"] <= HISTORY_DAYS
    assert 0 < loaded["session_log"] <= 3 * weeks + 3
    assert 0 < loaded["plan_change"] <= 60

    # The same plan as a build from the whole record and every change ever made.
    whole = build_plan(catalogue, history, tomorrow, state, have=ALL_EQUIPMENT)
    assert rebuilt.plan == whole.model_dump(mode="json", exclude={"state", "changes"})
    assert rebuilt.state == whole.state.model_dump(mode="json", exclude={"changes"})
