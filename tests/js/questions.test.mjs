// Tests for web/static/js/questions.js — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildTimeline } from '../../web/static/js/pacer.js';
import {
  EFFORT,
  EFFORT_ANCHORS,
  FATIGUE_REGIONS,
  FEELINGS,
  SPREAD_CHOICES,
  SPREAD_QUESTION,
  answersText,
  counted,
  doneText,
  exerciseRecord,
  isComplete,
  missingAnswers,
  onsetChoices,
  painBand,
  painOffer,
  progressOf,
  repWord,
  slugName,
  sessionRecord,
  summarise,
  toSave,
} from '../../web/static/js/questions.js';

const phases = [
  { name: 'up', movement: 'up', breath: 'exhale', seconds: 2, effort: true },
  { name: 'down', movement: 'down', breath: 'inhale', seconds: 3 },
];
// bridge: lead-in 0–5, set 1 5–15, rest 15–25, set 2 25–35; rest 35–45; clam (per side, 1 set of 2):
// left 45–55, switch 55–58, right 58–68.
const timeline = buildTimeline({
  restBetweenExercises: 10,
  items: [
    { key: '0-bridge', slug: 'bridge', kind: 'reps', phases, sets: 2, reps: 2, rest_seconds: 10, regression: 'tilt' },
    { key: '1-clam', slug: 'clam', kind: 'reps', per_side: true, phases, sets: 1, reps: 2, rest_seconds: 0 },
  ],
});

describe('words for what was done', () => {
  test('counts in the words of the exercise kind, singular for one', () => {
    assert.equal(counted(1, 'set'), '1 set');
    assert.equal(doneText({ sets_done: 1, reps_done: 18 }, { kind: 'breath' }), '1 set, 18 breaths');
    assert.equal(doneText({ sets_done: 2, reps_done: 16 }, { kind: 'reps' }), '2 sets, 16 reps');
    assert.equal(doneText({ sets_done: 0, reps_done: 1 }, { kind: 'hold' }), '0 sets, 1 hold');
    assert.equal(doneText({ sets_done: 1 }), '1 set, 0 reps');
  });

  test('a slug the catalogue lacks reads as a name, its numbers kept', () => {
    assert.equal(slugName('paced-breathing-4-6'), 'Paced breathing 4-6');
    assert.equal(slugName('glute-bridge'), 'Glute bridge');
  });
});

describe('why Save waits', () => {
  test('lists the questions still unanswered, in the order asked', () => {
    assert.deepEqual(missingAnswers({}), ['effort', 'pain', 'where fatigue came first']);
    assert.deepEqual(missingAnswers(null), ['effort', 'pain', 'where fatigue came first']);
    assert.deepEqual(missingAnswers({ effort: 0, pain: 0, fatigue_region: 'legs' }), ['when it appeared']);
    assert.deepEqual(missingAnswers({ effort: 0, pain: 0, fatigue_region: 'nowhere' }), []);
    assert.deepEqual(missingAnswers({ pain: 2 }, true), ['how you feel']);
    assert.deepEqual(missingAnswers({ feeling: 'calmer' }, true), ['pain']);
  });

  test('says it in one sentence, and nothing once all is answered', () => {
    assert.equal(toSave(['effort', 'pain', 'where fatigue came first']), 'To save, answer effort, pain and where fatigue came first.');
    assert.equal(toSave(['pain']), 'To save, answer pain.');
    assert.equal(toSave([]), '');
  });
});

