"""The pacer in headless Chromium at a phone viewport, with Playwright's clock in control:
the words change exactly when the timeline says, across sets and rests, and a reload
mid-session comes back to the same phase."""

import re

import pytest
from browser_support import cleared, first_movement_ms, open_paused, pacer, read_store, timeline

pytestmark = pytest.mark.browser

EDGE_MS = 20  # checked this long either side of every boundary: just over one 16 ms frame


def start(page, url: str) -> None:
    cleared(page)
    open_paused(page, url)
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector(".pacer[data-status='running']")


class Clock:
    """Moves the fake clock to times measured from the Start tap."""

    def __init__(self, page):
        self.page = page
        self.now = 0

    def to(self, ms: int) -> None:
        assert ms >= self.now
        self.page.clock.run_for(ms - self.now)
        self.now = ms


def test_words_change_exactly_at_every_boundary_across_sets_and_rests(page, catalogue):
    bridge = catalogue.by_slug["glute-bridge"]
    segments = timeline(bridge)
    assert [s.type for s in segments].count("rest") == 1
    start(page, "/session?exercise=glute-bridge")
    clock = Clock(page)
    assert pacer(page)["word"] == "Get ready"

    for i in range(1, len(segments)):
        boundary = segments[i].start
        clock.to(boundary - EDGE_MS)
        before = pacer(page)
        assert before["segment"] == i - 1, f"{EDGE_MS} ms before boundary {i} at {boundary} ms"
        clock.to(boundary + EDGE_MS)
        shown = pacer(page)
        expected = segments[i]
        assert shown["segment"] == i, f"{EDGE_MS} ms after boundary {i} at {boundary} ms"
        assert shown["word"] == expected.word
        if expected.type == "rest":  # the set just done, not the next
            assert shown["set"] == f"Set {expected.set - 1} of 2 done"
        elif expected.type == "position":
            assert shown["set"] == ""
        else:
            assert shown["set"] == f"Set {expected.set} of 2"
        if expected.type == "phase":
            assert shown["rep"] == f"rep {expected.rep} of 10"
            assert shown["count"] == str(expected.rep)
            phase = bridge.phases[[p.name for p in bridge.phases].index(expected.phase)]
            assert shown["movement"] == phase.movement  # the breath is said once, above it
        else:
            assert shown["rep"] == ""
            assert shown["count"] == f"{(expected.end - expected.start) // 1000} s"

    clock.to(segments[-1].end + EDGE_MS)
    page.wait_for_selector("h1:has-text('How was Glute bridge?')")


def test_a_hold_breathes_in_and_out_and_sides_switch(page, catalogue):
    bird = catalogue.by_slug["bird-dog"]  # per side, reach / hold (breathe 10 s) / return
    segments = timeline(bird)
    start(page, "/session?exercise=bird-dog")
    clock = Clock(page)
    hold = next(s for s in segments if s.phase == "hold")
    expected = [
        (0, "Breathe in"),
        (2000, "Breathe out"),
        (5000, "Breathe in"),
        (7000, "Breathe out"),
    ]
    for offset, word in expected:
        clock.to(hold.start + offset - EDGE_MS)
        assert pacer(page)["word"] != word or offset == 0
        clock.to(hold.start + offset + EDGE_MS)
        assert pacer(page)["word"] == word, f"{offset} ms into the hold"
        assert pacer(page)["breath"] == ("inhale" if word == "Breathe in" else "exhale")

    switch = next(s for s in segments if s.type == "switch-sides")
    clock.to(switch.start + EDGE_MS)
    state = pacer(page)
    assert (state["word"], state["movement"]) == ("Switch sides", "Right side working")
    clock.to(switch.end + EDGE_MS)
    state = pacer(page)
    assert state["exercise"] == "Bird dog · right side working"
    assert state["word"] == "Breathe out"


def test_reduced_motion_shows_in_and_out_on_a_bar_instead_of_the_shape(page, catalogue):
    """Without the moving shape the bar still tells in from out: it empties on the out-breath
    and fills on the in-breath, rather than filling the same way for every phase."""
    page.emulate_media(reduced_motion="reduce")
    start(page, "/session?exercise=glute-bridge")
    assert page.locator(".bar").is_visible()
    assert not page.locator(".orb").is_visible()

    def fill() -> float:
        transform = page.locator(".bar-fill").evaluate("el => el.style.transform")
        return float(transform.removeprefix("scaleX(")[:-1])

    page.clock.run_for(first_movement_ms(catalogue.by_slug["glute-bridge"]) + 100)
    assert pacer(page)["word"] == "Breathe out"
    out = [fill()]
    for _ in range(3):
        page.clock.run_for(600)
        out.append(fill())
    assert out == sorted(out, reverse=True) and out[0] > 0.95 and out[-1] < 0.1
    page.clock.run_for(2200)  # the 2 s hold, then into the lower (an in-breath)
    assert pacer(page)["word"] == "Breathe in"
    into = [fill()]
    for _ in range(4):
        page.clock.run_for(600)
        into.append(fill())
    assert into == sorted(into) and into[-1] > 0.9
    assert page.locator(".orb").evaluate("el => el.style.transform") == ""
    assert page.locator(".count-big").is_visible()


