"""Accessibility everywhere, at 390x844 and 360x640: nothing sticky covers the first screen's
button or a focused control, screens open at the top, a 0-10 answer is one radio group, a
disabled Save says why, and axe-core (injected from node_modules) finds nothing on any screen,
light or dark."""

import functools
import re
from pathlib import Path

import pytest
from browser_support import (
    SKIP_RED_FLAGS,
    cleared,
    open_paused,
    saved_session,
    to_first_movement,
)
from conftest import PHONE
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIZES = [(390, 844), (360, 640)]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
FRAMES = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"

# The focused element's box, and the boxes of the sticky things that do not hold it.
COVERED = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const hits = [];
  for (const bar of document.querySelectorAll('.dock, .sticky')) {
    const over = bar.getBoundingClientRect();
    if (bar.contains(el) || !over.height) continue;
    if (over.top < box.bottom && over.bottom > box.top) hits.push(bar.className);
  }
  return { name: el.textContent.trim().slice(0, 40), hits, top: box.top, bottom: box.bottom };
}"""


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def phone(request, browser, live_server):
    width, height = request.param
    context = browser.new_context(
        base_url=live_server, **{**PHONE, "viewport": {"width": width, "height": height}}
    )
    page = context.new_page()
    yield page
    context.close()


def boxes_meet(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def ready_questions(page) -> None:
    """Glute bridge, ended 1 s into the first lift: its quick questions are on screen."""
    cleared(page)
    open_paused(page, "/session?exercise=glute-bridge")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(1000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(1100)
    expect(page.get_by_role("heading", name="How was Glute bridge?")).to_be_visible()


# --- nothing sticky covers a control ----------------------------------------------------------


def test_the_first_screens_button_is_clear_of_the_tab_bar_and_the_offline_toast(phone):
    phone.goto("/")
    go = phone.get_by_role("button", name="None of these — continue")
    expect(go).to_be_visible()
    toast = phone.locator(".toast.offline-ready")
    expect(toast).to_be_visible(timeout=15000)  # the first install says so, for a few seconds
    button = go.bounding_box()
    tabs = phone.locator(".tabs")  # the red-flag screen may stand alone, with no tab bar
    assert not tabs.is_visible() or not boxes_meet(button, tabs.bounding_box())
    assert not boxes_meet(button, toast.bounding_box())
    assert button["y"] + button["height"] <= phone.viewport_size["height"]
    # A tap at its centre lands on the button itself, not on something lying over it.
    assert (
        phone.evaluate(
            "([x, y]) => document.elementFromPoint(x, y)?.closest('button')?.textContent",
            [button["x"] + button["width"] / 2, button["y"] + button["height"] / 2],
        )
        == "None of these — continue"
    )


@pytest.mark.parametrize("path", ["/safety", "/"])
def test_every_focused_control_scrolls_clear_of_the_sticky_bars(phone, path):
    if path == "/":
        cleared(phone)
    phone.goto(path)
    phone.wait_for_load_state("networkidle")  # Today's plan drawn, nothing moves any more
    expect(phone.locator("h1")).to_be_focused()
    seen = 0
    for _ in range(40):
        phone.keyboard.press("Tab")
        phone.evaluate(FRAMES)
        state = phone.evaluate(COVERED)
        assert state["hits"] == [], state
        assert state["top"] >= 0 and state["bottom"] <= phone.viewport_size["height"], state
        seen += 1
        if state["name"] == "Safety questions":  # the footer's link: the last stop
            break
    assert seen > 5


# Each control of the content, cut to the boxes that clip it (as the browser paints it), that
# meets the dock (the tab bar and the toasts above it).
UNDER_THE_DOCK = """() => {
  const dock = document.querySelector('.dock').getBoundingClientRect();
  const meets = (a, b) => a.top < b.bottom && b.top < a.bottom
    && a.left < b.right && b.left < a.right;
  const under = [];
  const controls = 'main :is(a, button, input, select, textarea, summary)';
  for (const el of document.querySelectorAll(controls)) {
    let box = el.getBoundingClientRect();
    if (!box.height) continue;
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowY === 'visible') continue;
      const clip = up.getBoundingClientRect();
      box = { top: Math.max(box.top, clip.top), bottom: Math.min(box.bottom, clip.bottom),
        left: Math.max(box.left, clip.left), right: Math.min(box.right, clip.right) };
    }
    if (box.bottom > box.top && dock.height && meets(box, dock)) {
      under.push(el.textContent.trim().slice(0, 30));
    }
  }
  return under;
}"""


@pytest.mark.parametrize("path", ["/", "/checkin", "/account", "/exercises"])
def test_no_control_ever_lies_under_the_tab_bar(phone, path):
    """Lighthouse found Today's "Why it is here" and a check-in answer cut by the tab bar at
    first paint (target-size): the content now ends where the tab bar begins, at any scroll."""
    cleared(phone)
    phone.goto(path)
    phone.wait_for_load_state("networkidle")
    expect(phone.locator(".tabs")).to_be_visible()
    seen = 0
    for _ in range(12):
        assert phone.evaluate(UNDER_THE_DOCK) == []
        phone.mouse.move(100, 200)
        phone.mouse.wheel(0, 150)
        phone.evaluate(FRAMES)
        seen += 1
    assert phone.evaluate("() => document.querySelector('.scroller').scrollTop") > 0
    assert seen == 12


def test_a_screen_opens_at_its_top(phone):
    # The content scrolls in its own box, above the tab bar.
    down = "() => document.querySelector('.scroller').scrollTop > 0"
    top = "() => document.querySelector('.scroller').scrollTop === 0"
    phone.goto("/")
    phone.get_by_role("button", name="None of these — continue").scroll_into_view_if_needed()
    phone.mouse.wheel(0, 2000)
    phone.wait_for_function(down)
    phone.get_by_role("button", name="None of these — continue").click()
    expect(phone.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    # Once drawn (its list no longer busy), the screen is at its top, and stays there.
    expect(phone.locator(".today-list")).not_to_have_attribute("aria-busy", "true")
    phone.wait_for_function(top, timeout=2000)
    phone.mouse.move(100, 200)  # over the content: the tab bar does not scroll it
    phone.mouse.wheel(0, 2000)
    phone.wait_for_function(down)
    phone.locator(".tabs").get_by_role("link", name="Exercises").click()
    expect(phone.get_by_role("heading", name="Exercises")).to_be_visible()
    phone.wait_for_function(top, timeout=2000)


# --- one control per 0-10 answer; a disabled Save says why -----------------------------------


def test_a_0_to_10_answer_is_one_radio_group_of_floor_sized_choices(phone):
    ready_questions(phone)
    effort = phone.get_by_role("radiogroup", name="Effort from 0 to 10")
    expect(effort.get_by_role("radio")).to_have_count(11)
    for box in (r.bounding_box() for r in effort.get_by_role("radio").all()):
        assert box["width"] >= 44 and box["height"] >= 44
    # The app's own words, no licensed scale's.
    expect(phone.locator("fieldset.effort legend")).to_contain_text("5 working")
    expect(phone.locator("fieldset.effort")).not_to_contain_text("Borg")
    expect(effort.get_by_role("radio", name="5 Working")).to_be_visible()

    phone.locator("h1").focus()
    phone.keyboard.press("Tab")
    first = effort.get_by_role("radio").first
    expect(first).to_be_focused()  # nothing chosen yet: the group's stop is its first choice
    phone.keyboard.press("ArrowRight")
    phone.keyboard.press("ArrowRight")
    two = effort.locator("[data-value='2']")
    expect(two).to_be_focused()
    expect(two).to_have_attribute("aria-checked", "true")
    expect(effort.locator("[aria-checked=true]")).to_have_count(1)
    phone.keyboard.press("ArrowLeft")
    expect(effort.locator("[data-value='1']")).to_have_attribute("aria-checked", "true")
    phone.keyboard.press("End")
    expect(effort.locator("[data-value='10']")).to_have_attribute("aria-checked", "true")
    # Tab leaves the whole scale in one step, to the pain scale.
    phone.keyboard.press("Tab")
    expect(
        phone.get_by_role("radiogroup", name="Pain from 0 to 10").get_by_role("radio").first
    ).to_be_focused()
    # Shift+Tab comes back to the chosen answer.
    phone.keyboard.press("Shift+Tab")
    expect(effort.locator("[data-value='10']")).to_be_focused()


def test_a_disabled_save_says_why_in_its_description(phone):
    ready_questions(phone)
    save = phone.get_by_role("button", name="Save and finish")
    expect(save).to_be_disabled()
    reason = "To save, answer effort, pain and where fatigue came first."
    expect(save).to_have_accessible_description(reason)
    expect(phone.get_by_text(reason)).to_be_visible()
    phone.locator("fieldset.effort .choice[data-value='3']").click()
    phone.locator("fieldset.pain .choice[data-value='1']").click()
    expect(save).to_have_accessible_description("To save, answer where fatigue came first.")
    phone.locator("fieldset.where .choice[data-value='legs']").click()
    expect(save).to_have_accessible_description("To save, answer when it appeared.")
    phone.locator("fieldset.when .choice[data-value='set-1']").click()
    expect(save).to_be_enabled()
    expect(save).to_have_accessible_description("")
    expect(phone.locator(".save-why")).to_be_hidden()
    # Save is clear of nothing: it is the sticky bar's, above the screen's bottom edge.
    box = save.bounding_box()
    assert box["y"] + box["height"] <= phone.viewport_size["height"]


def test_the_morning_check_in_save_says_why(phone):
    phone.goto("/checkin")
    save = phone.get_by_role("button", name="Save check-in")
    expect(save).to_have_accessible_description(
        "To save, answer pain, stiffness, compared with yesterday, whether fatigue lingered"
        " and whether symptoms spread."
    )
    phone.get_by_role("radiogroup", name="Pain from 0 to 10").get_by_role("radio").first.focus()
    phone.keyboard.press("ArrowRight")
    expect(save).to_have_accessible_description(re.compile(r"^To save, answer stiffness, compared"))


# --- axe on every screen --------------------------------------------------------------------

AXE_RUN = """async () => {
  const { violations } = await axe.run(document, { resultTypes: ['violations'] });
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}"""


@pytest.fixture(params=["light", "dark"])
def audited(request, phone):
    """The phone in a colour scheme, axe-core served from this origin (the page's CSP stays)."""
    assert AXE.exists(), "axe-core is missing: run `npm ci` (scripts/test does)"
    phone.emulate_media(color_scheme=request.param)
    phone.context.route("**/__axe.js", lambda route: route.fulfill(path=str(AXE)))
    found: dict[str, list[str]] = {}

    def check(state: str, page=phone, clocked: bool = False) -> None:
        if clocked:  # axe waits on timers: let the fake clock run meanwhile
            page.clock.resume()
        page.evaluate(FRAMES)
        if not page.evaluate("() => typeof axe === 'object'"):
            page.add_script_tag(url="/__axe.js")
        found[state] = page.evaluate(AXE_RUN)
        if clocked:
            page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 2)

    yield phone, check
    assert {state: v for state, v in found.items() if v} == {}
    assert len(found) >= 20


