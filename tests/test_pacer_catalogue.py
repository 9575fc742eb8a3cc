"""Every cue of the real catalogue is seen: each exercise, run alone at its default dose
through the app's own prescribe.js and pacer.js (in Node), shows every one of its cues in
some segment of the pacer, for long enough to be read."""

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Reads the catalogue (as GET /api/exercises gives it) on stdin; prints, per exercise, the cues
# never shown, and how many cues were checked. A cue counts as shown when `at()` returns it at
# some instant: a segment's later cues are sampled every 100 ms.
SCRIPT = """
import { at, buildTimeline } from './web/static/js/pacer.js';
import { singleSession } from './web/static/js/prescribe.js';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const missing = {};
let checked = 0;
for (const exercise of JSON.parse(input)) {
  const timeline = buildTimeline(singleSession(exercise));
  const seen = new Set();
  for (const s of timeline.segments) {
    for (let ms = s.start * 1000; ms < s.end * 1000; ms += 100) {
      seen.add(at(timeline, ms / 1000).cue);
    }
  }
  // Set-up cues show together, one after another in one line, while getting into position.
  const shown = [...seen].filter(Boolean);
  for (const cue of exercise.cues) {
    checked += 1;
    const seenIt = shown.some((text) => text.includes(cue.text));
    if (!seenIt) (missing[exercise.slug] ??= []).push(cue.text);
  }
}
console.log(JSON.stringify({ missing, checked }));
"""


def test_every_cue_of_every_exercise_is_shown_at_its_default_dose(catalogue):
    exercises = [e.model_dump(mode="json") for e in catalogue.exercises]
    out = subprocess.run(
        ["node", "--input-type=module", "-e", SCRIPT],
        cwd=ROOT,
        input=json.dumps(exercises),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = json.loads(out)
    assert result["checked"] == sum(len(e["cues"]) for e in exercises) > 0
    assert result["missing"] == {}