def test_the_shape_grows_on_inhale_and_shrinks_on_exhale(page, catalogue):
    start(page, "/session?exercise=glute-bridge")
    first = first_movement_ms(catalogue.by_slug["glute-bridge"])

    def scale() -> float:
        transform = page.locator(".orb").evaluate("el => el.style.transform")
        return float(transform.removeprefix("scale(")[:-1])

    page.clock.run_for(first + 100)  # the lift: an exhale from full lungs
    exhale = [scale()]
    for _ in range(3):
        page.clock.run_for(600)
        exhale.append(scale())
    assert exhale == sorted(exhale, reverse=True) and exhale[0] > 0.95
    page.clock.run_for(4000 - 1900)  # into the lower (inhale) phase
    inhale = [scale()]
    for _ in range(4):
        page.clock.run_for(600)
        inhale.append(scale())
    assert inhale == sorted(inhale) and inhale[-1] > 0.9


def test_pause_holds_the_phase_and_resume_counts_in(page, catalogue):
    start(page, "/session?exercise=glute-bridge")
    page.clock.run_for(first_movement_ms(catalogue.by_slug["glute-bridge"]) + 1000)
    page.get_by_role("button", name="Pause").click()
    held = pacer(page)
    lift = held["segment"]
    assert (held["status"], held["overlay"], held["word"]) == ("paused", "Paused", "Breathe out")
    page.clock.run_for(60_000)
    assert pacer(page)["segment"] == lift
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(EDGE_MS)
    for count in ("3", "2", "1"):
        assert pacer(page)["overlay"] == count
        assert pacer(page)["segment"] == lift
        page.clock.run_for(1000)
    assert pacer(page)["status"] == "running"
    page.clock.run_for(1000 - 2 * EDGE_MS)  # the lift had 1 s left when paused
    assert pacer(page)["segment"] == lift
    page.clock.run_for(2 * EDGE_MS)
    assert pacer(page)["word"] == "Hold"


def more(page, name: str) -> None:
    """Tap one of the rare controls, behind "More"."""
    page.get_by_role("button", name="More").click()
    page.get_by_role("button", name=name, exact=True).click()


def test_skip_previous_and_next(page, catalogue):
    start(page, "/session?exercise=glute-bridge")
    page.clock.run_for(first_movement_ms(catalogue.by_slug["glute-bridge"]) + 500)
    lift = pacer(page)["segment"]
    more(page, "Skip phase")
    page.clock.run_for(20)
    assert pacer(page)["word"] == "Hold"
    more(page, "Previous")
    page.clock.run_for(20)
    assert pacer(page)["segment"] == lift
    more(page, "Next")  # the last exercise: its questions
    page.wait_for_selector("h1:has-text('How was Glute bridge?')")


def test_end_finishes_the_phase_in_hand(page, catalogue):
    first = first_movement_ms(catalogue.by_slug["glute-bridge"])
    start(page, "/session?exercise=glute-bridge")
    page.clock.run_for(first + 500)
    lift = pacer(page)["segment"]
    page.get_by_role("button", name="End").click()
    assert page.locator(".end-note").text_content() == "Ending at the end of this phase…"
    page.clock.run_for(1400)  # the lift ends 2 s into it
    assert pacer(page)["segment"] == lift
    page.clock.run_for(200)
    page.wait_for_selector("h1:has-text('How was Glute bridge?')")
    current = read_store(page, "current", "session")
    assert current["position"] == first / 1000 + 2
    assert current["reached"] == {"0-glute-bridge": first / 1000 + 2}


def test_end_during_a_rest_ends_now_where_the_set_ended(page, catalogue):
    rest = next(s for s in timeline(catalogue.by_slug["glute-bridge"]) if s.type == "rest")
    start(page, "/session?exercise=glute-bridge")
    page.clock.run_for(rest.start + 2000)
    assert pacer(page)["word"] == "Rest"
    page.get_by_role("button", name="End").click()  # no waiting out the rest: the clock stands
    page.wait_for_selector("h1:has-text('How was Glute bridge?')", timeout=3000)
    assert page.locator(".questions .lede").text_content().startswith("1 of 2 sets done")
    assert read_store(page, "current", "session")["position"] == rest.start / 1000


