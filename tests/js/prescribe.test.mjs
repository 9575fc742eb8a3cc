// Tests for web/static/js/prescribe.js — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildTimeline } from '../../web/static/js/pacer.js';
import {
  breathExercises,
  doseWords,
  orderCues,
  pacedBreathing,
  planSession,
  singleSession,
  todaySession,
  toItem,
  withRegression,
} from '../../web/static/js/prescribe.js';

// A small catalogue shaped like GET /api/exercises: just the fields the front end reads.
function exercise(slug, pattern, level, extra = {}) {
  return {
    slug,
    name: slug.replace(/-/g, ' '),
    pattern,
    level,
    kind: 'reps',
    per_side: false,
    position: 'supine',
    phases: [
      { name: 'up', movement: 'move up', breath: 'exhale', seconds: 2, effort: true },
      { name: 'down', movement: 'move down', breath: 'inhale', seconds: 3, effort: false },
    ],
    dose: { sets: 2, reps: 8, rest_seconds: 30 },
    cues: [{ text: 'First cue.', phase: 'up' }, { text: 'Second cue.', phase: 'down' }],
    regression: null,
    progression: null,
    ...extra,
  };
}

const catalogue = [
  exercise('crocodile-breathing', 'breath', 2, { kind: 'breath' }),
  exercise('supine-breathing', 'breath', 1, { kind: 'breath' }),
  exercise('cat-camel', 'mobility', 1),
  exercise('pelvic-tilt', 'mobility', 1),
  exercise('open-book', 'mobility', 2, { per_side: true }),
  exercise('side-plank', 'brace', 3, { kind: 'hold' }),
  exercise('dead-bug', 'brace', 2, { per_side: true }),
  exercise('glute-bridge', 'bridge', 2, { regression: 'pelvic-tilt' }),
  exercise('dowel-hinge', 'hinge', 2),
  exercise('goblet-squat', 'squat', 3),
  exercise('sit-to-stand', 'squat', 2, { position: 'seated' }),
  exercise('split-squat', 'lunge', 3),
  exercise('farmer-carry', 'carry', 2),
];

describe('todaySession', () => {
  test('covers breath, mobility, brace, bridge/hinge and squat/lunge with the easiest of level ≤ 2', () => {
    const session = todaySession(catalogue);
    assert.equal(session.kind, 'today');
    assert.deepEqual(session.items.map((i) => i.slug), [
      'supine-breathing', 'cat-camel', 'dead-bug', 'glute-bridge', 'sit-to-stand',
    ]);
    assert.deepEqual(session.items.map((i) => i.key), [
      '0-supine-breathing', '1-cat-camel', '2-dead-bug', '3-glute-bridge', '4-sit-to-stand',
    ]);
    assert.ok(session.items.every((i) => i.sets === 2 && i.reps === 8 && i.rest_seconds === 30));
    assert.equal(session.items[2].per_side, true);
    const timeline = buildTimeline(session);
    assert.equal(timeline.items.length, 5);
  });

  test('leaves out a group the catalogue cannot fill, and refuses an empty pick', () => {
    const noSquat = catalogue.filter((e) => !['squat', 'lunge'].includes(e.pattern));
    assert.deepEqual(todaySession(noSquat).items.map((i) => i.slug).at(-1), 'glute-bridge');
    assert.throws(() => todaySession([exercise('hard', 'brace', 4)]), /no exercise of level 1–2/);
  });

  test('with what the person has, only exercises needing nothing else', () => {
    const withNeeds = catalogue.map((e) => ({
      ...e, equipment: { 'sit-to-stand': ['chair'], 'cat-camel': ['mat'], 'dead-bug': ['mat'] }[e.slug] ?? [],
    }));
    const all = todaySession(withNeeds, {}, ['mat', 'wall', 'chair']).items.map((i) => i.slug);
    assert.ok(all.includes('sit-to-stand'));
    const noChair = todaySession(withNeeds, {}, ['mat']).items.map((i) => i.slug);
    assert.ok(!noChair.includes('sit-to-stand'));
    assert.ok(todaySession(withNeeds, {}, []).items.every((i) => !['cat-camel', 'dead-bug'].includes(i.slug)));
  });

  test('helpful cues come first, by slug', () => {
    const session = todaySession(catalogue, { 'glute-bridge': ['Second cue.'] });
    assert.deepEqual(session.items[3].cues.map((c) => c.text), ['Second cue.', 'First cue.']);
    assert.deepEqual(session.items[1].cues.map((c) => c.text), ['First cue.', 'Second cue.']);
  });
});

