"""The Today screen in Chromium: the plan's session with its reasons, why a rule changed an
exercise, the plan kept for offline use, the runner following the plan, and the morning
check-in prompt."""

import re
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
from browser_support import cleared, installed, read_store, watch
from playwright.sync_api import expect
from sqlmodel import Session, select

from app import planning
from app.catalogue import Catalogue
from app.models import User

from records import PASSWORD, checkin, session_log

pytestmark = pytest.mark.browser


def register(live_server: str, email: str) -> dict[str, str]:
    response = httpx.post(
        f"{live_server}/api/auth/register", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def signed_in(page, email: str) -> None:
    """Sign in through the app's own account module, as the account screen does."""
    page.goto("/account")
    sign_in = "([e, p]) => import('/static/js/account.js').then((a) => a.signIn(e, p))"
    page.evaluate(sign_in, [email, PASSWORD])


def server_plan(live_server: str, headers: dict[str, str]) -> dict:
    response = httpx.get(f"{live_server}/api/plan", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def plan_session_today() -> dict:
    """A plan session finished today with nothing rated (stopped early)."""
    now = datetime.now(UTC).isoformat()
    day = date.today().isoformat()
    return session_log(day=day, started_at=now, ended_at=now, updated_at=now, exercises=[])


def finish(page, record: dict) -> None:
    """Save a finished session on the device as the runner does (and queue it)."""
    page.evaluate("(r) => import('/static/js/store.js').then((s) => s.finishSession(r))", record)


def shown_slugs(page) -> list[str]:
    return page.locator(".today-list li.plan-item").evaluate_all(
        "(items) => items.map((li) => li.dataset.slug)"
    )


def test_without_an_account_today_is_the_starter_session_with_its_reasons(page, catalogue):
    cleared(page)
    problems = watch(page)
    page.goto("/")
    items = page.locator(".today-list li.plan-item")
    expect(items).to_have_count(5)
    first = catalogue.by_slug[shown_slugs(page)[0]]
    expect(items.first).to_contain_text(f"{first.dose.sets} sets of")
    items.first.locator("summary", has_text="Why it is here").click()
    for words in (first.purpose, first.protects, first.prepares_for):
        expect(items.first.locator(".reasons")).to_contain_text(words)
    expect(page.locator(".plan-status")).to_contain_text("Sign in and the plan adapts")
    expect(page.locator(".recent-changes")).to_have_count(0)
    assert problems == []


def test_signed_in_today_is_the_plans_next_session_and_the_runner_follows_it(
    page, live_server, catalogue: Catalogue
):
    headers = register(live_server, "plan@example.org")
    plan = server_plan(live_server, headers)
    cleared(page)
    signed_in(page, "plan@example.org")
    page.goto("/")
    first = [x["slug"] for x in plan["sessions"][0]["exercises"]]
    expect(page.locator(".today-list li.plan-item")).to_have_count(len(first))
    assert shown_slugs(page) == first
    expect(page.locator(".home .season")).to_have_text(
        "Settling in, week 1 of 2 · session 1 of 3 this week"
    )
    for x in plan["sessions"][0]["exercises"]:
        item = page.locator(f".today-list li[data-slug='{x['slug']}']")
        expect(item).to_contain_text(f"{x['dose']['sets']} set")
        expect(item.locator(".reasons dd").first).to_have_text(x["why"])

    page.get_by_role("link", name="Start today\u2019s session").click()
    expect(page.get_by_role("heading", name="Today\u2019s session", level=1)).to_be_visible()
    expect(page.locator(".plan-list li strong")).to_have_count(len(first))
    names = page.locator(".plan-list li strong").all_inner_texts()
    assert names == [catalogue.by_slug[s].name for s in first]

    # Once the first plan session of the week is on record, Today offers the second.
    finish(page, plan_session_today())
    page.goto("/")
    expect(page.locator(".home .season")).to_contain_text("session 2 of 3 this week")
    second = [x["slug"] for x in plan["sessions"][1]["exercises"]]
    expect(page.locator(".today-list li.plan-item")).to_have_count(len(second))
    assert shown_slugs(page) == second


def test_an_exercise_a_rule_changed_says_why_next_to_it(page, live_server, engine, catalogue):
    """The plan began two days ago; yesterday's session hurt (7/10) in one exercise."""
    headers = register(live_server, "hurt@example.org")
    today = planning.server_today()
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == "hurt@example.org")).one()
        began = planning.current_plan(db, catalogue, user.id, today - timedelta(days=2))
    planned = began.plan["sessions"][0]["exercises"]
    hurt = next(x for x in planned if catalogue.by_slug[x["slug"]].kind == "reps")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    exercises = [
        {
            "slug": x["slug"],
            "sets_done": x["dose"]["sets"],
            "effort": 3,
            "pain": 7 if x is hurt else 1,
            "fatigue_region": "nowhere",
            "fatigue_onset": "did-not",
        }
        for x in planned
    ]
    record = session_log(  # picked by hand, not the plan's session: today's is still the first
        kind="single",
        day=(today - timedelta(days=1)).isoformat(),
        started_at=yesterday.isoformat(),
        ended_at=(yesterday + timedelta(minutes=20)).isoformat(),
        updated_at=(yesterday + timedelta(minutes=20)).isoformat(),
        exercises=exercises,
    )
    morning = checkin(day=today.isoformat(), updated_at=datetime.now(UTC).isoformat())
    synced = httpx.post(
        f"{live_server}/api/sync",
        headers=headers,
        json={"sessions": [record], "checkins": [morning]},
    )
    assert synced.status_code == 200 and synced.json()["rejected"] == []
    plan = server_plan(live_server, headers)
    change = next(c for c in plan["recent_changes"] if c["rule"] == "pain_monitoring")
    assert change["before"]["slug"] == hurt["slug"] and "7/10" in change["reason"]
    # Today's session is the one holding the changed exercise: the ones before it are done.
    number = next(
        i
        for i, session in enumerate(plan["sessions"])
        if change["after"]["slug"] in [x["slug"] for x in session["exercises"]]
    )
    cleared(page)
    signed_in(page, "hurt@example.org")
    for _ in range(number):
        finish(page, plan_session_today())
    page.goto("/")
    expect(page.locator(".home .season")).to_contain_text(f"session {number + 1} of 3")
    shown = page.locator(f".today-list li[data-slug='{change['after']['slug']}']")
    expect(shown.locator(".changed")).to_have_text(f"Why this changed: {change['reason']}")
    expect(page.locator(".recent-changes li[data-rule='pain_monitoring']")).to_contain_text("7/10")
    today_items = plan["sessions"][number]["exercises"]
    assert len(today_items) == len(shown_slugs(page))
    for x in today_items:
        changed = page.locator(f".today-list li[data-slug='{x['slug']}'] .changed")
        expect(changed).to_have_count(1 if x["changed"] else 0)


