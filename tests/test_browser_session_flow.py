"""A session from its start screen to its end, at 390 by 844 and 360 by 640: the way back and
what the session needs, leaving a running session through the logo or Account (asked first),
the summary of what was done and what the plan does with it, and Today saying it is done."""

import re
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from browser_support import cleared, open_paused, read_store, timeline, to_first_movement
from conftest import PHONE, SIZES
from playwright.sync_api import expect
from sqlmodel import Session, select
from test_browser_plan import register, server_plan, signed_in

from app import planning
from app.models import User

from records import session_log

pytestmark = pytest.mark.browser

POSITION_WORDS = {
    "supine": "lying on your back",
    "side-lying": "lying on your side",
    "prone": "lying face down",
    "quadruped": "on hands and knees",
    "kneeling": "kneeling",
    "seated": "sitting",
    "standing": "standing",
}


@pytest.fixture(params=list(SIZES))
def phone(request, browser, live_server):
    """A fresh phone context at each of the two sizes."""
    width, height = SIZES[request.param]
    context = browser.new_context(
        base_url=live_server, **{**PHONE, "viewport": {"width": width, "height": height}}
    )
    page = context.new_page()
    yield page
    context.close()


def pick(page, question: str, value: str) -> None:
    page.locator(f"fieldset.{question} .choice[data-value='{value}']").click()


def start_and_end_early(page) -> None:
    """Start, 25 s into the first exercise (a few reps) press End: its questions come up."""
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(30000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(12000)
    expect(page.locator(".screen.questions")).to_be_visible()


def answer(page, effort: str = "3", pain: str = "1") -> None:
    pick(page, "effort", effort)
    pick(page, "pain", pain)
    pick(page, "where", "nowhere")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= page.viewport_size["height"]
    )


# --- the start screen -------------------------------------------------------------------------


def test_the_start_screen_says_what_the_session_needs_and_links_each_exercise(phone, catalogue):
    cleared(phone)
    phone.goto("/session?today=1")
    expect(phone.get_by_role("heading", name="Today\u2019s session", level=1)).to_be_visible()
    names = phone.locator(".plan-list li strong").all_inner_texts()
    exercises = [next(e for e in catalogue.exercises if e.name == n) for n in names]
    needs = phone.locator("dl.session-needs")
    expect(needs.locator("dd").first).to_have_text(re.compile(r"^about \d+ min$"))
    # Each position of the session's exercises is named once, in session order, and per exercise.
    positions = list(dict.fromkeys(POSITION_WORDS[e.position.value] for e in exercises))
    dd = needs.locator("dt", has_text="Position").locator("xpath=following-sibling::dd[1]")
    expect(dd).to_have_text(", ".join(positions))
    for i, e in enumerate(exercises):
        expect(phone.locator(".plan-list li").nth(i)).to_contain_text(
            POSITION_WORDS[e.position.value]
        )
    # What the exercises need, each piece once, as the exercise pages name it.
    wanted = {item.value for e in exercises for item in e.equipment}
    words = {"step": "step or box", "band": "band and anchor", "weight": "kettlebell or dumbbell"}
    need = needs.locator("dt", has_text="You need").locator("xpath=following-sibling::dd[1]")
    shown = need.inner_text().split(", ")
    expected = sorted(words.get(w, w) for w in wanted) or ["nothing but the floor"]
    assert sorted(shown) == expected
    # Each exercise links to its page; the page opens, and the way back returns to the session.
    for exercise in exercises:
        link = phone.locator(".plan-list li a", has_text=exercise.name)
        expect(link).to_have_attribute("href", f"/exercises/{exercise.slug}")
    phone.locator(".plan-list li a").nth(1).click()
    expect(phone.get_by_role("heading", name=exercises[1].name, level=1)).to_be_visible()
    phone.go_back()
    expect(phone.get_by_role("button", name="Start", exact=True)).to_be_visible()
    # The way back, seen without scrolling, leads to Today.
    back = phone.get_by_role("link", name="\u2190 Back")
    assert in_view(phone, back)
    back.click()
    expect(phone.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(phone.locator(".tabs")).to_be_visible()


def test_back_from_one_exercise_returns_to_its_page_and_from_a_breath_to_breathe(phone):
    cleared(phone)
    phone.goto("/exercises/cat-camel")
    phone.get_by_role("link", name="Start this exercise").click()
    expect(phone.locator("dl.session-needs")).to_contain_text("on hands and knees")
    phone.get_by_role("link", name="\u2190 Back").click()
    expect(phone.get_by_role("heading", name="Cat-camel", level=1)).to_be_visible()
    phone.goto("/session?practice=paced&rhythm=4-6&minutes=3")
    expect(phone.locator(".ready .lede")).to_contain_text("breathe in")
    expect(phone.locator(".plan-list li a")).to_have_count(0)  # paced breathing has no page
    phone.get_by_role("link", name="\u2190 Back").click()
    expect(phone.get_by_role("heading", name="Breathe", level=1)).to_be_visible()


# --- leaving a running session ----------------------------------------------------------------


def running_bridge(page) -> None:
    cleared(page)
    open_paused(page, "/session?exercise=glute-bridge")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)  # past the lead-in and the time to lie down
    page.clock.run_for(3000)
    expect(page.locator(".pacer")).to_have_attribute("data-status", "running")


