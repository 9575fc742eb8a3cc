"""The app as a person uses it at a phone viewport: the quick questions (saved in IndexedDB as
they are tapped, and still there after a reload), the pain > 5 path, the catalogue browser,
and every screen free of console errors, CSP violations and sideways scrolling at 360 by 640.
The red-flag screen has test_browser_safety.py."""

import re
import uuid

import pytest
from browser_support import (
    cleared,
    first_movement_ms,
    open_paused,
    read_store,
    to_first_movement,
    watch,
)
from conftest import PHONE
from playwright.sync_api import expect

from app.catalogue import UNSAID_EQUIPMENT

pytestmark = pytest.mark.browser


def pick(page, question: str, value: str) -> None:
    """Tap the choice worth `value` in one of the quick questions (effort, pain, where, when)."""
    page.locator(f"fieldset.{question} .choice[data-value='{value}']").click()


def ended_bridge(page, slug: str = "glute-bridge", name: str = "Glute bridge") -> None:
    """A bridge, started, ended 1 s into the first lift: its questions are on screen."""
    cleared(page)
    open_paused(page, f"/session?exercise={slug}")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(1000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(1100)
    expect(page.get_by_role("heading", name=f"How was {name}?")).to_be_visible()


# --- the quick questions ----------------------------------------------------------------------


def test_quick_questions_are_saved_as_tapped_and_survive_a_reload(page):
    ended_bridge(page)
    save = page.get_by_role("button", name="Save and finish")
    expect(save).to_be_disabled()
    pick(page, "effort", "4")
    pick(page, "pain", "2")
    pick(page, "where", "hips-glutes")
    pick(page, "when", "set-1")
    page.locator(".rep-row").get_by_role("radio", name="1", exact=True).click()
    page.get_by_role("button", name="Let the ribs settle down first, then lift.").click()
    expect(save).to_be_enabled()  # spreading symptoms are optional: no answer is no
    expect(page.locator("fieldset.spread legend")).to_have_text(
        "Did pain, tingling or numbness spread into a buttock or leg, or a leg feel weak?"
    )
    pick(page, "spread", "true")

    current = read_store(page, "current", "session")
    assert current["stage"] == "questions"
    assert current["answers"]["0-glute-bridge"] == {
        "effort": 4,
        "pain": 2,
        "fatigue_region": "hips-glutes",
        "fatigue_onset": {"set": 1, "rep": 1},
        "helpful_cues": ["Let the ribs settle down first, then lift."],
        "symptoms_spread": True,
    }

    page.reload()
    expect(page.get_by_role("heading", name="How was Glute bridge?")).to_be_visible()
    for group, value in (
        ("effort", "4"),
        ("pain", "2"),
        ("where", "hips-glutes"),
        ("when", "set-1"),
        ("spread", "true"),
    ):
        pressed = page.locator(f"fieldset.{group} > .choices > .choice[aria-checked=true]")
        expect(pressed).to_have_attribute("data-value", value)
    expect(page.locator(".rep-row .choice[aria-checked=true]")).to_have_attribute("data-value", "1")

    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    assert read_store(page, "current", "session") is None
    [record] = read_store(page, "sessions")
    assert uuid.UUID(record["id"]).version == 4
    assert record["kind"] == "single"
    assert record["started_at"] <= record["ended_at"] == record["updated_at"]
    assert record["exercises"] == [
        {
            "slug": "glute-bridge",
            "sets_done": 0,
            "reps_done": 0,
            "skipped": True,  # ended 1 s into its first lift
            "effort": 4,
            "pain": 2,
            "fatigue_region": "hips-glutes",
            "fatigue_onset": {"set": 1, "rep": 1},
            "symptoms_spread": True,
            "helpful_cues": ["Let the ribs settle down first, then lift."],
            "notes": "",
        }
    ]
    # Helpful cues come first next time.
    assert page.evaluate("JSON.parse(localStorage.getItem('spinewise.helpful'))") == {
        "glute-bridge": ["Let the ribs settle down first, then lift."]
    }

    page.get_by_role("link", name="History").click()
    entry = page.locator("li.session")
    expect(entry).to_contain_text("Glute bridge")
    expect(entry).to_contain_text("effort 4 (steady) · pain 2 (safe) · symptoms spread")
    page.reload()
    expect(page.locator("li.session")).to_contain_text("fatigue first: hips / glutes, set 1")


def test_nowhere_needs_no_when(page):
    ended_bridge(page)
    pick(page, "effort", "2")
    pick(page, "pain", "0")
    pick(page, "where", "nowhere")
    expect(page.locator("fieldset.when")).to_be_hidden()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    [record] = read_store(page, "sessions")
    assert (record["exercises"][0]["fatigue_region"], record["exercises"][0]["fatigue_onset"]) == (
        "nowhere",
        "did-not",
    )


def test_when_offers_the_sets_only_nowhere_is_the_answer_for_no_fatigue(page):
    """The server takes "did-not" exactly with "nowhere": "when" never contradicts "where"."""
    ended_bridge(page)
    pick(page, "where", "legs")
    options = page.locator("fieldset.when > .choices > .choice")
    expect(options).to_have_count(1)
    expect(options).to_have_attribute("data-value", "set-1")
    expect(page.locator("fieldset.where .choice[data-value='nowhere']")).to_contain_text(
        "did not tire"
    )
    pick(page, "when", "set-1")
    # Ended in the first lift: fatigue came in rep 1 or not at all, never in rep 8.
    expect(page.locator(".rep-row .choice")).to_have_count(1)


# --- pain above 5 -----------------------------------------------------------------------------


def test_pain_above_5_offers_at_once_to_switch_to_the_regression(page):
    ended_bridge(page, "marching-bridge", "Marching bridge")
    pick(page, "pain", "5")
    expect(page.locator(".pain-offer")).to_be_hidden()
    pick(page, "pain", "7")
    offer = page.locator(".pain-offer")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Pain above 5 out of 10")
    expect(offer.get_by_role("button", name="Stop the session")).to_be_visible()
    switch = offer.get_by_role("button", name="Switch to Glute bridge")
    expect(switch).to_be_visible()
    switch.click()

    # Straight into the rest before it: no 3-2-1 count-in into a rest.
    page.wait_for_selector(".pacer[data-status='running']")
    expect(page.locator(".breath-word")).to_have_text("Rest")
    expect(page.locator(".pacer-exercise")).to_have_text("Next: Glute bridge")
    page.clock.run_for(30_100)
    expect(page.locator(".pacer-exercise")).to_have_text("Glute bridge")
    current = read_store(page, "current", "session")
    assert [i["slug"] for i in current["prescription"]["items"]] == [
        "marching-bridge",
        "glute-bridge",
    ]
    assert current["answers"]["0-marching-bridge"]["pain"] == 7


def test_pain_above_5_can_stop_the_session(page):
    ended_bridge(page)
    pick(page, "pain", "8")
    page.get_by_role("button", name="Stop the session").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    expect(page.locator(".notice")).to_contain_text("Pain went above 5")
    [record] = read_store(page, "sessions")
    assert record["exercises"][0]["pain"] == 8


def test_it_hurts_during_an_exercise_asks_about_pain_first(page):
    cleared(page)
    open_paused(page, "/session?exercise=marching-bridge")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(3000)
    page.get_by_role("button", name="It hurts").click()
    expect(page.locator("fieldset.question").first).to_have_class(re.compile("pain"))
    pick(page, "pain", "6")
    expect(page.get_by_role("button", name="Switch to Glute bridge")).to_be_visible()


def test_a_breath_practice_ends_with_questions_that_fit_it(page):
    cleared(page)
    open_paused(page, "/session?practice=paced&rhythm=4-6&minutes=3")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(7000)
    page.get_by_role("button", name="End").click()
    page.clock.run_for(6000)
    expect(page.get_by_role("heading", name="How do you feel?")).to_be_visible()
    assert (
        page.locator("fieldset.effort, fieldset.where, fieldset.when, fieldset.spread").count() == 0
    )
    expect(page.locator("fieldset.pain legend")).to_contain_text("Any pain?")
    save = page.get_by_role("button", name="Save and finish")
    pick(page, "feeling", "calmer")
    expect(save).to_be_disabled()
    pick(page, "pain", "0")
    save.click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    expect(page.locator(".summary-list")).to_contain_text("calmer · pain 0 (safe)")
    [record] = read_store(page, "sessions")
    [practice] = record["exercises"]
    assert (practice["feeling"], practice["pain"]) == ("calmer", 0)
    assert (practice["effort"], practice["fatigue_region"], practice["fatigue_onset"]) == (
        None,
        None,
        None,
    )


# --- choosing a session -----------------------------------------------------------------------


def test_today_covers_the_patterns(page, catalogue):
    cleared(page)
    page.goto("/")
    today = page.locator(".today-list li")
    expect(today).to_have_count(5)
    page.get_by_role("link", name="Start today\u2019s session").click()
    expect(page.get_by_role("heading", name="Today\u2019s session", level=1)).to_be_visible()
    expect(page.locator(".plan-list li")).to_have_count(5)
    names = page.locator(".plan-list li strong").all_inner_texts()
    patterns = [next(e for e in catalogue.exercises if e.name == n).pattern.value for n in names]
    assert patterns[:2] == ["breath", "mobility"]
    assert patterns[2] in ("brace", "anti-rotation")
    assert patterns[3] in ("bridge", "hinge", "hip")
    assert patterns[4] in ("squat", "lunge")
    assert all(e.level <= 2 for e in catalogue.exercises if e.name in names)


def test_a_new_choice_does_not_silently_drop_a_session_in_progress(page):
    cleared(page)
    open_paused(page, "/session?exercise=glute-bridge")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(6000)
    page.goto("/")  # left without a word (the logo would ask first: test_browser_session_flow)
    expect(page.get_by_role("link", name="Continue session")).to_be_visible()
    page.goto("/session?exercise=cat-camel")
    expect(page.get_by_role("heading", name="A session is in progress")).to_be_visible()
    page.get_by_role("button", name="Continue it").click()
    expect(page.locator(".pacer-exercise")).to_have_text("Glute bridge")
    expect(page.locator(".pacer")).to_have_attribute("data-status", "paused")


def test_starting_another_session_offers_to_save_the_answers_already_given(page):
    cleared(page)
    open_paused(page, "/session?exercise=glute-bridge")
    page.get_by_role("button", name="Start", exact=True).click()
    to_first_movement(page)
    page.clock.run_for(3000)
    page.get_by_role("button", name="It hurts").click()
    pick(page, "pain", "7")
    page.goto("/session?exercise=cat-camel")
    expect(page.get_by_role("heading", name="A session is in progress")).to_be_visible()
    expect(page.locator(".held")).to_have_text(
        "It holds your answers about 1 exercise, including pain 7 out of 10."
    )
    expect(page.get_by_role("button", name="Discard it and start Cat-camel")).to_be_visible()
    page.get_by_role("button", name="Save what you did and start Cat-camel").click()
    expect(page.get_by_role("heading", name="Cat-camel", level=1)).to_be_visible()
    [record] = read_store(page, "sessions")
    [bridge] = record["exercises"]
    assert (bridge["slug"], bridge["pain"], bridge["effort"], bridge["skipped"]) == (
        "glute-bridge",
        7,
        None,
        True,
    )
    assert read_store(page, "current", "session")["title"] == "Cat-camel"


# --- the catalogue ----------------------------------------------------------------------------


def _doable(catalogue, have):
    return [e for e in catalogue.exercises if set(e.equipment) <= set(have)]


UNSAID = sorted(UNSAID_EQUIPMENT)  # what the app assumes until the person says


def test_catalogue_filters_by_pattern_and_quality(page, catalogue):
    page.goto("/exercises")
    cards = page.locator("li.exercise")
    expect(cards).to_have_count(len(_doable(catalogue, UNSAID)))
    page.get_by_label("Pattern").select_option("breath")
    breath = [e.slug for e in _doable(catalogue, UNSAID) if e.pattern.value == "breath"]
    expect(cards).to_have_count(len(breath))
    assert [c.get_attribute("data-slug") for c in cards.all()] == breath
    assert page.url.endswith("/exercises?pattern=breath")
    page.get_by_label("Pattern").select_option("")
    page.get_by_label("Quality").select_option("hip-stability")
    stable = [e.slug for e in _doable(catalogue, UNSAID) if "hip-stability" in e.qualities]
    expect(cards).to_have_count(len(stable))
    assert [c.get_attribute("data-slug") for c in cards.all()] == stable
    page.reload()
    expect(cards).to_have_count(len(stable))


def test_what_you_have_is_a_list_of_boxes_each_with_its_name_beside_it(sized):
    """Each box is box-sized with its name on the same line, and each line is a whole tap
    target (a box once took the screen's width, its name under it)."""
    sized.goto("/exercises")
    labels = sized.locator("fieldset.have label")
    expect(labels.first).to_be_visible()
    for label in labels.all():
        box = label.locator("input").bounding_box()
        line = label.bounding_box()
        assert box["width"] <= 32 and box["height"] <= 32, (sized.size, box)
        assert line["height"] >= 44, (sized.size, line)
        # The name sits to the right of the box, on its line.
        name = label.evaluate(
            "l => { const r = document.createRange(); r.selectNodeContents(l);"
            " const last = r.getClientRects(); return last[last.length - 1].left; }"
        )
        assert name > box["x"] + box["width"], (sized.size, name, box)


def test_what_you_have_filters_the_catalogue_and_is_remembered(page, catalogue):
    page.goto("/exercises")
    cards = page.locator("li.exercise")
    # Until the person says, a mat, a chair and a wall: what nearly every home has.
    for item in ("mat", "chair", "wall"):
        expect(page.get_by_label(item, exact=True)).to_be_checked()
    expect(cards).to_have_count(len(_doable(catalogue, UNSAID)))
    expect(page.locator("li.exercise[data-slug=glute-bridge] .needs")).to_have_text("Needs: mat.")
    expect(page.locator("li.exercise[data-slug=sit-to-stand] .needs")).to_have_text("Needs: chair.")
    expect(page.locator("li.exercise[data-slug=kettlebell-deadlift]")).to_have_count(0)
    page.get_by_label("chair", exact=True).uncheck()
    expect(page.locator("li.exercise[data-slug=sit-to-stand]")).to_have_count(0)
    page.get_by_label("chair", exact=True).check()
    page.get_by_label("kettlebell or dumbbell").check()
    expect(cards).to_have_count(len(_doable(catalogue, ["mat", "wall", "chair", "weight"])))
    assert page.evaluate("localStorage.getItem('spinewise.equipment')") == (
        '["mat","wall","chair","weight"]'
    )
    page.goto("/account")  # the same boxes, the same choice
    expect(page.get_by_label("kettlebell or dumbbell")).to_be_checked()
    page.get_by_label("mat", exact=True).uncheck()
    page.goto("/exercises")
    expect(cards).to_have_count(len(_doable(catalogue, ["wall", "chair", "weight"])))
    page.goto("/exercises/kettlebell-deadlift")
    expect(page.locator(".needs")).to_have_text("Needs: step or box, kettlebell or dumbbell.")


def test_an_exercise_page_shows_phases_cues_reasons_and_links(page, catalogue):
    sit = catalogue.by_slug["sit-to-stand"]
    page.goto("/exercises")
    page.get_by_role("link", name="Sit-to-stand from a box").click()
    expect(page.get_by_role("heading", name="Sit-to-stand from a box", level=1)).to_be_visible()
    phases = page.locator(".phases li")
    expect(phases).to_have_count(len(sit.phases))
    expect(phases.first).to_contain_text("Breathe out")
    expect(phases.first).to_contain_text(f"{sit.phases[0].seconds:g} s")
    for cue in sit.cues:
        where = ".setup-cues" if cue.phase == "setup" else ".phase-cues"
        expect(page.locator(where)).to_contain_text(cue.text)
    for text in (sit.purpose, sit.protects, sit.prepares_for, sit.cautions[0]):
        expect(page.locator("main")).to_contain_text(text)
    expect(
        page.get_by_role("link", name="Easier: Sit-to-stand from a higher seat")
    ).to_have_attribute("href", "/exercises/sit-to-stand-high-seat")
    expect(page.get_by_role("link", name="Harder: Sit-to-stand holding a weight")).to_be_visible()
    page.get_by_role("link", name="Start this exercise").click()
    expect(page).to_have_url(re.compile("/session\\?exercise=sit-to-stand$"))


def test_a_walk_breathes_freely_on_its_page(page):
    page.goto("/exercises/daily-walk")
    expect(page.locator(".phases li").first).to_contain_text("Breathe freely")


def test_the_list_says_once_that_bending_and_lifting_are_safe(page):
    page.goto("/exercises")
    expect(page.locator(".safe-to-bend")).to_have_count(1)
    expect(page.locator(".safe-to-bend")).to_contain_text("Bending and lifting are safe.")
    expect(page.locator(".safe-to-bend")).to_contain_text("capacity")


@pytest.mark.parametrize(
    ("slug", "sides"),
    [
        ("side-plank", "name the side you lie on"),
        ("clamshell", "name the side whose arm or leg does the work"),
    ],
)
def test_an_exercise_page_sets_up_first_and_says_what_left_means(page, catalogue, slug, sides):
    exercise = catalogue.by_slug[slug]
    page.goto(f"/exercises/{slug}")
    expect(page.get_by_role("heading", name="Getting into position", level=2)).to_be_visible()
    setup = [c.text for c in exercise.cues if c.phase == "setup"]
    during = [c.text for c in exercise.cues if c.phase != "setup"]
    expect(page.locator(".setup-cues li")).to_have_text(setup)
    expect(page.locator(".phase-cues li")).to_have_count(len(during))
    for text in setup:
        expect(page.locator(".phase-cues")).not_to_contain_text(text)
    expect(page.locator(".sides")).to_contain_text(sides)
    expect(page.locator(".why")).to_contain_text("Why it helps")
    page.goto("/exercises/glute-bridge")  # both sides at once: nothing to explain
    expect(page.locator(".sides")).to_have_count(0)


# --- every screen: no console errors or CSP violations, nothing wider than 360 px ---------


SCREENS = [
    "/",
    "/breathe",
    "/exercises",
    "/exercises/bird-dog",
    "/exercises/side-plank",
    "/history",
    "/checkin",
    "/account",
    "/account?forgot",
    "/reset#token=abc",
    "/safety",
    "/session?exercise=glute-bridge",
]


def test_no_console_errors_or_csp_violations_on_any_screen(page):
    problems = watch(page)
    cleared(page)
    for path in SCREENS:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("main h1").first).to_be_visible()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector(".pacer")
    page.get_by_role("button", name="It hurts").click()
    expect(page.get_by_role("heading", name="How was Glute bridge?")).to_be_visible()
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    problems = [p for p in problems if "404 (Not Found)" not in p]  # the 404 page's own status
    assert problems == []