def test_today_names_the_season_and_its_changes_in_plain_words(
    page, live_server, engine, catalogue
):
    """A plan begun three weeks ago: its first two weeks are over, the next season has begun."""
    headers = register(live_server, "season@example.org")
    today = planning.server_today()
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == "season@example.org")).one()
        planning.current_plan(db, catalogue, user.id, today - timedelta(weeks=3))
    plan = server_plan(live_server, headers)
    assert plan["season"] == "build"  # the API keeps the season's value
    cleared(page)
    signed_in(page, "season@example.org")
    page.goto("/")
    expect(page.locator(".home .season")).to_have_text(
        "Building, week 2 of 4 · session 1 of 3 this week"
    )
    expect(page.locator(".recent-changes li[data-rule='advance_season']")).to_contain_text(
        "2 weeks of settling in are done: 4 weeks of building start"
    )
    shown = page.locator("main").inner_text()
    assert not re.search(r"\b(Control|Build|Consolidate)\b|(?i:\b(cycles?|seasons?)\b)", shown)


def test_offline_today_shows_the_plan_kept_on_the_device(page, live_server, catalogue):
    register(live_server, "away@example.org")
    cleared(page)
    installed(page)
    signed_in(page, "away@example.org")
    page.goto("/")
    expect(page.locator(".home .season")).to_contain_text("Settling in")
    online = shown_slugs(page)
    assert read_store(page, "meta", "plan")["plan"]["sessions"]

    page.context.set_offline(True)
    page.reload()
    expect(page.locator(".offline-plan")).to_contain_text("It updates when you are back online")
    expect(page.locator(".home .season")).to_contain_text("session 1 of 3 this week")
    assert shown_slugs(page) == online
    page.get_by_role("link", name="Start today\u2019s session").click()
    expect(page.locator(".plan-list li strong")).to_have_count(len(online))
    names = page.locator(".plan-list li strong").all_inner_texts()
    assert names == [catalogue.by_slug[s].name for s in online]
    page.context.set_offline(False)


