"""The History screen's charts in headless Chromium on a 360-px phone in Auckland's time zone
(where a Sunday evening in UTC is already Monday): sessions per week against three, pain,
effort and where fatigue came first, each drawn from what the device holds, with a spoken
summary and a table; one session gives a sentence instead, and a sync redraws them."""

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from browser_support import watch
from conftest import PHONE
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ZONE = ZoneInfo("Pacific/Auckland")
TODAY = datetime(2027, 3, 17, 10, 0, tzinfo=ZONE)  # a Wednesday; this week began Mon 15 Mar

SEED = """async ([sessions, checkins]) => {
  const store = await import('/static/js/store.js');
  for (const s of sessions) await store.finishSession(s);
  for (const c of checkins) await store.saveCheckin(c);
}"""
ANNOUNCE = "() => import('/static/js/outbox.js').then((m) => m.announce())"


@pytest.fixture
def phone(browser, live_server):
    """A fresh 360-px phone in Auckland, its clock fixed at TODAY."""
    context = browser.new_context(
        base_url=live_server,
        **{**PHONE, "viewport": {"width": 360, "height": 740}},
        timezone_id="Pacific/Auckland",
    )
    page = context.new_page()
    page.clock.set_fixed_time(TODAY)
    yield page
    context.close()


def session(when: datetime, *answers: tuple) -> dict:
    """A finished session started at local time `when`; each answer is (effort, pain, where)."""
    started = when.astimezone(UTC).isoformat().replace("+00:00", "Z")
    slugs = ["glute-bridge", "dead-bug"]
    return {
        "id": str(uuid.uuid4()),
        "kind": "single",
        "title": "Practice",
        "started_at": started,
        "ended_at": started,
        "updated_at": started,
        "notes": "",
        "exercises": [
            {
                "slug": slugs[i],
                "sets_done": 2,
                "reps_done": 16,
                "effort": effort,
                "pain": pain,
                "fatigue_region": where,
                "fatigue_onset": "did-not" if where == "nowhere" else where and {"set": 1},
                "helpful_cues": [],
                "notes": "",
            }
            for i, (effort, pain, where) in enumerate(answers)
        ],
    }


def checkin(day: str, pain: int) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "day": day,
        "pain": pain,
        "stiffness": 2,
        "compared_with_yesterday": "same",
        "fatigue_lingered": False,
        "notes": "",
    }


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=ZONE)


SESSIONS = [
    session(at(2, 22, 8), (4, 3, "nowhere")),
    session(at(3, 2, 8), (3, 2, "hips-glutes")),
    session(at(3, 4, 18), (4, 3, "abdomen")),
    session(at(3, 7, 23, 30), (6, 5, "lower-back")),  # Sunday night: the week of 1 Mar
    session(at(3, 8, 0, 30), (5, 4, "lower-back"), (2, 1, "hips-glutes")),  # Monday (Sun in UTC)
    session(at(3, 10, 8), (None, None, None)),  # stopped before the questions: not rated
    session(at(3, 15, 8), (3, 2, "hips-glutes")),
]


def seeded(page, sessions: list[dict], checkins: list[dict] = ()) -> None:
    page.goto("/history")
    page.evaluate(SEED, [sessions, list(checkins)])
    page.goto("/history")


