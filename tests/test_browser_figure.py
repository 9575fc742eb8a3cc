"""The figure as a person sees it, with Playwright's clock in control: in the pacer it ends each
phase in that phase's pose (as body.js places it), draws the same phase of every rep alike,
mirrors the right side, stays still in a hold while the ribs and belly breathe; every exercise
page shows its figure; Today and the list show a still; reduced motion shows still frames with
their names. At 390x844 and 360x640."""

import os
from pathlib import Path

import pytest
from browser_support import T0, cleared, open_paused, timeline, watch
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("FIGURE_SHOTS", "/tmp/shots-figure"))
NEAR = 0.6  # body units (a body is 100 tall): what the half-frame lead can move a bone

# Each bone of the figure as drawn: the unit line's transform, read back as its two ends in the
# figure's own units (y up, as posed), and the scene's mirroring.
DRAWN = """(sel) => {
  const svg = document.querySelector(sel);
  if (!svg) return null;
  const bones = {};
  for (const el of svg.querySelectorAll('.fig-bone')) {
    const m = el.transform.baseVal.consolidate().matrix;
    bones[el.dataset.bone] = [m.e, m.f, m.e + m.a, m.f + m.b];
  }
  const belly = svg.querySelector('.belly').transform.baseVal.consolidate().matrix;
  const scene = svg.querySelector('.fig-scene').transform.baseVal.consolidate().matrix;
  const label = svg.getAttribute('aria-label');
  return { bones, belly: Math.hypot(belly.c, belly.d), flip: scene.a, label };
}"""

# What body.js says the figure is at the end of each phase (and at the start pose).
EXPECTED = """async (slug) => {
  const body = await import('/static/js/body.js');
  const e = await (await fetch(`/api/exercises/${slug}`)).json();
  const ready = body.prepare(e.figure, e.phases);
  const ends = (pose) => Object.fromEntries(body.drawing(body.posed(pose), ready.view).bones
    .map((b) => [b.name, [b.from[0], b.from[1], b.to[0], b.to[1]]]));
  return { ends: ready.ends.map(ends), start: ends(ready.start) };
}"""


def drawn(page, sel: str = ".pacer svg.figure") -> dict:
    return page.evaluate(DRAWN, sel)


def assert_same(actual: dict, expected: dict, what: str, tolerance: float = NEAR) -> None:
    assert set(actual) == set(expected), what
    for name, ends in expected.items():
        worst = max(abs(a - b) for a, b in zip(actual[name], ends, strict=True))
        assert worst <= tolerance, f"{what}: {name} is {actual[name]}, body.js says {ends}"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{page.size}-{name}.png"))


def begin(page, slug: str) -> None:
    open_paused(page, f"/session?exercise={slug}")
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_selector(".pacer[data-status='running'] svg.figure")


def run_to(page, ms: int) -> None:
    """Move the fake clock to `ms` after Start (Start was pressed at T0 + 10 s)."""
    now = page.evaluate("Date.now()") - (T0 + 10) * 1000
    assert ms >= now
    page.clock.run_for(ms - now)


def in_view(page, name: str) -> bool:
    box = page.get_by_role("button", name=name, exact=True).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("slug", ["glute-bridge", "bird-dog", "sit-to-stand"])
