"""The red-flag screen in Chromium (docs/safety.md): every sign at its urgency, the call-now
screen, a clinician's check recorded beside a sign left ticked, the questions again at a new
plan cycle and after symptoms spread, and the answers travelling with the account. At 390 by
844, and 360 by 640 where the layout matters."""

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from browser_support import open_paused, to_first_movement
from conftest import PHONE
from playwright.sync_api import expect
from sqlmodel import Session, select
from test_browser_plan import register, signed_in

from app import planning
from app.models import User

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-safety")
SMALL = {**PHONE, "viewport": {"width": 360, "height": 640}}


@pytest.fixture(params=["390x844", "360x640"])
def phone(request, browser, live_server):
    """A fresh browser context at each phone size."""
    context = browser.new_context(
        base_url=live_server, **(PHONE if request.param == "390x844" else SMALL)
    )
    page = context.new_page()
    page.size = request.param
    yield page
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{page.viewport_size['width']}.png")


def tick(page, words: str) -> None:
    page.get_by_label(re.compile(words)).check()


def none_of_these(page) -> None:
    """Answer the red flags with nothing ticked."""
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    page.get_by_role("button", name="None of these — continue").click()
    expect(page.get_by_role("heading", name="Before you start")).to_have_count(0)


def stored(page):
    return page.evaluate("JSON.parse(localStorage.getItem('spinewise.screening'))")


def in_view(page, locator) -> bool:
    """The element's middle can be tapped: inside the viewport, nothing drawn over it."""
    return locator.evaluate(
        """(el) => { const r = el.getBoundingClientRect(); const x = r.left + r.width / 2;
        const y = r.top + r.height / 2;
        return y > 0 && y < innerHeight && el.contains(document.elementFromPoint(x, y)); }"""
    )


def test_every_sign_is_asked_at_its_urgency_in_plain_words(page):
    page.goto("/safety")
    legends = page.locator("form.safety legend").all_inner_texts()
    starts = ["Call 999 now", "Get medical help today", "See a doctor before starting", "Mention"]
    assert len(legends) == len(starts)
    for legend, start in zip(legends, starts, strict=True):
        assert legend.startswith(start), legend
    text = page.locator("form.safety").inner_text()
    for words in (
        "difficulty peeing",
        "when your bladder is full",
        "when you wipe",
        "in both legs",
        "Chest pain",
        "serious accident",
        "feel generally unwell",
        "between the shoulder blades",
        "lump or swelling",
        "Osteoporosis",
        "steroid tablets",
        "inject drugs",
        "infection",
        "heavy or unsteady",
        "not a diagnosis",
        "Spinewise does not replace a clinician",
    ):
        assert words in text, words
    assert page.locator("input[type=checkbox]").count() == 20
    assert page.locator("input:checked").count() == 0


def test_an_ambulance_level_answer_shows_the_call_now_screen(phone):
    page = phone
    page.goto("/session?exercise=glute-bridge")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    # A screen of its own: no tab bar over the button that goes on.
    expect(page.locator(".tabs")).to_be_hidden()
    go = page.get_by_role("button", name="None of these — continue")
    assert in_view(page, go)
    shot(page, "01-questions")
    tick(page, "both legs")
    tick(page, "thin bones")  # a less urgent sign too: the most urgent speaks
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("do not wait")
    expect(page.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    assert in_view(page, page.get_by_role("link", name="Call 999"))
    expect(page.locator(".ticked")).to_contain_text("both legs")
    expect(page.get_by_text("will not start a session")).to_be_visible()
    shot(page, "02-call-now")
    # Remembered: asking for a session again shows the same advice, and nothing starts.
    page.goto("/session?exercise=glute-bridge")
    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    assert page.locator(".pacer, .ready").count() == 0
    assert stored(page)["signs"] == ["both-legs", "bones-steroids"]


@pytest.mark.parametrize(
    ("words", "heading", "why"),
    [
        ("high temperature", "Get medical help today", "Call 111"),
        ("heavy or unsteady", "Get medical help today", "today"),
        ("had cancer", "Please see a doctor before starting", "fracture or an infection"),
        ("between the shoulder blades", "Please see a doctor before starting", "rule that out"),
    ],
)
def test_each_urgency_says_what_to_do(page, words, heading, why):
    page.goto("/")
    tick(page, words)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator(".safety-outcome")).to_contain_text(why)
    page.reload()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()


def test_the_inflammatory_pattern_is_mentioned_and_does_not_block(page):
    page.goto("/session?exercise=glute-bridge")
    tick(page, "second half of the night")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Mention this to your doctor")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()


