"""The running pacer as a person on the floor sees it, at 390x844 and 360x640, with
Playwright's clock in control: a big count, the set just done during a rest, no 3-2-1 into a
rest, "It hurts" and "End" always on screen, the rare controls behind "More", time to get
into position with its set-up cue, and one short announcement per segment."""

import os
from pathlib import Path

import pytest
from browser_support import T0, first_movement_ms, pacer, timeline

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("PACER_SHOTS", "/tmp/shots-pacer"))
RARE = ["Previous", "Skip phase", "Next", "Tones", "Voice", "Vibration"]


def shot(page, name: str) -> None:
    """A screenshot to look at (kept out of the way of the assertions)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page.size}-{name}.png"))


def begin(page, url: str) -> None:
    page.clock.install(time=T0)
    page.goto(url)
    page.clock.pause_at(T0 + 10)
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector(".pacer[data-status='running']")


def in_view(page, name: str) -> bool:
    """The control is inside the viewport as the page stands, with no scrolling."""
    box = page.get_by_role("button", name=name, exact=True).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def pick(page, question: str, value: str) -> None:
    page.locator(f"fieldset.{question} .choice[data-value='{value}']").click()


def test_a_big_count_the_set_just_done_and_no_count_in_into_a_rest(sized, catalogue):
    page = sized
    bridge = catalogue.by_slug["glute-bridge"]
    segments = timeline(bridge)
    rest = next(s for s in segments if s.type == "rest")
    begin(page, "/session?exercise=glute-bridge")
    page.clock.run_for(first_movement_ms(bridge) + 2100)  # rep 1, the hold at the top
    state = pacer(page)
    assert (state["count"], state["rep"], state["word"]) == ("1", "rep 1 of 10", "Hold")
    size = page.locator(".count-big").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 44, "read at arm's length"
    assert page.locator(".breath-word").is_visible() and page.locator(".count-big").is_visible()
    assert in_view(page, "It hurts") and in_view(page, "End")
    assert page.evaluate("document.querySelector('.scroller').scrollTop") == 0
    shot(page, "phase")
    page.emulate_media(color_scheme="dark")
    shot(page, "phase-dark")
    page.emulate_media(color_scheme="light")

    page.clock.run_for(rest.start + 2000 - page.evaluate("Date.now()") + (T0 + 10) * 1000)
    state = pacer(page)
    assert (state["word"], state["set"]) == ("Rest", "Set 1 of 2 done")
    assert state["count"] == f"{(rest.end - rest.start) // 1000 - 2} s"
    assert "next: set 2 of 2" in state["movement"]
    assert in_view(page, "It hurts") and in_view(page, "End")
    shot(page, "rest")

    # "It hurts" in the rest: questions, then straight back into the rest, no 3-2-1.
    page.get_by_role("button", name="It hurts").click()
    pick(page, "pain", "2")
    pick(page, "effort", "3")
    pick(page, "where", "nowhere")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector(".pacer")
    state = pacer(page)
    assert (state["status"], state["overlay"], state["word"]) == ("running", "", "Rest")
    # Pause and resume in a rest: no count-in either; in a movement there is one.
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Resume").click()
    assert pacer(page)["status"] == "running"
    page.clock.run_for(rest.end - rest.start - 2000 + 500)
    assert pacer(page)["word"] == "Breathe out"
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(20)
    assert (pacer(page)["status"], pacer(page)["overlay"]) == ("counting-in", "3")


def test_it_hurts_and_end_always_on_screen_the_rest_behind_more(sized):
    page = sized
    begin(page, "/session?exercise=side-plank")  # per side, with the longest names and words
    controls = page.locator(".running .controls")
    for name in RARE:
        assert not page.get_by_role("button", name=name, exact=True).is_visible()
    visible = controls.locator("button:visible")
    assert visible.all_inner_texts() == ["It hurts", "Pause", "End", "More"]
    for _ in range(6):  # through the lead-in, getting into position, and the first movements
        assert in_view(page, "It hurts") and in_view(page, "End") and in_view(page, "More")
        assert page.evaluate(
            "(s => s.scrollHeight <= s.clientHeight)(document.querySelector('.scroller'))"
        ), "nothing to scroll to"
        page.clock.run_for(4000)

    more = page.get_by_role("button", name="More")
    assert more.get_attribute("aria-expanded") == "false"
    more.click()
    assert more.get_attribute("aria-expanded") == "true"
    for name in RARE:
        assert in_view(page, name), name
    assert in_view(page, "It hurts") and in_view(page, "End")
    shot(page, "more")
    page.keyboard.press("Escape")
    assert more.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("button", name="Previous").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "More"


def test_reduced_motion_keeps_in_and_out(sized, catalogue):
    page = sized
    page.emulate_media(reduced_motion="reduce")
    begin(page, "/session?exercise=glute-bridge")
    page.clock.run_for(first_movement_ms(catalogue.by_slug["glute-bridge"]) + 1000)
    assert pacer(page)["word"] == "Breathe out"
    assert page.locator(".bar").is_visible() and page.locator(".count-big").is_visible()
    assert in_view(page, "It hurts") and in_view(page, "End")
    shot(page, "reduced-motion")


PUT_SESSION = """async (prescription) => {
  const store = await import('/static/js/store.js');
  const now = new Date().toISOString();
  await store.putCurrent({
    id: crypto.randomUUID(), kind: 'today', title: prescription.title, source: '', created_at: now,
    started_at: null, prescription, stage: 'ready', position: 0, reached: {}, skips: {},
    skipped: [], answers: {}, asked: [], asking: null, endAt: null, updated_at: now,
  });
}"""

SETUP_CUE = "Lie on your back, knees bent, feet flat and hip-width apart."


def two_exercises(catalogue) -> dict:
    """A standing exercise, then one on the floor carrying a set-up cue (a `setup` cue)."""

    def item(slug: str, key: str, extra_cues=()) -> dict:
        e = catalogue.by_slug[slug].model_dump(mode="json")
        return {
            "key": key,
            "slug": slug,
            "name": e["name"],
            "kind": e["kind"],
            "per_side": e["per_side"],
            "position": e["position"],
            "phases": e["phases"],
            "sets": 1,
            "reps": 1,
            "rest_seconds": 0,
            "cues": [*extra_cues, *e["cues"]],
            "regression": None,
        }

    return {
        "kind": "today",
        "title": "Two exercises",
        "restBetweenExercises": 10,
        "items": [
            item("dowel-hinge", "0-dowel-hinge"),
            item("glute-bridge", "1-glute-bridge", [{"text": SETUP_CUE, "phase": "setup"}]),
        ],
    }


def test_time_to_get_down_to_the_floor_with_the_set_up_cue_and_one_announcement_each(
    sized, catalogue
):
    page = sized
    prescription = two_exercises(catalogue)
    page.clock.install(time=T0)
    page.goto("/")
    page.evaluate(PUT_SESSION, prescription)
    page.goto("/session")
    page.clock.pause_at(T0 + 10)
    page.evaluate(
        """() => {
          window.__said = [];
          const region = document.querySelector('main');
          new MutationObserver(() => {
            const live = document.querySelector('.announce');
            if (live && live.textContent !== window.__last) {
              window.__last = live.textContent;
              window.__said.push(live.textContent);
            }
          }).observe(region, { subtree: true, childList: true, characterData: true });
        }"""
    )
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector(".pacer[data-status='running']")
    assert page.locator("main [aria-live]").count() == 1, "one live region in the pacer"

    hinge = catalogue.by_slug["dowel-hinge"]
    first_item = 5 + sum(p.seconds for p in hinge.phases)  # lead-in (already standing), one rep
    ms = int(first_item * 1000)
    page.clock.run_for(ms + 100)  # the end of the first: its questions
    pick(page, "effort", "2")
    pick(page, "pain", "0")
    pick(page, "where", "nowhere")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_selector(".pacer")
    assert (pacer(page)["word"], pacer(page)["overlay"]) == ("Rest", "")
    page.clock.run_for(10_000 + 100)
    state = pacer(page)
    bridge = catalogue.by_slug["glute-bridge"]
    setup = [SETUP_CUE] + [c.text for c in bridge.cues if c.phase == "setup"]
    assert (state["word"], state["movement"], state["cue"]) == (
        "Get into position",
        "Lie on your back",
        " ".join(setup),  # the set-up cues, together
    )
    assert state["count"] == "12 s"
    shot(page, "position")
    page.clock.run_for(12_000)
    assert pacer(page)["word"] == "Breathe out"
    assert SETUP_CUE not in pacer(page)["cue"]

    said = page.evaluate("window.__said")
    # the lead-in, the hinge's phases, then (after the questions) the rest, the position,
    # and the bridge's first phase: one announcement each, none repeated.
    assert len(said) == 1 + len(hinge.phases) + 3, said
    assert said[-2] == "Get into position: Lie on your back."
    assert said[-3].startswith("Rest 10 seconds. Next: Glute bridge")
    assert all(len(text) <= 100 for text in said), said


def test_free_breathing_shows_no_shape_only_words_and_minutes_left(sized):
    """A walk breathes freely: no in/out shape or bar, just the words and the time left."""
    page = sized
    walk = {
        "key": "0-walking",
        "slug": "walking",
        "name": "Walking",
        "kind": "hold",
        "per_side": False,
        "position": "standing",
        "phases": [
            {"name": "walk", "movement": "walk at an easy pace", "breath": "free", "seconds": 600}
        ],
        "sets": 1,
        "reps": 1,
        "rest_seconds": 0,
        "cues": [
            {"text": "You can talk but not sing.", "phase": "walk"},
            {"text": "Let the arms swing.", "phase": "walk"},
        ],
        "regression": None,
    }
    page.clock.install(time=T0)
    page.goto("/")
    page.evaluate(PUT_SESSION, {"kind": "today", "title": "A walk", "items": [walk]})
    page.goto("/session")
    page.clock.pause_at(T0 + 10)
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(5000 + 61_500)
    state = pacer(page)
    assert (state["word"], state["count"], state["breath"]) == ("Easy breathing", "8:59", "free")
    assert state["movement"] == "walk at an easy pace — never hold your breath"
    assert state["cue"] == "You can talk but not sing."  # 15 s each, in turn: the fifth turn
    assert not page.locator(".orb").is_visible()
    assert not page.locator(".bar").is_visible()
    shot(page, "free-breathing")