def test_nothing_overflows_sideways_at_360_by_640(browser, live_server):
    context = browser.new_context(
        base_url=live_server, **{**PHONE, "viewport": {"width": 360, "height": 640}}
    )
    page = context.new_page()
    cleared(page)
    overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    small = """() => [...document.querySelectorAll('.button, .choice, .switch, .tabs a, select')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => [el.textContent.trim().slice(0, 20), el.getBoundingClientRect().height])
        .filter(([, height]) => height < 44)"""
    try:
        for path in SCREENS:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate(overflow) <= 0, path
            assert page.evaluate(small) == [], path
        page.get_by_role("button", name="Start", exact=True).click()
        page.wait_for_selector(".pacer")
        assert page.evaluate(overflow) <= 0
        assert page.evaluate(small) == []
        # The main controls are on the first screen, in reach of a thumb.
        box = page.get_by_role("button", name="Pause").bounding_box()
        assert box["y"] + box["height"] <= 640
        page.get_by_role("button", name="It hurts").click()
        page.wait_for_selector(".questions")
        assert page.evaluate(overflow) <= 0
        assert page.evaluate(small) == []
    finally:
        context.close()


def test_pick_an_exercise_run_all_its_sets_answer_and_find_it_after_a_reload(page, catalogue):
    """The issue's "done when", as a person would do it."""
    cat_camel = catalogue.by_slug["cat-camel"]
    reps = cat_camel.dose.reps * cat_camel.dose.sets
    cleared(page)
    open_paused(page, "/exercises")
    page.get_by_label("Pattern").select_option("mobility")
    page.get_by_role("link", name="Cat-camel").click()
    page.get_by_role("link", name="Start this exercise").click()
    page.get_by_role("button", name="Voice").click()  # a sound choice, remembered
    page.get_by_role("button", name="Start", exact=True).click()
    seconds = sum(p.seconds for p in cat_camel.phases) * reps
    page.clock.run_for(first_movement_ms(cat_camel) + int(seconds * 1000) + 100)
    expect(page.get_by_role("heading", name="How was Cat-camel?")).to_be_visible()
    pick(page, "effort", "3")
    pick(page, "pain", "1")
    pick(page, "where", "upper-back-neck")
    pick(page, "when", "set-1")
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()
    page.goto("/history")
    page.reload()
    entry = page.locator("li.session")
    expect(entry).to_contain_text("Cat-camel")
    sets = f"{cat_camel.dose.sets} set{'' if cat_camel.dose.sets == 1 else 's'}"
    expect(entry).to_contain_text(f"{sets}, {reps} reps")  # "1 set", never "1 sets"
    [record] = read_store(page, "sessions")
    exercise = record["exercises"][0]
    assert (exercise["sets_done"], exercise["reps_done"]) == (cat_camel.dose.sets, reps)
    assert (exercise["fatigue_region"], exercise["fatigue_onset"]) == (
        "upper-back-neck",
        {"set": 1, "rep": None},
    )