SEED = """async (sessions) => {
  const store = await import('/static/js/store.js');
  for (const s of sessions) await store.finishSession(s);
}"""


def test_axe_finds_nothing_on_any_screen(audited):
    page, check = audited
    context = page.context
    page.goto("/")
    expect(page.get_by_role("button", name="None of these — continue")).to_be_visible()
    check("red flags")
    page.get_by_label(re.compile("between the shoulder blades")).check()
    check("red flags, one ticked")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".safety-outcome")).to_be_visible()
    check("see a doctor")
    page.evaluate(SKIP_RED_FLAGS)  # answered "none of these" from here on

    for path, heading in [
        ("/", "Today"),
        ("/breathe", "Breathe"),
        ("/exercises", "Exercises"),
        ("/exercises/glute-bridge", "Glute bridge"),
        ("/history", "History"),
        ("/checkin", "Morning check-in"),
        ("/account", "Account"),
        ("/no-such-page", "Page not found"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        check(path)

    # History with records and charts.
    page.goto("/history")
    page.evaluate(
        SEED,
        [
            saved_session(day, exercises=[{**saved_session()["exercises"][0], "pain": pain}])
            for day, pain in (("2026-11-20", 1), ("2026-11-22", 4), ("2026-11-24", 2))
        ],
    )
    page.goto("/history")
    expect(page.locator("figure.chart svg[role=img]")).to_have_count(3)
    page.locator("figure.chart.pain summary").click()
    check("history with charts")

    # A session, on a page with the fake clock: ready, running, paused, the questions (empty,
    # pain above 5, answered), the end.
    scheme = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    page.close()
    page = context.new_page()
    page.emulate_media(color_scheme="dark" if scheme else "light")
    check = functools.partial(check, page=page, clocked=True)
    open_paused(page, "/session?exercise=glute-bridge")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    check("session ready")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(1000)
    check("pacer running")
    page.get_by_role("button", name="Pause").click()
    check("pacer paused")
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(4000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(4000)
    expect(page.get_by_role("heading", name="How was Glute bridge?")).to_be_visible()
    check("questions")
    page.locator("fieldset.pain .choice[data-value='7']").click()
    expect(page.locator(".pain-offer")).to_be_visible()
    check("questions, pain above 5")
    page.locator("fieldset.pain .choice[data-value='2']").click()
    page.locator("fieldset.effort .choice[data-value='4']").click()
    page.locator("fieldset.where .choice[data-value='nowhere']").click()
    check("questions answered")
    page.get_by_role("button", name="Save and finish").click()
    page.clock.run_for(1000)
    expect(page.locator("h1")).not_to_have_text("How was Glute bridge?")
    check("summary")

    # A paced breathing practice, running.
    open_paused(page, "/session?practice=paced&rhythm=4-6&minutes=1")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(9000)
    check("paced breathing")


# --- History, sync and account words ----------------------------------------------------------


def test_history_welcomes_a_new_person_instead_of_empty_weeks(phone):
    phone.goto("/history")
    welcome = phone.locator(".welcome")
    expect(welcome).to_contain_text("Your history starts with your first session")
    expect(welcome.get_by_role("link", name=re.compile("Go to today.s session"))).to_be_visible()
    expect(phone.locator(".week-cells")).to_have_count(0)
    expect(phone.get_by_text("0 of 3")).to_have_count(0)


def test_history_counts_only_sessions_with_work_done(phone):
    cleared(phone)
    phone.goto("/history")
    skipped = {
        **saved_session()["exercises"][0],
        "sets_done": 0,
        "reps_done": 0,
        "skipped": True,
        "effort": None,
        "pain": None,
        "fatigue_region": None,
        "fatigue_onset": None,
    }
    today = phone.evaluate("() => import('/static/js/days.js').then((d) => d.localDay())")
    breath = saved_session(
        today,
        kind="breath",
        title=None,
        exercises=[
            {**saved_session()["exercises"][0], "slug": "paced-breathing-4-6", "reps_done": 18}
        ],
    )
    phone.evaluate(SEED, [saved_session(today, exercises=[skipped]), breath])
    phone.goto("/history")
    # Only skipped exercises: listed as such, not counted; the breathing practice counts.
    expect(phone.locator(".welcome")).to_have_count(0)
    expect(phone.locator(".week-cells li")).to_have_count(1)
    expect(phone.locator(".week-cells li").first).to_contain_text("1 of 3")
    expect(phone.locator("figure.weeks figcaption")).to_have_text(
        "Goal of 3 sessions a week: 1 so far this week"
    )
    expect(phone.locator(".card.session .tag.idle")).to_have_count(1)
    # Its words: a name, not a slug; breaths, not reps; "1 set"; not synced is information.
    practice = phone.locator(".card.session").filter(has_text="Breathing practice")
    expect(practice).to_contain_text("Paced breathing 4-6")
    expect(practice).to_contain_text("1 set, 18 breaths")
    expect(practice.locator(".tag.pending")).to_have_text("on this device only")
    color = practice.locator(".tag.pending").evaluate("(e) => getComputedStyle(e).color")
    warn = phone.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--warn-ink')"
    )
    assert color != warn
    # No account, records waiting: the header has nothing alarming to say.
    expect(phone.locator(".sync-chip")).to_be_hidden()


def test_sign_up_states_the_password_rules_before_they_are_broken(phone):
    phone.goto("/account")
    password = phone.get_by_label("Password")
    expect(password).to_have_accessible_description(
        "A password has at least 8 characters (up to 256): any letters, numbers, spaces or symbols."
    )
    expect(phone.get_by_text("A password has at least 8 characters")).to_be_visible()