def test_the_morning_after_a_session_today_asks_for_the_check_in(page):
    cleared(page)
    evening = datetime(2027, 3, 16, 19, 0).timestamp()  # local time, a Tuesday evening
    page.clock.install(time=evening)
    page.goto("/")
    record = session_log(
        day="2027-03-16",
        started_at=datetime.fromtimestamp(evening, UTC).isoformat(),
        ended_at=datetime.fromtimestamp(evening + 900, UTC).isoformat(),
    )
    finish(page, record)
    page.reload()
    expect(page.locator(".home h1")).to_have_text("Today")
    expect(page.locator(".checkin-prompt")).to_have_count(0)  # not the same evening

    page.clock.set_system_time(datetime(2027, 3, 17, 7, 30).timestamp())
    page.reload()
    prompt = page.locator(".checkin-prompt")
    expect(prompt).to_contain_text("after yesterday")
    prompt.get_by_role("link", name="Answer the morning check-in").click()
    for question, value in (("pain", "2"), ("stiffness", "3"), ("compared", "same")):
        page.locator(f"fieldset.checkin-{question} .choice[data-value='{value}']").click()
    page.locator("fieldset.checkin-lingered .choice[data-value='true']").click()
    save = page.get_by_role("button", name="Save check-in")
    expect(save).to_be_disabled()  # one question left
    page.locator("fieldset.checkin-spread .choice[data-value='false']").click()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator(".saved")).to_be_visible()
    page.goto("/")
    expect(page.locator(".home h1")).to_have_text("Today")
    expect(page.locator(".today-list li.plan-item")).to_have_count(5)
    expect(page.locator(".checkin-prompt")).to_have_count(0)


def test_today_shows_the_daily_walk_with_walking(page, live_server):
    headers = register(live_server, "walker@example.org")
    plan = server_plan(live_server, headers)
    [walk] = [x for x in plan["sessions"][0]["exercises"] if x["minutes_a_day"]]
    cleared(page)
    signed_in(page, "walker@example.org")
    page.goto("/")
    minutes = round(walk["minutes_a_day"])
    item = page.locator(f".today-list li[data-slug='{walk['slug']}'] .dose")
    expect(item).to_contain_text(f"and a walk of {minutes} minutes each day")
    expect(page.locator(".today-list .daily-walk")).to_have_count(1)


def test_advice_to_see_a_clinician_shows_on_today_and_the_red_flags_are_asked_again(
    page, live_server
):
    """Seven weeks of mornings at 5/10 that never came down: see a clinician."""
    headers = register(live_server, "stuck@example.org")
    today = planning.server_today()
    mornings = [
        checkin(day=(today - timedelta(days=n)).isoformat(), pain=5, stiffness=4) for n in range(50)
    ]
    synced = httpx.post(
        f"{live_server}/api/sync", headers=headers, json={"sessions": [], "checkins": mornings}
    )
    assert synced.status_code == 200 and synced.json()["rejected"] == []
    plan = server_plan(live_server, headers)
    assert plan["recheck_red_flags"] and plan["advice"]
    cleared(page)
    problems = watch(page)
    signed_in(page, "stuck@example.org")
    page.goto("/")
    card = page.locator(".home .advice")
    expect(card).to_contain_text("not come down over the last 6 weeks")
    expect(card).to_contain_text("GP or a physiotherapist")
    expect(card).to_contain_text("safety questions again")
    # The "no" to every red flag no longer stands: they come before the next session.
    page.wait_for_function("() => localStorage.getItem('spinewise.gate') === '\"advice\"'")
    page.get_by_role("link", name="Start today\u2019s session").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.locator(".again")).to_contain_text("seeing a clinician")
    # Answered again, the same advice does not ask a third time.
    page.get_by_role("button", name="None of these \u2014 continue").click()
    expect(page.get_by_role("heading", name="Today\u2019s session", level=1)).to_be_visible()
    page.goto("/")  # (the init script answers "no" again; asked again, Today would undo it)
    expect(page.locator(".home .advice")).to_be_visible()
    page.wait_for_function("() => localStorage.getItem('spinewise.safety-recheck') !== null")
    page.wait_for_timeout(300)
    assert page.evaluate("JSON.parse(localStorage.getItem('spinewise.gate'))") == "open"
    assert problems == []