def test_history_charts_pain_effort_fatigue_and_weeks(phone):
    problems = watch(phone)
    seeded(phone, SESSIONS, [checkin("2027-03-09", 3), checkin("2027-03-16", 1)])

    charts = phone.locator("figure.chart svg[role=img]")
    expect(charts).to_have_count(3)
    pain, effort, fatigue = (
        phone.locator(f"figure.chart.{kind}") for kind in ("pain", "effort", "fatigue")
    )
    expect(pain.locator("svg")).to_have_attribute(
        "aria-label",
        "Pain during exercise over 6 sessions: between 2 and 5, 3 at first and 2 at the latest;"
        " morning pain over 2 check-ins: between 1 and 3, 3 at first and 1 at the latest",
    )
    expect(effort.locator("svg")).to_have_attribute(
        "aria-label", "Effort over 6 sessions: between 3 and 6, 4 at first and 3 at the latest"
    )
    expect(fatigue.locator("svg")).to_have_attribute(
        "aria-label",
        "Where fatigue came first, 7 answers over 6 sessions:"
        " lower back 2, hips / glutes 3, abdomen 1, nowhere 1",
    )
    for figure in (pain, effort, fatigue):
        expect(figure.locator("figcaption")).to_be_visible()
    # One point per rated session (the stopped one has none), one per check-in, one mark per answer.
    expect(pain.locator(".s0 circle")).to_have_count(6)
    expect(pain.locator(".s1 circle")).to_have_count(2)
    expect(effort.locator("circle")).to_have_count(6)
    expect(fatigue.locator("circle")).to_have_count(7)
    expect(fatigue.locator("text").filter(has_text="Upper back / neck")).to_have_count(1)
    # The highest pain of the two exercises that Monday is the one charted; the table says so.
    pain.get_by_text("Show as a table").click()
    expect(pain.locator("tbody tr")).to_have_count(8)
    expect(pain.locator("tbody tr").nth(4).locator("td").nth(1)).to_have_text("4")

    # Weeks start on Monday in local time: Sunday 23:30 counts in the week before, 00:30 Monday
    # in its own week, though both are Sunday in UTC.
    weeks = phone.locator(".week-cells li")
    expect(weeks).to_have_count(4)  # from the week of the first session on, not empty weeks
    cell = lambda start: phone.locator(f".week-cells li[data-week='{start}']")  # noqa: E731
    expect(cell("2027-03-01")).to_contain_text("3 of 3")
    expect(cell("2027-03-01")).to_have_class("week met")
    expect(cell("2027-03-08")).to_contain_text("2 of 3")
    expect(cell("2027-03-15")).to_contain_text("This week")
    expect(cell("2027-03-15")).to_contain_text("1 of 3")
    expect(cell("2027-02-22")).to_contain_text("1 of 3")
    expect(cell("2027-02-15")).to_have_count(0)
    expect(phone.locator("figure.weeks figcaption")).to_have_text(
        "Goal of 3 sessions a week: met in 1 of the last 4 weeks"
    )

    # The lists below are as before, and everything fits the phone's width.
    expect(phone.locator(".card.session")).to_have_count(7)
    # Not on a server, and no account: information, not an error.
    expect(phone.locator(".card.session").first.locator(".tag.pending")).to_have_text(
        "on this device only"
    )
    expect(phone.locator(".checkin-entry")).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    for box in (charts.nth(i).bounding_box() for i in range(3)):
        assert box and 300 <= box["width"] <= 360
    assert problems == []


def test_one_session_gives_a_sentence_and_a_sync_draws_the_charts(phone):
    problems = watch(phone)
    seeded(phone, [session(at(3, 16, 8), (3, 2, "legs"))])
    expect(phone.locator(".chart-empty")).to_have_text(
        "Charts of pain, effort and where fatigue comes first appear here"
        " after two sessions with answers."
    )
    expect(phone.locator("svg")).to_have_count(0)
    expect(phone.locator(".week-cells li[data-week='2027-03-15']")).to_contain_text("1 of 3")
    expect(phone.locator(".week-cells li")).to_have_count(1)

    # A second session arrives (as a sync brings one): the screen redraws with its charts.
    phone.evaluate(SEED, [[session(at(3, 17, 8), (5, 4, "lower-back"))], []])
    phone.evaluate(ANNOUNCE)
    expect(phone.locator("figure.chart svg[role=img]")).to_have_count(3)
    expect(phone.locator(".chart-empty")).to_have_count(0)
    expect(phone.locator("figure.chart.pain svg")).to_have_attribute(
        "aria-label",
        "Pain during exercise over 2 sessions: between 2 and 4, 2 at first and 4 at the latest",
    )
    expect(phone.locator("figure.chart.fatigue circle")).to_have_count(2)
    expect(phone.locator(".week-cells li[data-week='2027-03-15']")).to_contain_text("2 of 3")
    expect(phone.locator(".card.session")).to_have_count(2)
    assert problems == []