# --- what the record says ---------------------------------------------------------------------


def answer_and_continue(page) -> None:
    pick(page, "effort", "3")
    pick(page, "pain", "1")
    pick(page, "where", "nowhere")
    page.get_by_role("button", name="Save and continue").click()


def next_exercise(page) -> None:
    """Next, one of the rare controls behind "More"."""
    page.get_by_role("button", name="More").click()
    page.get_by_role("button", name="Next", exact=True).click()


def test_next_on_the_last_exercise_saves_what_was_really_done(page):
    """The reviewer's case: a few seconds of the fourth exercise, its questions, then Next as
    the last one starts. The fourth is saved as skipped with no set done, not as fully done;
    the last as skipped, not left out. Next skips a rest, but not the time to get into
    position; paused, Next moves on without beginning anything."""
    cleared(page)
    open_paused(page, "/session?today=1")
    page.get_by_role("button", name="Start", exact=True).click()
    next_exercise(page)  # the lead-in: to getting into position for the first exercise
    next_exercise(page)  # in position: the first exercise starts
    next_exercise(page)  # just begun: its questions
    answer_and_continue(page)  # on to getting into position for the second, no count-in
    expect(page.locator(".breath-word")).to_have_text("Get into position")
    page.get_by_role("button", name="Pause").click()
    next_exercise(page)  # paused: to the second's start, not begun
    next_exercise(page)  # not begun, no questions: to the third's position
    next_exercise(page)  # the third's start
    next_exercise(page)  # not begun: to the fourth's position
    next_exercise(page)  # the fourth's start
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(3000 + 3000)  # the count-in, then 3 s of the fourth exercise
    next_exercise(page)
    expect(page.locator(".questions .lede")).to_contain_text("0 of 2 sets done")
    answer_and_continue(page)
    page.get_by_role("button", name="Pause").click()
    next_exercise(page)  # the last exercise, as it starts
    next_exercise(page)  # not begun: the end
    expect(page.get_by_role("heading", name="Session saved")).to_be_visible()

    [record] = read_store(page, "sessions")
    assert [(e["sets_done"], e["skipped"]) for e in record["exercises"]] == [(0, True)] * 5
    assert [e["effort"] for e in record["exercises"]] == [3, None, None, 3, None]
    expect(page.locator(".summary-list .tag.skipped")).to_have_count(5)
    expect(page.locator(".summary-list li").nth(3)).to_contain_text("0 sets")
    page.get_by_role("link", name="History").click()
    expect(page.locator("li.session .tag.skipped")).to_have_count(5)
    expect(page.locator("li.session li").nth(0)).to_contain_text("effort 3 (easy)")
    expect(page.locator("li.session li").nth(1)).to_contain_text("not rated")