def test_each_phase_ends_in_its_pose_and_every_rep_draws_alike(page, catalogue, slug):
    problems = watch(page)
    cleared(page)
    exercise = catalogue.by_slug[slug]
    phases = [s for s in timeline(exercise) if s.type == "phase"]
    per_rep = len(exercise.phases)
    begin(page, slug)
    expected = page.evaluate(EXPECTED, slug)
    position = next(s for s in timeline(exercise) if s.type != "phase" and s.start > 0)
    run_to(page, position.start + 1000)
    assert_same(drawn(page)["bones"], expected["start"], "getting into position: the start pose")

    halfway = []
    for segment in phases[: 2 * per_rep]:  # two reps
        run_to(page, (segment.start + segment.end) // 2)
        halfway.append(drawn(page)["bones"])
        run_to(page, segment.end - 10)  # the phase's last frames
        index = exercise.phases.index(next(p for p in exercise.phases if p.name == segment.phase))
        assert_same(drawn(page)["bones"], expected["ends"][index], f"end of {segment.phase}")
    for i in range(per_rep):
        # the frames fall a few ms apart in the two reps: a fraction of a pixel
        assert_same(halfway[per_rep + i], halfway[i], "the same phase of the next rep", 0.3)
    assert not problems


def test_the_right_side_is_the_mirror_of_the_left_and_a_hold_breathes_still(sized, catalogue):
    page = sized
    exercise = catalogue.by_slug["bird-dog"]
    segments = timeline(exercise)
    holds = [s for s in segments if s.phase == "hold"]
    left, right = holds[0], next(s for s in holds if s.side == "right")
    begin(page, "bird-dog")

    # A hold: the body does not move while the ribs and belly rise and fall.
    samples = []
    for ms in range(left.start + 200, left.end - 200, 700):
        run_to(page, ms)
        samples.append(drawn(page))
    for sample in samples[1:]:
        assert_same(sample["bones"], samples[0]["bones"], "the body in a hold", 1e-6)
    bellies = [s["belly"] for s in samples]
    assert max(bellies) - min(bellies) > 1.2, f"the ribs and belly breathe: {bellies}"
    assert samples[0]["flip"] == 1
    label = samples[0]["label"]
    assert label.startswith("Bird dog, left side working: ") and "hold" in label
    shot(page, "bird-dog-hold")
    into = page.evaluate("Date.now()") - (T0 + 10) * 1000 - left.start
    screen_left = page.evaluate(SCREEN_ENDS)

    # The same moment on the right side: the mirror image about the figure's middle.
    run_to(page, right.start + into)
    mirrored = drawn(page)
    assert mirrored["flip"] == -1
    assert_same(mirrored["bones"], samples[0]["bones"], "the pose itself", 1e-6)
    screen_right = page.evaluate(SCREEN_ENDS)
    middle = page.locator(".pacer svg.figure").evaluate(
        "svg => { const r = svg.getBoundingClientRect(); return r.left + r.width / 2; }"
    )
    for name, (x1, y1, x2, y2) in screen_left.items():
        rx1, ry1, rx2, ry2 = screen_right[name]
        assert abs(rx1 - (2 * middle - x1)) < 1 and abs(ry1 - y1) < 1, name
        assert abs(rx2 - (2 * middle - x2)) < 1 and abs(ry2 - y2) < 1, name
    assert "right side working" in mirrored["label"]
    shot(page, "bird-dog-right-hold")


# Each bone's two ends on the screen (CSS pixels).
SCREEN_ENDS = """() => {
  const out = {};
  const svg = document.querySelector('.pacer svg.figure');
  for (const el of svg.querySelectorAll('.fig-bone')) {
    const m = el.getScreenCTM();
    const p = (x) => new DOMPoint(x, 0).matrixTransform(m);
    const [a, b] = [p(0), p(1)];
    out[el.dataset.bone] = [a.x, a.y, b.x, b.y];
  }
  return out;
}"""


@pytest.mark.parametrize(
    "slug,moments",
    [
        ("glute-bridge", {"exhale": 0.5, "hold": 2.5, "inhale": 4.5}),
        ("bird-dog", {"exhale": 1.5, "hold": 5.0, "inhale": 14.5}),
        ("sit-to-stand", {"exhale": 1.0, "inhale": 3.5}),
    ],
)
def test_the_figure_is_large_and_the_controls_stay_on_screen(sized, catalogue, slug, moments):
    """Screenshots of inhale, exhale and hold (sit-to-stand has no hold: its rest instead)."""
    page = sized
    exercise = catalogue.by_slug[slug]
    segments = timeline(exercise)
    first = next(s for s in segments if s.type == "phase")
    begin(page, slug)
    for name, seconds in moments.items():
        run_to(page, first.start + int(seconds * 1000))
        figure = page.locator(".pacer svg.figure").bounding_box()
        assert figure["height"] >= 150 and figure["width"] >= 300, figure
        orb = page.locator(".orb").bounding_box()
        assert orb["width"] >= 100, "the breath shape is still plain to see"
        assert page.locator(".count-big").is_visible() and page.locator(".breath-word").is_visible()
        for control in ("It hurts", "Pause", "End"):
            assert in_view(page, control), control
        # Nothing to scroll to: the content's box (above the tab bar) holds it all.
        assert page.evaluate(
            "(s => s.scrollHeight <= s.clientHeight)(document.querySelector('.scroller'))"
        )
        shot(page, f"{slug}-{name}")
    if "hold" not in moments:
        rest = next(s for s in segments if s.type == "rest")
        run_to(page, rest.start + 3000)
        assert_same(drawn(page)["bones"], page.evaluate(EXPECTED, slug)["start"], "a rest")
        shot(page, f"{slug}-rest")
    page.emulate_media(color_scheme="dark")
    shot(page, f"{slug}-dark")


def test_every_exercise_page_shows_its_figure_playing_one_rep(page, catalogue):
    problems = watch(page)
    drawn_ones = [e for e in catalogue.exercises if e.figure is not None]
    assert len(drawn_ones) >= 3
    page.clock.install(time=T0)
    for exercise in catalogue.exercises:
        page.goto(f"/exercises/{exercise.slug}")
        page.wait_for_selector(".exercise-page h1")
        figure = page.locator(".exercise-figure svg.figure[role='img']")
        expect(figure).to_have_count(1)  # drawn in the frame after the words
        assert figure.get_attribute("aria-label").startswith(f"{exercise.name}, one repetition")
        names = page.locator(".figure-phases li")
        assert names.all_inner_texts() == [p.name for p in exercise.phases]
        # It moves through the rep, the phase it is in marked under it.
        marked = page.locator(".figure-phases li[aria-current='step']")
        assert marked.inner_text() == exercise.phases[0].name
        rep_ms = round(sum(p.seconds for p in exercise.phases) * 1000)
        seen = []
        for _ in range(6):
            page.clock.run_for(rep_ms // 6)
            now = drawn(page, ".exercise-figure svg.figure")
            seen.append((now["bones"], now["belly"]))
        assert any(b != seen[0] for b in seen), f"{exercise.slug}: the figure moves or breathes"
        assert page.locator(".figure-phases li[aria-current='step']").count() == 1
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/exercises/bird-dog")
    page.clock.run_for(1500)
    page.locator(".exercise-figure").scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "390x844-exercise-page.png"))
    assert not problems