describe('items and single sessions', () => {
  test('toItem copies what the pacer and the runner need, and never shares the catalogue objects', () => {
    const source = exercise('clamshell', 'bridge', 1, { per_side: true, dose: { sets: 3, reps: [6, 4, 2], rest_seconds: 20 } });
    const item = toItem(source);
    assert.deepEqual(
      [item.key, item.slug, item.kind, item.per_side, item.sets, item.reps, item.rest_seconds, item.regression],
      ['clamshell', 'clamshell', 'reps', true, 3, [6, 4, 2], 20, null],
    );
    item.reps.push(1);
    item.phases[0].seconds = 99;
    assert.deepEqual(source.dose.reps, [6, 4, 2]);
    assert.equal(source.phases[0].seconds, 2);
  });

  test('singleSession is one item with a short lead-in', () => {
    const session = singleSession(catalogue[7]);
    assert.deepEqual([session.kind, session.title, session.leadIn, session.items.length], ['single', 'glute bridge', 5, 1]);
    assert.equal(buildTimeline(session).segments[0].type, 'lead-in');
  });

  test('orderCues keeps catalogue order except for the helpful ones', () => {
    const cues = [{ text: 'a' }, { text: 'b' }, { text: 'c' }];
    assert.deepEqual(orderCues(cues, ['c', 'x']).map((c) => c.text), ['c', 'a', 'b']);
    assert.deepEqual(orderCues(cues).map((c) => c.text), ['a', 'b', 'c']);
  });
});

describe('breath practices', () => {
  test('paced breathing runs whole breaths for about the minutes asked', () => {
    const session = pacedBreathing('4-6', 5);
    const timeline = buildTimeline(session);
    assert.equal(session.kind, 'breath');
    assert.equal(session.items[0].reps, 30);
    assert.deepEqual(session.items[0].phases.map((p) => [p.breath, p.seconds]), [['inhale', 4], ['exhale', 6]]);
    assert.equal(timeline.duration, 5 + 300);
    assert.equal(pacedBreathing('5-5', 3).items[0].reps, 18);
    assert.equal(pacedBreathing('3-5', 0.01).items[0].reps, 1);
    assert.throws(() => pacedBreathing('7-1', 5), /unknown rhythm/);
    assert.throws(() => pacedBreathing('4-6', 0), /minutes must be/);
  });

  test('breathExercises lists the catalogue breathing practices, easiest first', () => {
    assert.deepEqual(breathExercises(catalogue).map((e) => e.slug), ['supine-breathing', 'crocodile-breathing']);
  });
});

describe('withRegression', () => {
  test('inserts the regression after the item at the same sets and rest, with a fresh key', () => {
    const session = todaySession(catalogue);
    const tilt = exercise('pelvic-tilt', 'mobility', 1, { dose: { sets: 3, reps: [5, 4, 3], rest_seconds: 10 } });
    const { prescription, index } = withRegression(session, 3, tilt);
    assert.equal(index, 4);
    assert.deepEqual(prescription.items.map((i) => i.key), [
      '0-supine-breathing', '1-cat-camel', '2-dead-bug', '3-glute-bridge', '5-pelvic-tilt', '4-sit-to-stand',
    ]);
    const swapped = prescription.items[4];
    assert.deepEqual([swapped.sets, swapped.reps, swapped.rest_seconds], [2, 5, 30]);
    assert.equal(session.items.length, 5, 'the old prescription is left alone');
    assert.throws(() => withRegression(session, 9, tilt), RangeError);
  });
});

describe('planSession', () => {
  test("runs the plan's exercises in the plan's order at the plan's dose", () => {
    const planned = {
      number: 2,
      exercises: [
        { slug: 'dead-bug', dose: { sets: 3, reps: 10, rest_seconds: 45 } },
        { slug: 'glute-bridge', dose: { sets: 2, reps: [6, 4], rest_seconds: 60 } },
        { slug: 'retired-exercise', dose: { sets: 1, reps: 5, rest_seconds: 0 } },
      ],
    };
    const session = planSession(catalogue, planned, { 'dead-bug': ['Second cue.'] });
    assert.equal(session.kind, 'today'); // saved as the plan's session
    assert.deepEqual(session.items.map((i) => [i.key, i.slug, i.sets, i.reps, i.rest_seconds]), [
      ['0-dead-bug', 'dead-bug', 3, 10, 45],
      ['1-glute-bridge', 'glute-bridge', 2, [6, 4], 60],
    ]);
    assert.equal(session.items[0].cues[0].text, 'Second cue.');
    assert.equal(buildTimeline(session).items.length, 2); // the pacer runs it, per-set reps and all
    assert.throws(() => planSession(catalogue, { exercises: [planned.exercises[2]] }), /catalogue/);
  });
});

describe('doseWords', () => {
  test('says sets, count, unit, sides and rest', () => {
    const bug = catalogue.find((e) => e.slug === 'dead-bug');
    const plank = catalogue.find((e) => e.slug === 'side-plank');
    assert.equal(doseWords(bug), '2 sets of 8 reps each side, 30 s rest');
    assert.equal(doseWords(plank, { sets: 1, reps: [5], rest_seconds: 0 }), '1 set of 5 holds, 0 s rest');
    assert.equal(doseWords(plank, { sets: 4, reps: 1, rest_seconds: 60 }), '4 sets of 1 hold, 60 s rest');
  });
});
