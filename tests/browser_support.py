"""Helpers for the browser tests: a timeline oracle written apart from pacer.js, the pacer's
state as the page shows it, IndexedDB reads, and a watch on console errors and CSP violations."""

import uuid
from dataclasses import dataclass

from app.catalogue import Breath, Exercise

T0 = 1_800_000_000  # seconds since the epoch: the fake clock's start (2027)
LEAD_IN_MS = 5000
# Time to get from standing (where a session starts) into an exercise's position, and to
# switch sides in it (docs/session.md).
FROM_STANDING_MS = {
    "supine": 12000,
    "side-lying": 12000,
    "prone": 12000,
    "quadruped": 10000,
    "kneeling": 10000,
    "seated": 5000,
    "standing": 0,
}
SWITCH_SIDES_MS = {"side-lying": 10000, "kneeling": 8000, "quadruped": 6000}
SWITCH_SIDES_DEFAULT_MS = 3000
BREATH_WORD = {
    "inhale": "Breathe in",
    "exhale": "Breathe out",
    "pause": "Hold",
    "breathe": "Breathe in",
}
TYPE_WORD = {
    "lead-in": "Get ready",
    "position": "Get into position",
    "rest": "Rest",
    "switch-sides": "Switch sides",
}


@dataclass(frozen=True)
class Segment:
    start: int  # ms from Start
    end: int
    type: str
    set: int
    rep: int | None = None
    side: str | None = None
    phase: str | None = None
    breath: str | None = None

    @property
    def word(self) -> str:
        """The big word the pacer shows at the start of this segment."""
        return TYPE_WORD.get(self.type) or BREATH_WORD[self.breath or ""]


def timeline(exercise: Exercise, lead_in_ms: int = LEAD_IN_MS) -> list[Segment]:
    """A single-exercise session's segments, summed in whole milliseconds."""
    out: list[Segment] = []
    t = 0

    def push(length: int, **fields) -> None:
        nonlocal t
        out.append(Segment(start=t, end=t + length, **fields))
        t += length

    sides = ["left", "right"] if exercise.per_side else [None]
    position = exercise.position.value
    push(lead_in_ms, type="lead-in", set=1, side=sides[0])
    if FROM_STANDING_MS[position]:
        push(FROM_STANDING_MS[position], type="position", set=1, side=sides[0])
    for set_index in range(exercise.dose.sets):
        if set_index and exercise.dose.rest_seconds:
            push(exercise.dose.rest_seconds * 1000, type="rest", set=set_index + 1, side=sides[0])
        for k, side in enumerate(sides):
            if k:
                switch = SWITCH_SIDES_MS.get(position, SWITCH_SIDES_DEFAULT_MS)
                push(switch, type="switch-sides", set=set_index + 1, side=side)
            for rep in range(1, exercise.dose.reps_in_set(set_index) + 1):
                for phase in exercise.phases:
                    push(
                        round(phase.seconds * 1000),
                        type="phase",
                        set=set_index + 1,
                        rep=rep,
                        side=side,
                        phase=phase.name,
                        breath=Breath(phase.breath).value,
                    )
    return out


PACER_STATE = """() => {
  const p = document.querySelector('.pacer');
  if (!p) return null;
  const text = (sel) => document.querySelector(sel)?.textContent ?? '';
  return {
    segment: Number(p.dataset.segment), status: p.dataset.status, breath: p.dataset.breath,
    word: text('.breath-word'), movement: text('.movement'), cue: text('.cue'),
    set: text('.set-count'), rep: text('.rep-count'), count: text('.count-big'),
    exercise: text('.pacer-exercise'),
    overlay: text('.pacer-overlay'), announce: text('.announce'),
  };
}"""


def pacer(page) -> dict:
    return page.evaluate(PACER_STATE)


READ_STORE = """async ([store, key]) => {
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('spinewise');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const tx = db.transaction(store, 'readonly');
  const req = key === null ? tx.objectStore(store).getAll() : tx.objectStore(store).get(key);
  const result = await new Promise((resolve) => { req.onsuccess = () => resolve(req.result); });
  db.close();
  return result ?? null;
}"""


def read_store(page, store: str, key: str | None = None):
    """A value (or every value when key is None) from the app's IndexedDB."""
    return page.evaluate(READ_STORE, [store, key])


# Nothing ticked (red-flags.js has the shape), and the gate open. Dated far ahead, whatever the
# page's clock says, so that neither a new cycle nor a spread asks the questions again.
SKIP_RED_FLAGS = """{
  const at = '2100-01-01T00:00:00.000Z';
  const answers = { signs: [], answered_at: at, cycle: null, cleared_on: null, cleared_signs: [],
    updated_at: at };
  localStorage.setItem('spinewise.screening', JSON.stringify(answers));
  localStorage.setItem('spinewise.gate', JSON.stringify('open'));
}"""


def cleared(page) -> None:
    """Skip the first-run red-flag screen, as a person who answered "no" to every question."""
    page.add_init_script(SKIP_RED_FLAGS)


def watch(page) -> list[str]:
    """Collect console errors, page errors and CSP violations from now on."""
    problems: list[str] = []
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) =>"
        " console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));"
    )
    page.on(
        "console",
        lambda m: (
            problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    return problems


def open_paused(page, url: str) -> None:
    """Install the fake clock, open `url`, and stop time: from here it moves only on run_for."""
    page.clock.install(time=T0)
    page.goto(url)
    page.clock.pause_at(T0 + 10)


WAIT_FOR_WORKER = """async () => {
  const { active } = await navigator.serviceWorker.ready;
  const container = navigator.serviceWorker;
  if (!container.controller) {
    await new Promise((r) => container.addEventListener('controllerchange', r, { once: true }));
  }
  while (active.state !== 'activated') {
    await new Promise((r) => active.addEventListener('statechange', r, { once: true }));
  }
  return active.state;
}"""


def installed(page, path: str = "/") -> None:
    """Open `path` and wait until the service worker controls the page, its precache done."""
    page.goto(path)
    assert page.evaluate(WAIT_FOR_WORKER) == "activated"


def saved_session(day: str = "2026-11-20", **fields) -> dict:
    """A finished glute-bridge session as the app saves it on the device (`store.finishSession`
    takes it as it is), started at 08:00 UTC on `day`; `fields` replace its values."""
    return {
        "id": str(uuid.uuid4()),
        "kind": "single",
        "title": "Glute bridge",
        "started_at": f"{day}T08:00:00.000Z",
        "ended_at": f"{day}T08:10:00.000Z",
        "updated_at": f"{day}T08:10:00.000Z",
        "exercises": [
            {
                "slug": "glute-bridge",
                "sets_done": 1,
                "reps_done": 4,
                "effort": 3,
                "pain": 1,
                "fatigue_region": "nowhere",
                "fatigue_onset": "did-not",
                "helpful_cues": [],
            }
        ],
        "notes": "",
        **fields,
    }


def first_movement_ms(exercise: Exercise) -> int:
    """When a single-exercise session's first movement starts (after the lead-in and the time
    to get into position), in ms from Start."""
    return next(s.start for s in timeline(exercise) if s.type == "phase")


def to_first_movement(page, step_ms: int = 500, limit_ms: int = 30_000) -> None:
    """Move the fake clock on until the pacer shows its first movement phase."""
    for _ in range(limit_ms // step_ms):
        if page.evaluate("document.querySelector('.pacer')?.dataset.type") == "phase":
            return
        page.clock.run_for(step_ms)
    raise AssertionError(f"no movement within {limit_ms} ms")