describe('the scales', () => {
  test('effort has plain words of its own for each of its 11 steps, anchors shown in a line', () => {
    assert.deepEqual(EFFORT.map((b) => b.value), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual([0, 3, 5, 7, 9, 10].map((v) => EFFORT[v].words),
      ['Resting', 'Easy', 'Working', 'Hard', 'Hardest you could do', 'Hardest you could do']);
    assert.ok(EFFORT.every((b) => b.words));
    assert.equal(EFFORT_ANCHORS, '0 resting · 3 easy · 5 working · 7 hard · 9–10 hardest you could do');
    // None of the licensed scale's anchor words.
    for (const borg of ['Nothing at all', 'Very weak', 'Somewhat strong', 'Maximal', 'Very strong']) {
      assert.ok(!EFFORT.some((b) => b.words === borg), borg);
    }
  });

  test('pain bands follow the pain-monitoring model; above 5 offers stop or the regression', () => {
    assert.deepEqual([0, 3, 4, 5, 6, 10].map((p) => painBand(p).id),
      ['safe', 'safe', 'acceptable', 'acceptable', 'too-much', 'too-much']);
    assert.equal(painOffer(5, timeline.items[0]), null);
    assert.deepEqual(painOffer(6, timeline.items[0]), { stop: true, regression: 'tilt' });
    assert.deepEqual(painOffer(9, timeline.items[1]), { stop: true, regression: null });
    assert.equal(painOffer(undefined, timeline.items[0]), null);
  });

  test('six places fatigue can come first, ending with nowhere', () => {
    assert.deepEqual(FATIGUE_REGIONS.map((r) => r.id),
      ['lower-back', 'hips-glutes', 'abdomen', 'upper-back-neck', 'legs', 'nowhere']);
    assert.deepEqual(['reps', 'hold', 'breath'].map((kind) => repWord({ kind })), ['rep', 'hold', 'breath']);
  });
});

describe('progressOf', () => {
  test('counts whole reps and sets reached', () => {
    const cases = [
      [0, { sets_done: 0, reps_done: 0, sets_begun: [] }],
      [5, { sets_done: 0, reps_done: 0, sets_begun: [] }],
      [6, { sets_done: 0, reps_done: 0, sets_begun: [1] }],
      [10, { sets_done: 0, reps_done: 1, sets_begun: [1] }],
      [15, { sets_done: 1, reps_done: 2, sets_begun: [1] }],
      [26, { sets_done: 1, reps_done: 2, sets_begun: [1, 2] }],
      [35, { sets_done: 2, reps_done: 4, sets_begun: [1, 2] }],
      [1e9, { sets_done: 2, reps_done: 4, sets_begun: [1, 2] }],
    ];
    for (const [reached, expected] of cases) assert.deepEqual(progressOf(timeline, 0, reached), expected, `at ${reached}`);
  });

  test('a per-side rep counts once both sides are done', () => {
    assert.deepEqual(progressOf(timeline, 1, 55), { sets_done: 0, reps_done: 1, sets_begun: [1] });
    assert.deepEqual(progressOf(timeline, 1, 63), { sets_done: 0, reps_done: 1, sets_begun: [1] });
    assert.deepEqual(progressOf(timeline, 1, 68), { sets_done: 1, reps_done: 2, sets_begun: [1] });
  });

  test('onset choices are the sets begun, each with its reps', () => {
    assert.deepEqual(onsetChoices(timeline, 0, progressOf(timeline, 0, 30)), [{ set: 1, reps: 2 }, { set: 2, reps: 2 }]);
    assert.deepEqual(onsetChoices(timeline, 0, progressOf(timeline, 0, 0)), [{ set: 1, reps: 2 }]);
  });

  test('after a stop, only the reps begun are offered', () => {
    assert.deepEqual(onsetChoices(timeline, 0, progressOf(timeline, 0, 6), 6), [{ set: 1, reps: 1 }]);
    assert.deepEqual(onsetChoices(timeline, 0, progressOf(timeline, 0, 26), 26), [{ set: 1, reps: 2 }, { set: 2, reps: 1 }]);
    assert.deepEqual(onsetChoices(timeline, 0, progressOf(timeline, 0, 0), 0), [{ set: 1, reps: 0 }]);
  });
});

describe('answers and records', () => {
  test('complete once effort, pain and where are given, and when (a set) unless nowhere', () => {
    assert.equal(isComplete(undefined), false);
    assert.equal(isComplete({ effort: 3, pain: 1 }), false);
    assert.equal(isComplete({ effort: 3, pain: 1, fatigue_region: 'legs' }), false);
    assert.equal(isComplete({ effort: 3, pain: 1, fatigue_region: 'legs', fatigue_onset: { set: 2, rep: null } }), true);
    // Fatigue felt somewhere appeared at some point: "it did not" is the answer "nowhere".
    assert.equal(isComplete({ effort: 3, pain: 1, fatigue_region: 'legs', fatigue_onset: null }), false);
    assert.equal(isComplete({ effort: 0, pain: 0, fatigue_region: 'nowhere' }), true);
    assert.equal(isComplete({ effort: '3', pain: 0, fatigue_region: 'nowhere' }), false);
  });

  test('an exercise record has exactly the sync fields; "nowhere" goes with "did-not"', () => {
    const record = exerciseRecord(timeline.items[0], { sets_done: 2, reps_done: 4 }, {
      effort: 4, pain: 2, fatigue_region: 'nowhere', fatigue_onset: { set: 1, rep: 2 }, helpful_cues: ['a'],
    });
    assert.deepEqual(record, {
      slug: 'bridge', sets_done: 2, reps_done: 4, skipped: false, effort: 4, pain: 2, fatigue_region: 'nowhere',
      fatigue_onset: 'did-not', symptoms_spread: false, helpful_cues: ['a'], notes: '',
    });
    const legs = exerciseRecord(timeline.items[0], { sets_done: 1, reps_done: 2 }, {
      effort: 4, pain: 2, fatigue_region: 'legs', fatigue_onset: { set: 1, rep: null },
    });
    assert.deepEqual(legs.fatigue_onset, { set: 1, rep: null });
    // Unanswered (the session stopped first): null, as the server takes it.
    const unanswered = exerciseRecord(timeline.items[0], { sets_done: 0, reps_done: 1 }, { pain: 7 });
    assert.deepEqual([unanswered.effort, unanswered.fatigue_region, unanswered.fatigue_onset], [null, null, null]);
  });

  test('a session record lists the exercises begun or answered, and the summary reads it', () => {
    const state = {
      id: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b',
      kind: 'today',
      title: "Today's session",
      started_at: '2026-11-23T08:00:00.000Z',
      reached: { '0-bridge': 35 },
      answers: { '0-bridge': { effort: 5, pain: 6, fatigue_region: 'lower-back', fatigue_onset: { set: 2, rep: 1 } } },
    };
    const record = sessionRecord(state, timeline, '2026-11-23T08:12:20.000Z');
    assert.deepEqual(Object.keys(record), ['id', 'day', 'started_at', 'ended_at', 'kind', 'title', 'exercises', 'updated_at']);
    assert.equal(record.kind, 'plan'); // today's session is the plan's, by the server's name
    assert.equal(record.updated_at, record.ended_at);
    assert.deepEqual(record.exercises.map((e) => [e.slug, e.sets_done, e.reps_done, e.pain]), [['bridge', 2, 4, 6]]);
    assert.deepEqual(summarise(record), {
      exercises: 1, sets: 2, reps: 4, maxEffort: 5, maxPain: 6, minutes: 12,
      fatigue: [{ slug: 'bridge', region: 'lower-back', onset: { set: 2, rep: 1 } }],
    });
  });

  test("a session's day is the person's own date, not UTC's", () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const evening = { id: 'x', kind: 'single', title: 'Bridge', started_at: '2026-11-24T03:30:00.000Z' };
      assert.equal(sessionRecord(evening, timeline, '2026-11-24T03:45:00.000Z').day, '2026-11-23');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('spreading symptoms', () => {
  test('asked as a yes or no about a buttock or leg, or weakness, and optional', () => {
    assert.match(SPREAD_QUESTION, /spread into a buttock or leg, or a leg feel weak\?$/);
    assert.deepEqual(SPREAD_CHOICES.map((c) => c.value), [false, true]);
    // Optional: the exercise's four answers complete it without this one.
    assert.equal(isComplete({ effort: 3, pain: 1, fatigue_region: 'nowhere' }), true);
  });

  test('saved as a strict boolean: yes is true, no or no answer is false', () => {
    const answers = { effort: 3, pain: 2, fatigue_region: 'nowhere' };
    const progress = { sets_done: 2, reps_done: 4 };
    assert.equal(exerciseRecord(timeline.items[0], progress, { ...answers, symptoms_spread: true }).symptoms_spread, true);
    assert.equal(exerciseRecord(timeline.items[0], progress, { ...answers, symptoms_spread: false }).symptoms_spread, false);
    assert.equal(exerciseRecord(timeline.items[0], progress, answers).symptoms_spread, false);
    assert.equal(exerciseRecord(timeline.items[0], progress, { feeling: 'calmer', pain: 0 }).symptoms_spread, false);
  });

  test('shown in the answers when it spread, and only then', () => {
    assert.equal(answersText({ effort: 3, pain: 2, symptoms_spread: true }), 'effort 3 (easy) · pain 2 (safe) · symptoms spread');
    assert.equal(answersText({ effort: 3, pain: 2, symptoms_spread: false }), 'effort 3 (easy) · pain 2 (safe)');
  });
});

describe('after a breath practice', () => {
  test('how the person feels and pain are the answers: no effort, no fatigue', () => {
    assert.deepEqual(FEELINGS.map((f) => f.id), ['calmer', 'same', 'less-calm']);
    assert.equal(isComplete({ feeling: 'calmer' }, true), false);
    assert.equal(isComplete({ feeling: 'calmer', pain: 0 }, true), true);
    assert.equal(isComplete({ feeling: 'calm', pain: 0 }, true), false);
    assert.equal(isComplete({ feeling: 'calmer', pain: 0 }), false, 'an exercise needs its four');
    const record = exerciseRecord(timeline.items[0], { sets_done: 1, reps_done: 2 }, { feeling: 'same', pain: 1 });
    assert.deepEqual(
      [record.feeling, record.pain, record.effort, record.fatigue_region, record.fatigue_onset],
      ['same', 1, null, null, null],
    );
    assert.equal('feeling' in exerciseRecord(timeline.items[0], { sets_done: 1, reps_done: 2 }, { pain: 1 }), false);
    assert.equal(answersText(record), 'about the same · pain 1 (safe)');
    assert.equal(answersText({ effort: null, pain: 7 }), 'pain 7 (too much)');
    assert.equal(answersText({ effort: null, pain: null }), 'not rated');
  });
});