ROOM = """() => [...document.querySelectorAll('.exercise-page > *')].map((el) => {
  const { y, height } = el.getBoundingClientRect();
  return [el.tagName, el.className, Math.round(y), Math.round(height)];
})"""


@pytest.mark.parametrize("reduced", [False, True])
def test_the_exercise_pages_figure_has_its_room_before_it_is_drawn(sized, reduced):
    """The words are drawn first and the figure in the frame after (bench/offline_start.py);
    its box is there from the start, so nothing on the page moves when it appears."""
    page = sized
    if reduced:
        page.emulate_media(reduced_motion="reduce")
    page.clock.install(time=T0)
    page.clock.pause_at(T0 + 1)  # no frame is drawn until the clock runs
    page.goto("/exercises/bird-dog")
    page.wait_for_selector(".exercise-page h1")
    assert page.locator(".exercise-figure svg").count() == 0
    before = page.evaluate(ROOM)
    page.clock.run_for(100)
    expect(page.locator(".exercise-figure svg.figure").first).to_be_visible()
    assert page.locator(".exercise-figure div.figure").count() == 0, "every box has its drawing"
    assert page.evaluate(ROOM) == before


def test_today_and_the_list_show_a_still_beside_each_exercise(sized):
    page = sized
    page.goto("/")
    page.wait_for_selector(".today-list .plan-item")
    page.wait_for_selector(".today-list svg.still")
    for item in page.locator(".today-list .plan-item").all():
        # Every exercise has its figure (waited for: Today may draw its list again, its stills
        # following it, as the plan arrives).
        expect(item.locator("svg.still")).to_have_count(1)
        assert item.locator("svg.still").get_attribute("aria-hidden") == "true"
    shot(page, "today")
    page.goto("/exercises")
    page.wait_for_selector(".card.exercise")
    # The stills follow the list, each as its card comes within a screen of the view: the
    # first cards have theirs before they are scrolled to, the last none until it comes near.
    first = page.locator(".card.exercise").first
    expect(first.locator("svg.still")).to_have_count(1)
    assert first.locator("svg.still").get_attribute("aria-hidden") == "true"
    last = page.locator(".card.exercise").last
    assert last.locator("svg.still").count() == 0
    for card in page.locator(".card.exercise").all():
        card.scroll_into_view_if_needed()
        expect(card.locator("svg.still")).to_have_count(1)
    assert last.locator("svg.still").count() == 1
    page.locator(".scroller").evaluate("(el) => el.scrollTo(0, 0)")
    page.locator(".card.exercise").first.scroll_into_view_if_needed()
    shot(page, "exercises")


def test_reduced_motion_shows_still_frames_with_their_names(sized, catalogue):
    page = sized
    page.emulate_media(reduced_motion="reduce")
    exercise = catalogue.by_slug["bird-dog"]
    reach = next(s for s in timeline(exercise) if s.phase == "reach")
    begin(page, "bird-dog")
    run_to(page, reach.start + 200)
    frames = page.locator(".pacer .figure-still:visible")
    assert frames.count() == 2
    names = page.locator(".pacer .still-name").all_inner_texts()
    assert names == ["Start of reach", "End of reach"]
    before = page.locator(".pacer .figure-stills").inner_html()
    run_to(page, reach.end - 200)
    assert page.locator(".pacer .figure-stills").inner_html() == before, "nothing moves"
    expected = page.evaluate(EXPECTED, "bird-dog")
    assert_same(drawn(page, ".figure-still:nth-child(2) svg")["bones"], expected["ends"][0], "end")
    assert_same(drawn(page, ".figure-still:nth-child(1) svg")["bones"], expected["start"], "start")
    assert in_view(page, "It hurts") and in_view(page, "End")
    shot(page, "bird-dog-reduced-motion")

    page.goto("/exercises/bird-dog")
    pairs = page.locator(".exercise-figure.stills .still-pair")
    expect(pairs).to_have_count(len(exercise.phases))
    page.clock.run_for(100)  # the clock stands still since the session: a frame for the drawings
    expect(pairs.locator("svg.figure")).to_have_count(2 * len(exercise.phases))
    assert page.locator(".still-pair .still-name").all_inner_texts() == [
        f"{p.name}: start and end" for p in exercise.phases
    ]
    before = page.locator(".exercise-figure").inner_html()
    page.clock.run_for(3000)
    assert page.locator(".exercise-figure").inner_html() == before, "nothing moves"
    shot(page, "exercise-page-reduced-motion")