def test_a_clinicians_check_lets_the_person_go_on_with_the_sign_still_ticked(phone):
    page = phone
    page.goto("/session?exercise=glute-bridge")
    tick(page, "thin bones")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Please see a doctor before starting")).to_be_visible()
    record = page.get_by_role("button", name="Record the check and go on")
    record.click()  # no date yet: refused
    expect(page.get_by_role("heading", name="Please see a doctor before starting")).to_be_visible()
    page.get_by_label("Date of the check").fill("2026-11-02")
    shot(page, "03-clearance")
    record.click()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    answers = stored(page)
    assert answers["signs"] == ["bones-steroids"]  # still true, still ticked
    assert (answers["cleared_on"], answers["cleared_signs"]) == ("2026-11-02", ["bones-steroids"])
    # The questions show the check beside the sign; going on needs no unticking.
    page.goto("/safety")
    box = page.get_by_label(re.compile("thin bones"))
    expect(box).to_be_checked()
    expect(page.locator(".flag", has=box)).to_contain_text(
        re.compile("Checked by a clinician on (2 November|November 2,) 2026")
    )
    shot(page, "04-checked-sign")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def test_spread_in_a_check_in_shows_the_emergency_signs_and_asks_again(phone):
    page = phone
    page.goto("/")
    none_of_these(page)
    page.goto("/checkin")
    for question, value in (("pain", "3"), ("stiffness", "3"), ("compared", "worse")):
        page.locator(f"fieldset.checkin-{question} .choice[data-value='{value}']").click()
    page.locator("fieldset.checkin-lingered .choice[data-value='false']").click()
    expect(page.locator("fieldset.checkin-spread legend")).to_contain_text("a leg felt weak")
    page.locator("fieldset.checkin-spread .choice[data-value='true']").click()
    page.get_by_role("button", name="Save check-in").click()
    advice = page.locator(".spread-advice")
    expect(advice).to_be_visible()
    expect(advice).to_contain_text("call 999 now")
    for words in ("difficulty peeing", "both legs", "when you wipe", "genitals"):
        expect(advice).to_contain_text(words)
    expect(advice).to_contain_text("see your GP or a physiotherapist")
    shot(page, "05-checkin-spread")
    # Before the next session, the red flags again, saying why.
    page.goto("/session?exercise=glute-bridge")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.locator(".again")).to_contain_text("spread")
    none_of_these(page)
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    # Answered after the spread: Today does not ask a second time.
    page.goto("/")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    page.wait_for_timeout(500)
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def test_spread_in_an_exercise_shows_the_signs_and_asks_again(page):
    page.goto("/safety")
    none_of_these(page)
    open_paused(page, "/session?exercise=glute-bridge")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(1000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(1100)
    for question, value in (
        ("effort", "4"),
        ("pain", "2"),
        ("where", "nowhere"),
        ("spread", "true"),
    ):
        page.locator(f"fieldset.{question} .choice[data-value='{value}']").first.click()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    expect(page.locator(".spread-advice")).to_contain_text("both legs")
    page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.locator(".again")).to_contain_text("spread")


def account_answers(live_server, headers, wanted=lambda a: True):
    """The account's red-flag answers once `wanted` holds of them (the app sends them)."""
    for _ in range(50):
        answers = httpx.get(f"{live_server}/api/me/screening", headers=headers).json()
        if answers is not None and wanted(answers):
            return answers
        time.sleep(0.1)
    return answers


def test_a_new_plan_cycle_asks_again_with_a_checked_sign_still_ticked(
    phone, live_server, engine, catalogue
):
    page = phone
    email = f"cycle-{phone.size}@example.org"
    headers = register(live_server, email)
    today = planning.server_today()
    with Session(engine) as db:  # a plan begun nine weeks ago: its second cycle began last week
        user = db.exec(select(User).where(User.email == email)).one()
        planning.current_plan(db, catalogue, user.id, today - timedelta(weeks=9))
    # Answered on the account in the first cycle: thin bones, checked by a clinician.
    weeks_ago = (datetime.now(UTC) - timedelta(weeks=8)).isoformat()
    first = {
        "signs": ["bones-steroids"],
        "answered_at": weeks_ago,
        "cycle": 1,
        "cleared_on": "2026-10-01",
        "cleared_signs": ["bones-steroids"],
        "updated_at": weeks_ago,
    }
    assert httpx.put(f"{live_server}/api/me/screening", headers=headers, json=first).is_success
    signed_in(page, email)
    # Today sees cycle 2: the questions come again, the checked sign still ticked beside its check.
    page.goto("/")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.locator(".again")).to_contain_text("new plan cycle")
    box = page.get_by_label(re.compile("thin bones"))
    expect(box).to_be_checked()
    expect(page.locator(".flag", has=box)).to_contain_text(
        re.compile("Checked by a clinician on (1 October|October 1,) 2026")
    )
    shot(page, "06-new-cycle")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    answers = account_answers(live_server, headers, lambda a: a["cycle"] == 2)
    assert (answers["cycle"], answers["signs"], answers["cleared_signs"]) == (
        2,
        ["bones-steroids"],
        ["bones-steroids"],
    )
    # Once answered for this cycle, Today does not ask again.
    page.reload()
    page.wait_for_timeout(500)
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def test_answers_given_signed_out_go_to_the_account_and_leave_with_it(page, live_server):
    headers = register(live_server, "device@example.org")
    page.goto("/safety")
    tick(page, "thin bones")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Date of the check").fill("2026-10-01")
    page.get_by_role("button", name="Record the check and go on").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    signed_in(page, "device@example.org")
    answers = account_answers(live_server, headers)
    assert (answers["signs"], answers["cleared_on"]) == (["bones-steroids"], "2026-10-01")
    # Signed out, the answers leave this device with the account: the next person is asked.
    page.evaluate("() => import('/static/js/account.js').then((a) => a.signOut())")
    page.goto("/")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    assert stored(page) is None
    assert page.locator("input:checked").count() == 0