def test_a_reload_mid_session_resumes_in_the_same_phase(page, catalogue):
    segments = timeline(catalogue.by_slug["glute-bridge"])
    lift = next(i for i, s in enumerate(segments) if s.rep == 3 and s.phase == "lift")
    begin, finish = segments[lift].start / 1000, segments[lift].end / 1000
    start(page, "/session?exercise=glute-bridge")
    page.clock.run_for(segments[lift].start + 1000)  # rep 3, 1 s into the lift
    before = pacer(page)
    assert (before["segment"], before["rep"], before["word"]) == (
        lift,
        "rep 3 of 10",
        "Breathe out",
    )
    saved = lambda: read_store(page, "current", "session")["position"]  # noqa: E731
    for _ in range(50):  # the save at the segment's start lands within a few ms of real time
        if saved() >= begin:
            break
        page.wait_for_timeout(20)
    page.reload()
    page.wait_for_selector(".pacer[data-status='paused']")
    after = pacer(page)
    assert {k: after[k] for k in ("segment", "rep", "set", "word", "movement")} == {
        k: before[k] for k in ("segment", "rep", "set", "word", "movement")
    }
    position = read_store(page, "current", "session")["position"]
    assert begin <= position < finish
    page.get_by_role("button", name="Resume").click()
    page.clock.run_for(EDGE_MS)
    assert pacer(page)["overlay"] == "3"
    page.clock.run_for(3000)
    assert pacer(page)["status"] == "running"
    left_ms = round((finish - position) * 1000) - EDGE_MS
    page.clock.run_for(left_ms - EDGE_MS)
    assert pacer(page)["segment"] == lift
    page.clock.run_for(2 * EDGE_MS)
    assert pacer(page)["segment"] == lift + 1


def test_vibration_tells_inhale_from_exhale_and_wake_lock_is_taken_again(page, catalogue):
    page.add_init_script(
        """
        window.__buzz = [];
        window.__locks = 0;
        navigator.vibrate = (pattern) => { window.__buzz.push(pattern); return true; };
        const target = () => {
          const t = new EventTarget();
          t.release = async () => t.dispatchEvent(new Event('release'));
          return t;
        };
        Object.defineProperty(navigator, 'wakeLock', { value: {
          request: async () => {
            window.__locks += 1;
            window.__lock = target();
            return window.__lock;
          },
        } });
        """
    )
    start(page, "/session?exercise=glute-bridge")
    page.clock.run_for(first_movement_ms(catalogue.by_slug["glute-bridge"]) + 7000 + 100)
    # get into position (the switch-sides pattern), then out, hold, in, out
    switch = [80, 120, 80, 120, 80]
    assert page.evaluate("window.__buzz") == [switch, [250], [30, 80, 30], [60], [250]]
    assert page.evaluate("window.__locks") == 1
    # The system drops the lock while the page is hidden; back on the page it is taken again.
    page.evaluate("window.__lock.release()")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_function("() => window.__locks === 2")


def test_cue_switches_are_remembered(page):
    start(page, "/session?exercise=glute-bridge")
    page.get_by_role("button", name="More").click()
    voice = page.locator(".running .switch[data-cue='voice']")
    assert voice.get_attribute("aria-pressed") == "false"
    voice.click()
    page.reload()
    page.wait_for_selector(".pacer")
    assert page.locator(".switch[data-cue='voice']").get_attribute("aria-pressed") == "true"
    assert page.evaluate("JSON.parse(localStorage.getItem('spinewise.cues')).voice") is True


def test_paced_breathing_follows_the_chosen_rhythm(page):
    cleared(page)
    open_paused(page, "/breathe")
    page.get_by_role("radio", name=re.compile("^In 5, out 5")).click()
    page.get_by_role("radio", name="3 min").click()
    page.get_by_role("link", name="Start paced breathing").click()
    page.wait_for_selector("h1:has-text('Paced breathing')")
    assert "1 \u00d7 18 breaths" in page.locator(".plan-list").text_content()
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(5000 + EDGE_MS)
    assert pacer(page)["word"] == "Breathe in"
    page.clock.run_for(5000)
    assert pacer(page)["word"] == "Breathe out"
    page.clock.run_for(5000)
    assert (pacer(page)["word"], pacer(page)["rep"]) == ("Breathe in", "breath 2 of 18")