def test_leaving_through_the_logo_asks_and_keep_going_keeps_going(phone):
    running_bridge(phone)
    phone.get_by_role("link", name="Spinewise").click()
    dialog = phone.get_by_role("dialog", name="Leave the session?")
    expect(dialog).to_be_visible()
    for name in ("Keep going", "Save what you did and leave", "Discard it and leave"):
        assert in_view(phone, dialog.get_by_role("button", name=name)), name
    expect(phone.locator(".pacer")).to_have_attribute("data-status", "paused")
    dialog.get_by_role("button", name="Keep going").click()
    expect(dialog).to_have_count(0)
    phone.clock.run_for(4000)  # the count-in, then on
    expect(phone.locator(".pacer")).to_have_attribute("data-status", "running")
    assert phone.url.endswith("/session?exercise=glute-bridge")
    assert read_store(phone, "sessions") == []


def test_leaving_and_saving_keeps_what_was_done_and_goes_where_asked(phone):
    running_bridge(phone)
    phone.get_by_role("button", name="It hurts").click()
    pick(phone, "pain", "7")
    phone.get_by_role("link", name="Account").click()
    dialog = phone.get_by_role("dialog", name="Leave the session?")
    expect(dialog).to_contain_text("including pain 7 out of 10")
    dialog.get_by_role("button", name="Save what you did and leave").click()
    expect(phone.get_by_role("heading", name="Account", level=1)).to_be_visible()
    [record] = read_store(phone, "sessions")
    [bridge] = record["exercises"]
    assert (bridge["slug"], bridge["pain"], bridge["skipped"]) == ("glute-bridge", 7, True)
    assert read_store(phone, "current", "session") is None


def test_leaving_and_discarding_keeps_nothing(phone):
    running_bridge(phone)
    phone.get_by_role("link", name="Spinewise").click()
    phone.get_by_role("button", name="Discard it and leave").click()
    expect(phone.get_by_role("heading", name="Today", level=1)).to_be_visible()
    assert read_store(phone, "sessions") == []
    assert read_store(phone, "current", "session") is None
    expect(phone.get_by_role("link", name="Continue session")).to_have_count(0)
    expect(phone.locator(".done-today")).to_have_count(0)


def test_the_start_screen_and_the_summary_leave_without_asking(phone):
    cleared(phone)
    phone.goto("/session?exercise=glute-bridge")
    expect(phone.get_by_role("button", name="Start", exact=True)).to_be_visible()
    phone.get_by_role("link", name="Spinewise").click()
    expect(phone.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(phone.get_by_role("dialog")).to_have_count(0)


# --- the end, and Today after it --------------------------------------------------------------


def test_the_summary_says_what_was_done_and_today_says_done_signed_out(phone, catalogue):
    cleared(phone)
    open_paused(phone, "/session?today=1")
    first = phone.locator(".plan-list li strong").first.inner_text()
    start_and_end_early(phone)
    answer(phone, effort="4", pain="2")
    phone.locator("#notes").fill("Tight hips today")
    phone.locator("#notes").dispatch_event("change")
    phone.get_by_role("button", name="Save and finish").click()
    expect(phone.get_by_role("heading", name="Session saved")).to_be_visible()
    lede = phone.locator(".summary .lede")
    expect(lede).to_contain_text("Well done.")
    expect(lede).to_contain_text("1 exercise, 0 sets")
    item = phone.locator(".summary-list li").first
    expect(item).to_contain_text(first)
    expect(item).to_contain_text("effort 4 (steady) · pain 2 (safe)")
    expect(item).to_contain_text("Tight hips today")
    plan = phone.locator(".plan-next")
    expect(plan).to_contain_text("With an account")
    expect(plan).to_contain_text("two easy sessions in a row")
    expect(plan.get_by_role("link", name="Sign in or create an account")).to_be_visible()

    phone.get_by_role("link", name="Done").click()
    done = phone.locator(".done-today")
    expect(done).to_contain_text("Today\u2019s session is done")
    expect(done).to_contain_text("1 session this week")
    # On the first screenful of Today, above the session card.
    bottom = done.evaluate(
        "(el) => el.getBoundingClientRect().bottom + el.closest('.scroller').scrollTop"
    )
    assert bottom <= phone.viewport_size["height"]
    expect(phone.locator(".card.today h2")).to_have_text("Next session")


def test_a_session_of_skips_only_is_not_done(phone):
    cleared(phone)
    open_paused(phone, "/session?exercise=glute-bridge")
    phone.get_by_role("button", name="Start", exact=True).click()
    phone.clock.run_for(2000)
    phone.get_by_role("button", name="End").click()  # in the lead-in: ends now, nothing begun
    expect(phone.get_by_role("heading", name="Session saved")).to_be_visible()
    expect(phone.locator(".summary .lede")).to_contain_text("Nothing was done this time")
    phone.get_by_role("link", name="Done").click()
    expect(phone.get_by_role("heading", name="Today", level=1)).to_be_visible()
    expect(phone.locator(".today-list li.plan-item").first).to_be_visible()
    expect(phone.locator(".done-today")).to_have_count(0)


def test_a_breath_practice_ends_with_a_summary_that_fits_it(phone):
    cleared(phone)
    open_paused(phone, "/session?practice=paced&rhythm=4-6&minutes=3")
    phone.get_by_role("button", name="Start", exact=True).click()
    phone.clock.run_for(5000 + 3 * 10000 + 500)  # the lead-in and three breaths
    phone.get_by_role("button", name="End").click()
    phone.clock.run_for(12000)
    pick(phone, "feeling", "calmer")
    pick(phone, "pain", "0")
    phone.get_by_role("button", name="Save and finish").click()
    lede = phone.locator(".summary .lede")
    expect(lede).to_contain_text("Well done.")
    expect(lede).to_contain_text("breaths, ")
    expect(phone.locator(".summary-list")).to_contain_text("calmer · pain 0 (safe)")
    expect(phone.locator(".summary-list")).not_to_contain_text("set")
    expect(phone.locator(".plan-next")).to_contain_text("your practices are kept with your account")
    expect(phone.locator(".plan-next")).not_to_contain_text("effort")
    phone.get_by_role("link", name="Done").click()
    expect(phone.locator(".done-today")).to_contain_text("Done today: Paced breathing")


def test_signed_in_the_summary_says_what_the_plan_does_and_today_says_done(
    phone, live_server, engine, catalogue
):
    """The plan began two days ago; yesterday one of its exercises felt very hard (8/10).
    Today the same again: the summary gives the plan's own reason for cutting it."""
    email = f"ending-{phone.viewport_size['width']}@example.org"
    headers = register(live_server, email)
    today = planning.server_today()
    with Session(engine) as db:
        user = db.exec(select(User).where(User.email == email)).one()
        planning.current_plan(db, catalogue, user.id, today - timedelta(days=2))
    plan = server_plan(live_server, headers)
    hard = next(
        x
        for x in plan["sessions"][0]["exercises"]
        if catalogue.by_slug[x["slug"]].kind == "reps" and x["dose"]["sets"] > 1
    )
    name = catalogue.by_slug[hard["slug"]].name
    yesterday = datetime.now(UTC) - timedelta(days=1)
    record = session_log(
        kind="single",
        title=name,
        day=(today - timedelta(days=1)).isoformat(),
        started_at=yesterday.isoformat(),
        ended_at=(yesterday + timedelta(minutes=10)).isoformat(),
        updated_at=(yesterday + timedelta(minutes=10)).isoformat(),
        exercises=[
            {
                "slug": hard["slug"],
                "sets_done": hard["dose"]["sets"],
                "effort": 8,
                "pain": 1,
                "fatigue_region": "nowhere",
                "fatigue_onset": "did-not",
            }
        ],
    )
    synced = httpx.post(f"{live_server}/api/sync", headers=headers, json={"sessions": [record]})
    assert synced.status_code == 200 and synced.json()["rejected"] == []

    cleared(phone)
    signed_in(phone, email)
    phone.goto("/")  # the plan is kept on the device, as a person would have it
    expect(phone.locator(".today-list li.plan-item").first).to_be_visible()
    now = time.time()
    phone.clock.install(time=now)
    phone.goto(f"/session?exercise={hard['slug']}")
    phone.clock.pause_at(now + 10)
    phone.get_by_role("button", name="Start", exact=True).click()
    phone.clock.run_for(timeline(catalogue.by_slug[hard["slug"]])[-1].end + 1000)  # all of it
    expect(phone.get_by_role("heading", name=f"How was {name}?")).to_be_visible()
    answer(phone, effort="8", pain="1")
    phone.get_by_role("button", name="Save and finish").click()
    plan_note = phone.locator(".plan-next")
    expect(plan_note).to_contain_text("What the plan does with it", timeout=15000)
    expect(plan_note).to_contain_text(f"{name} felt very hard two sessions running (8/10 and 8/10)")
    expect(plan_note.get_by_role("link", name="Sign in or create an account")).to_have_count(0)

    phone.get_by_role("link", name="Done").click()
    done = phone.locator(".done-today")
    expect(done).to_contain_text(f"Done today: {name}")
    expect(done).to_contain_text("2 sessions this week")
