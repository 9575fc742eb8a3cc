// Tests for web/static/js/pacer.js — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  at,
  boundaries,
  breathChanges,
  buildTimeline,
  countIn,
  createRun,
  elapsed,
  endAtBoundary,
  itemStart,
  pause,
  resume,
  seek,
  segmentIndexAt,
  skip,
  start,
  status,
} from '../../web/static/js/pacer.js';

// A 3-set reps exercise (6.5 s a rep) then a hold exercise, as the plan would prescribe them.
function bridge(overrides = {}) {
  return {
    slug: 'glute-bridge',
    name: 'Glute bridge',
    kind: 'reps',
    per_side: false,
    phases: [
      { name: 'lift', movement: 'drive the hips up', breath: 'exhale', seconds: 2, effort: true },
      { name: 'top', movement: 'hold the top', breath: 'pause', seconds: 1.5 },
      { name: 'lower', movement: 'lower the hips slowly', breath: 'inhale', seconds: 3 },
    ],
    sets: 3,
    reps: 2,
    rest_seconds: 10,
    ...overrides,
  };
}

function plank(overrides = {}) {
  return {
    slug: 'front-plank-knees',
    name: 'Front plank from knees',
    kind: 'hold',
    per_side: false,
    phases: [
      { name: 'set', movement: 'lift onto forearms and knees', breath: 'inhale', seconds: 2 },
      { name: 'hold', movement: 'hold a long straight line', breath: 'breathe', seconds: 10 },
      { name: 'down', movement: 'lower the hips to the floor', breath: 'exhale', seconds: 2 },
    ],
    sets: 2,
    reps: 1,
    rest_seconds: 15,
    ...overrides,
  };
}

// [start, end, type, itemIndex, set, rep, phase name or null, breath]
function shape(timeline) {
  return timeline.segments.map((s) => [
    s.start, s.end, s.type, s.itemIndex, s.set, s.rep, s.phase && s.phase.name, s.breath,
  ]);
}

describe('buildTimeline', () => {
  test('every boundary of a 3-set, multi-phase session, with lead-in and both kinds of rest', () => {
    const timeline = buildTimeline({ restBetweenExercises: 20, items: [bridge(), plank()] });
    const bridgeSet = (set, t0) => [
      [t0, t0 + 2, 'phase', 0, set, 1, 'lift', 'exhale'],
      [t0 + 2, t0 + 3.5, 'phase', 0, set, 1, 'top', 'pause'],
      [t0 + 3.5, t0 + 6.5, 'phase', 0, set, 1, 'lower', 'inhale'],
      [t0 + 6.5, t0 + 8.5, 'phase', 0, set, 2, 'lift', 'exhale'],
      [t0 + 8.5, t0 + 10, 'phase', 0, set, 2, 'top', 'pause'],
      [t0 + 10, t0 + 13, 'phase', 0, set, 2, 'lower', 'inhale'],
    ];
    assert.deepEqual(shape(timeline), [
      [0, 5, 'lead-in', 0, 1, null, null, 'rest'],
      ...bridgeSet(1, 5),
      [18, 28, 'rest', 0, 2, null, null, 'rest'],
      ...bridgeSet(2, 28),
      [41, 51, 'rest', 0, 3, null, null, 'rest'],
      ...bridgeSet(3, 51),
      [64, 84, 'rest', 1, 1, null, null, 'rest'],
      [84, 86, 'phase', 1, 1, 1, 'set', 'inhale'],
      [86, 96, 'phase', 1, 1, 1, 'hold', 'breathe'],
      [96, 98, 'phase', 1, 1, 1, 'down', 'exhale'],
      [98, 113, 'rest', 1, 2, null, null, 'rest'],
      [113, 115, 'phase', 1, 2, 1, 'set', 'inhale'],
      [115, 125, 'phase', 1, 2, 1, 'hold', 'breathe'],
      [125, 127, 'phase', 1, 2, 1, 'down', 'exhale'],
    ]);
    assert.equal(timeline.duration, 127);
    assert.equal(timeline.items.length, 2);
    assert.ok(timeline.segments.every((s) => s.sets === (s.itemIndex === 0 ? 3 : 2) && s.side === null));
  });

  test('defaults: a 5 s lead-in and 30 s between exercises; zero rests are left out', () => {
    const withDefaults = buildTimeline({ items: [bridge({ sets: 1 }), plank({ sets: 1 })] });
    assert.deepEqual(withDefaults.segments.filter((s) => s.type !== 'phase').map((s) => [s.type, s.start, s.end]), [
      ['lead-in', 0, 5],
      ['rest', 18, 48],
    ]);
    const noGaps = buildTimeline({ leadIn: 0, restBetweenExercises: 0, items: [bridge({ rest_seconds: 0 }), plank()] });
    assert.equal(noGaps.segments[0].start, 0);
    assert.deepEqual([...new Set(noGaps.segments.map((s) => s.type))], ['phase', 'rest']);
    assert.equal(noGaps.duration, 3 * 13 + 2 * 14 + 15);
  });

  test('a pyramid 6-4-2 gives each set its own reps', () => {
    const timeline = buildTimeline({
      leadIn: 0,
      items: [bridge({
        phases: [
          { name: 'up', movement: 'up', breath: 'exhale', seconds: 1, effort: true },
          { name: 'down', movement: 'down', breath: 'inhale', seconds: 1.5 },
        ],
        reps: [6, 4, 2],
        rest_seconds: 5,
      })],
    });
    const phases = timeline.segments.filter((s) => s.type === 'phase');
    for (const [set, reps] of [[1, 6], [2, 4], [3, 2]]) {
      const inSet = phases.filter((s) => s.set === set);
      assert.equal(inSet.length, reps * 2);
      assert.ok(inSet.every((s) => s.reps === reps));
      assert.deepEqual(inSet.map((s) => s.rep), Array.from({ length: reps * 2 }, (_, i) => Math.floor(i / 2) + 1));
    }
    assert.deepEqual(timeline.segments.filter((s) => s.type === 'rest').map((s) => [s.start, s.end, s.set, s.reps]), [
      [15, 20, 2, 4],
      [30, 35, 3, 2],
    ]);
    assert.equal(timeline.duration, 40);
    const state = at(timeline, 37.5);
    assert.deepEqual([state.set, state.rep, state.reps, state.phase.name], [3, 2, 2, 'up']);
  });

  test('per-side exercises run all reps left, switch sides for 3 s, then right', () => {
    const timeline = buildTimeline({
      leadIn: 4,
      items: [{
        slug: 'clamshell', name: 'Clamshell', kind: 'reps', per_side: true,
        phases: [
          { name: 'open', movement: 'open the knee', breath: 'exhale', seconds: 1, effort: true },
          { name: 'close', movement: 'close slowly', breath: 'inhale', seconds: 2 },
        ],
        sets: 2, reps: 2, rest_seconds: 10,
      }],
    });
    const side = (set, s, t0) => [
      [t0, t0 + 1, 'phase', set, s, 1, 'open'],
      [t0 + 1, t0 + 3, 'phase', set, s, 1, 'close'],
      [t0 + 3, t0 + 4, 'phase', set, s, 2, 'open'],
      [t0 + 4, t0 + 6, 'phase', set, s, 2, 'close'],
    ];
    assert.deepEqual(
      timeline.segments.map((s) => [s.start, s.end, s.type, s.set, s.side, s.rep, s.phase && s.phase.name]),
      [
        [0, 4, 'lead-in', 1, 'left', null, null],
        ...side(1, 'left', 4),
        [10, 13, 'switch-sides', 1, 'right', null, null],
        ...side(1, 'right', 13),
        [19, 29, 'rest', 2, 'left', null, null],
        ...side(2, 'left', 29),
        [35, 38, 'switch-sides', 2, 'right', null, null],
        ...side(2, 'right', 38),
      ],
    );
    assert.equal(timeline.duration, 44);
    assert.deepEqual(at(timeline, 11).breathing, { breath: 'rest', progress: 1 / 3 });
  });

  test('the timeline is frozen and the caller’s prescription is left untouched', () => {
    const input = plank({ hold_seconds: 13 });
    const before = structuredClone(input);
    const timeline = buildTimeline({ items: [input] });
    assert.deepEqual(input, before);
    assert.ok(Object.isFrozen(timeline) && Object.isFrozen(timeline.segments));
    assert.ok(Object.isFrozen(timeline.segments[1]) && Object.isFrozen(timeline.segments[1].phase));
    assert.ok(Object.isFrozen(timeline.items[0]) && Object.isFrozen(timeline.items[0].phases));
    assert.throws(() => { timeline.segments[0].start = 1; }, TypeError);
    assert.equal(timeline.items[0].slug, 'front-plank-knees');
  });

  test('invalid prescriptions throw an Error naming the field', () => {
    const cases = [
      [undefined, /prescription must be an object/],
      [{ items: [] }, /items must list at least one exercise/],
      [{ items: 'glute-bridge' }, /items must list at least one exercise/],
      [{ leadIn: -1, items: [bridge()] }, /leadIn must be zero or a positive number of seconds, got -1/],
      [{ restBetweenExercises: NaN, items: [bridge()] }, /restBetweenExercises must be .* got NaN/],
      [{ items: [bridge({ phases: [] })] }, /items\[0\] \(glute-bridge\)\.phases must list at least one phase/],
      [{ items: [bridge({ phases: [{ name: 'x', breath: 'exhale', seconds: 0 }] })] },
        /items\[0\] \(glute-bridge\)\.phases\[0\]\.seconds must be a positive number of seconds, got 0/],
      [{ items: [bridge(), plank({ phases: [{ name: 'x', breath: 'breathe', seconds: -5 }] })] },
        /items\[1\] \(front-plank-knees\)\.phases\[0\]\.seconds must be a positive .* got -5/],
      [{ items: [bridge({ phases: [{ name: 'x', breath: 'exhale', seconds: '2' }] })] }, /seconds must be .* got "2"/],
      [{ items: [bridge({ phases: [{ name: 'x', breath: 'exhale', seconds: 0.0001 }] })] }, /at least 1 ms/],
      [{ items: [bridge({ phases: [{ name: 'x', breath: 'hold', seconds: 2 }] })] }, /phases\[0\]\.breath must be one of/],
      [{ items: [bridge({ reps: [6, 4] })] }, /reps lists 2 counts for 3 sets/],
      [{ items: [bridge({ reps: [6, 0, 2] })] }, /reps\[1\] must be a whole number of at least 1, got 0/],
      [{ items: [bridge({ reps: 2.5 })] }, /\.reps must be a whole number/],
      [{ items: [bridge({ sets: 0 })] }, /\.sets must be a whole number of at least 1, got 0/],
      [{ items: [bridge({ rest_seconds: -10 })] }, /rest_seconds must be zero or a positive/],
      [{ items: [bridge({ rest_seconds: undefined })] }, /rest_seconds must be .* got undefined/],
      [{ items: [bridge({ kind: 'stretch' })] }, /kind must be one of reps, hold, breath/],
      [{ items: [bridge({ per_side: 'yes' })] }, /per_side must be true or false/],
      [{ items: [bridge({ hold_seconds: 20 })] }, /hold_seconds needs exactly one 'breathe' or 'free' phase, found 0/],
      [{ items: [plank({ hold_seconds: 0 })] }, /hold_seconds must be a positive number of seconds, got 0/],
      [{ items: [null] }, /items\[0\] must be an object/],
    ];
    for (const [prescription, message] of cases) {
      assert.throws(() => buildTimeline(prescription), message, `expected ${message}`);
    }
  });
});

describe('at', () => {
  const timeline = buildTimeline({ restBetweenExercises: 20, items: [bridge(), plank()] });

  test('gives the whole state inside a phase', () => {
    const item = timeline.items[0];
    assert.deepEqual(at(timeline, 6), {
      type: 'phase',
      itemIndex: 0,
      item,
      phaseIndex: 0,
      phase: item.phases[0],
      breath: 'exhale',
      progress: 0.5,
      set: 1,
      sets: 3,
      rep: 1,
      reps: 2,
      side: null,
      cue: '',
      segmentIndex: 1,
      segmentRemaining: 1,
      elapsed: 6,
      remaining: 121,
      done: false,
      breathing: { breath: 'exhale', progress: 0.5 },
    });
  });

  test('breathing: a pause holds, lead-in and rests rest, inhale mirrors the phase', () => {
    assert.deepEqual(at(timeline, 7.75).breathing, { breath: 'hold', progress: 0.5 });
    assert.deepEqual(at(timeline, 1).breathing, { breath: 'rest', progress: 0.2 });
    assert.deepEqual(at(timeline, 20.5).breathing, { breath: 'rest', progress: 0.25 });
    assert.deepEqual(at(timeline, 9.25).breathing, { breath: 'inhale', progress: 0.25 });
  });

  test('a lead-in or rest names what comes next', () => {
    assert.deepEqual(
      [0, 20, 70].map((t) => at(timeline, t)).map((s) => [s.type, s.itemIndex, s.set, s.rep]),
      [['lead-in', 0, 1, null], ['rest', 0, 2, null], ['rest', 1, 1, null]],
    );
  });

  test('clamps t to the session and reports done at the end', () => {
    assert.deepEqual(at(timeline, -3), at(timeline, 0));
    const end = at(timeline, 1e9);
    assert.deepEqual(
      [end.segmentIndex, end.progress, end.remaining, end.segmentRemaining, end.elapsed, end.done],
      [timeline.segments.length - 1, 1, 0, 0, 127, true],
    );
    assert.equal(at(timeline, 126.999).done, false);
    assert.throws(() => at(timeline, NaN), TypeError);
    assert.throws(() => at(timeline, '5'), TypeError);
  });

  test('a segment start belongs to that segment', () => {
    assert.equal(segmentIndexAt(timeline, 5), 1);
    assert.equal(segmentIndexAt(timeline, 4.999), 0);
    assert.equal(at(timeline, 18).type, 'rest');
    assert.equal(at(timeline, 18).progress, 0);
  });
});

describe('breathe phases', () => {
  // set 0–2, hold 2–15 (hold_seconds 13 overrides 10), down 15–17.
  const timeline = buildTimeline({ leadIn: 0, items: [plank({ sets: 1, rest_seconds: 0, hold_seconds: 13 })] });
  const breathing = (t) => at(timeline, t).breathing;

  test('hold_seconds overrides the single breathe phase', () => {
    assert.deepEqual(shape(timeline), [
      [0, 2, 'phase', 0, 1, 1, 'set', 'inhale'],
      [2, 15, 'phase', 0, 1, 1, 'hold', 'breathe'],
      [15, 17, 'phase', 0, 1, 1, 'down', 'exhale'],
    ]);
    assert.equal(timeline.segments[1].phase.seconds, 13);
    assert.equal(timeline.items[0].phases[1].seconds, 13);
  });

  test('cycles 2 s in, 3 s out from the phase start', () => {
    const expected = [
      [2, 'inhale', 0], [3, 'inhale', 0.5], [4, 'exhale', 0], [5.5, 'exhale', 0.5],
      [7, 'inhale', 0], [8, 'inhale', 0.5], [9, 'exhale', 0], [11.5, 'exhale', 5 / 6],
      [12, 'inhale', 0], [13, 'inhale', 0.5], [14, 'exhale', 0],
    ];
    for (const [t, breath, progress] of expected) {
      assert.deepEqual(breathing(t), { breath, progress }, `at ${t} s`);
    }
    assert.equal(at(timeline, 3).progress, 1 / 13); // the phase's own progress is still linear
  });

  test('the last cycle is cut at the phase end', () => {
    assert.deepEqual(breathing(14.5), { breath: 'exhale', progress: 0.5 / 3 });
    const last = breathing(14.999);
    assert.equal(last.breath, 'exhale');
    assert.ok(Math.abs(last.progress - 0.999 / 3) < 1e-9);
    assert.deepEqual(breathing(15), { breath: 'exhale', progress: 0 }); // 'down', an exhale phase
    assert.equal(at(timeline, 15).phase.name, 'down');

    const endsOnInhale = buildTimeline({ leadIn: 0, items: [plank({ sets: 1, hold_seconds: 12 })] });
    assert.deepEqual(at(endsOnInhale, 13.5).breathing, { breath: 'inhale', progress: 0.75 });
    assert.equal(at(endsOnInhale, 14).phase.name, 'down');
  });

  test('a session ending on a hold reports the finishing breath, not a new one', () => {
    const holdOnly = (seconds) => buildTimeline({
      leadIn: 0,
      items: [{ slug: 'h', name: 'H', kind: 'hold', phases: [{ name: 'h', breath: 'breathe', seconds }],
        sets: 1, reps: 1, rest_seconds: 0 }],
    });
    assert.deepEqual(at(holdOnly(10), 10).breathing, { breath: 'exhale', progress: 1 });
    assert.deepEqual(at(holdOnly(12), 12).breathing, { breath: 'inhale', progress: 1 });
    assert.deepEqual(at(holdOnly(11), 11).breathing, { breath: 'inhale', progress: 0.5 });
  });
});

describe('boundaries and endAtBoundary', () => {
  const timeline = buildTimeline({ restBetweenExercises: 20, items: [bridge(), plank()] });

  test('boundaries lists the segment starts in [from, to)', () => {
    assert.deepEqual(boundaries(timeline, 5, 11.5).map((b) => [b.time, b.segmentIndex, b.segment.phase.name]), [
      [5, 1, 'lift'],
      [7, 2, 'top'],
      [8.5, 3, 'lower'],
    ]);
    assert.deepEqual(boundaries(timeline, 0, 0.5).map((b) => b.time), [0]);
    assert.deepEqual(boundaries(timeline, 5.1, 6.9), []);
    assert.deepEqual(boundaries(timeline, 10, 5), []);
    assert.deepEqual(boundaries(timeline, 120, Infinity).map((b) => b.time), [125]);
    assert.equal(boundaries(timeline, -Infinity, Infinity).length, timeline.segments.length);
    assert.equal(boundaries(timeline, 18, 19)[0].segment, timeline.segments[7]);
  });

  test('endAtBoundary is the end of the segment holding t', () => {
    assert.equal(endAtBoundary(timeline, 6), 7); // mid-exhale: finish the lift
    assert.equal(endAtBoundary(timeline, 7), 8.5); // a start belongs to its segment
    assert.equal(endAtBoundary(timeline, 20), 28); // in a rest
    assert.equal(endAtBoundary(timeline, 90), 96); // mid-hold
    assert.equal(endAtBoundary(timeline, -1), 5);
    assert.equal(endAtBoundary(timeline, 500), 127);
  });

  test('itemStart is the first movement phase of an item', () => {
    assert.equal(itemStart(timeline, 0), 5);
    assert.equal(itemStart(timeline, 1), 84);
    assert.throws(() => itemStart(timeline, 2), RangeError);
  });
});

describe('no drift over 8 hours', () => {
  // 95 items of 3 × 10 reps of 2.3 + 0.7 + 3.1 s with 45.5 s rests: 28,855 s of session.
  const phases = [
    { name: 'lift', movement: 'up', breath: 'exhale', seconds: 2.3, effort: true },
    { name: 'top', movement: 'hold', breath: 'pause', seconds: 0.7 },
    { name: 'lower', movement: 'down', breath: 'inhale', seconds: 3.1 },
  ];
  const items = Array.from({ length: 95 }, (_, k) => bridge({ slug: `x${k}`, phases, sets: 3, reps: 10, rest_seconds: 45.5 }));
  const timeline = buildTimeline({ items });

  // The expected starts in ms, by multiplication from each item's period: no running sum.
  const expected = [[0, 'lead-in']];
  for (let k = 0; k < 95; k += 1) {
    const itemMs = 5000 + k * 304000;
    if (k > 0) expected.push([itemMs - 30000, 'rest']);
    for (let s = 0; s < 3; s += 1) {
      const setMs = itemMs + s * (61000 + 45500);
      if (s > 0) expected.push([setMs - 45500, 'rest']);
      for (let r = 0; r < 10; r += 1) {
        for (const [offset, name] of [[0, 'lift'], [2300, 'top'], [3000, 'lower']]) {
          expected.push([setMs + r * 6100 + offset, name, k, s + 1, r + 1]);
        }
      }
    }
  }

  test('every segment starts exactly where the prescription puts it', () => {
    assert.ok(timeline.duration >= 8 * 3600);
    assert.equal(timeline.duration, 28855);
    assert.equal(timeline.segments.length, expected.length);
    expected.forEach(([ms, name, k, set, rep], i) => {
      const segment = timeline.segments[i];
      assert.equal(segment.start, ms / 1000, `segment ${i}`);
      assert.equal(segment.phase ? segment.phase.name : segment.type, name);
      if (segment.phase) assert.deepEqual([segment.itemIndex, segment.set, segment.rep], [k, set, rep]);
    });
  });

  test('at() one millisecond either side of every boundary picks the right segment', () => {
    for (let i = 1; i < timeline.segments.length; i += 1) {
      const t = expected[i][0] / 1000;
      assert.equal(at(timeline, t - 0.001).segmentIndex, i - 1);
      assert.equal(at(timeline, t).segmentIndex, i);
      assert.equal(at(timeline, t + 0.001).segmentIndex, i);
    }
    const late = at(timeline, 28000.25);
    assert.ok(late.progress >= 0 && late.progress < 1);
  });

  test('a running float sum of the same durations would have drifted (the check above can fail)', () => {
    let sum = 0;
    let drifted = 0;
    timeline.segments.forEach((segment, i) => {
      if (sum !== expected[i][0] / 1000) drifted += 1;
      sum += segment.phase ? segment.phase.seconds : segment.end - segment.start;
    });
    assert.ok(drifted > 0);
  });
});

describe('run clock', () => {
  const timeline = buildTimeline({ restBetweenExercises: 20, items: [bridge(), plank()] });

  test('starts on start(), runs with the clock and stops at the end', () => {
    const ready = createRun(timeline);
    assert.equal(status(ready, 50), 'ready');
    assert.equal(elapsed(ready, 50), 0);
    const run = start(ready, 100);
    assert.equal(start(run, 200), run);
    assert.equal(elapsed(run, 100), 0);
    assert.equal(elapsed(run, 107.5), 7.5);
    assert.equal(elapsed(run, 99), 0);
    assert.equal(status(run, 107.5), 'running');
    assert.equal(elapsed(run, 1000), 127);
    assert.equal(status(run, 1000), 'finished');
    assert.equal(countIn(run, 100), 0);
  });

  test('pause freezes elapsed; resume counts in 3-2-1 and then carries on', () => {
    const run = start(createRun(timeline), 100);
    const paused = pause(run, 107);
    assert.equal(pause(paused, 150), paused);
    assert.equal(elapsed(paused, 107), 7);
    assert.equal(elapsed(paused, 500), 7);
    assert.equal(status(paused, 500), 'paused');
    assert.equal(countIn(paused, 500), 0);

    const resumed = resume(paused, 200);
    assert.equal(resume(resumed, 201), resumed);
    assert.deepEqual(
      [200, 200.5, 201, 201.2, 202, 202.999, 203].map((now) => countIn(resumed, now)),
      [3, 3, 2, 2, 1, 1, 0],
    );
    assert.deepEqual([200, 201.5, 202.999, 203].map((now) => elapsed(resumed, now)), [7, 7, 7, 7]);
    assert.equal(status(resumed, 201), 'counting-in');
    assert.equal(status(resumed, 203), 'running');
    assert.equal(elapsed(resumed, 204.5), 8.5);

    // A pause during the count-in keeps the paused time.
    const again = pause(resumed, 201);
    assert.equal(elapsed(again, 300), 7);
    assert.equal(countIn(resume(again, 300), 301.5), 2);

    assert.throws(() => resume(createRun(timeline), 5), /has not started/);
    assert.throws(() => elapsed(run, undefined), TypeError);
  });

  test('the count-in ticks on whole seconds with a real clock reading', () => {
    // performance.now() / 1000 values are not exact: 4093.037 + 3 - (4093.037 + 1) is 2.0000000000005.
    const now = 4093.037;
    const resumed = resume(pause(start(createRun(timeline), 4000), 4007), now);
    assert.deepEqual([0, 1, 2, 3].map((k) => countIn(resumed, now + k)), [3, 2, 1, 0]);
    assert.equal(elapsed(resumed, now + 2.5), 7);
    assert.equal(at(timeline, elapsed(resumed, now + 3)).segmentIndex, 2);
  });

  test('skip jumps to the start of the next segment', () => {
    const run = start(createRun(timeline), 100);
    const skipped = skip(run, 106, timeline); // in 'lift' 5–7
    assert.equal(elapsed(skipped, 106), 7);
    assert.equal(at(timeline, elapsed(skipped, 106)).phase.name, 'top');
    assert.equal(elapsed(skipped, 107.5), 8.5);
    assert.equal(elapsed(skip(skipped, 106, timeline), 106), 8.5);

    const paused = skip(pause(run, 120), 130, timeline); // at 20, a rest 18–28
    assert.equal(status(paused, 135), 'paused');
    assert.equal(elapsed(paused, 135), 28);

    const counting = skip(resume(pause(run, 106), 200), 201, timeline); // count-in until 203
    assert.equal(countIn(counting, 201), 2);
    assert.equal(elapsed(counting, 202), 7);
    assert.equal(elapsed(counting, 204), 8);

    const last = skip(seek(run, 150, 126), 150, timeline);
    assert.equal(elapsed(last, 150), 127);
    assert.equal(status(last, 150), 'finished');
    assert.equal(elapsed(skip(last, 150, timeline), 150), 127);
  });

  test('seek moves session time, clamped, keeping running or paused', () => {
    const run = start(createRun(timeline), 100);
    const moved = seek(run, 110, 84);
    assert.equal(elapsed(moved, 110), 84);
    assert.equal(elapsed(moved, 112), 86);
    assert.equal(elapsed(seek(run, 110, -5), 110), 0);
    assert.equal(elapsed(seek(run, 110, 1e6), 110), 127);
    const paused = seek(pause(run, 105), 110, 50);
    assert.equal(elapsed(paused, 999), 50);
    assert.equal(status(paused, 999), 'paused');
    const unstarted = seek(createRun(timeline), 0, 64);
    assert.equal(elapsed(unstarted, 0), 64);
    assert.equal(elapsed(start(unstarted, 10), 12), 66);
    assert.throws(() => seek(run, 110, NaN), TypeError);
  });

  test('a run survives a JSON round trip in every state', () => {
    const ready = createRun(timeline);
    const running = start(ready, 100);
    const paused = pause(running, 110);
    const counting = resume(paused, 300);
    const runs = [ready, running, paused, counting, seek(counting, 301, 90)];
    for (const run of runs) {
      const revived = JSON.parse(JSON.stringify(run));
      assert.deepEqual(revived, run);
      for (const now of [0, 100, 110, 300, 301.5, 303, 310, 9999]) {
        assert.equal(elapsed(revived, now), elapsed(run, now));
        assert.equal(countIn(revived, now), countIn(run, now));
        assert.equal(status(revived, now), status(run, now));
      }
    }
    assert.deepEqual(Object.values(counting).map((v) => typeof v), ['number', 'number', 'number', 'object']);
    assert.equal(elapsed(JSON.parse(JSON.stringify(counting)), 305), 12);
  });
});

describe('breathChanges', () => {
  const timeline = buildTimeline({ restBetweenExercises: 20, items: [bridge({ sets: 1 }), plank({ sets: 1, hold_seconds: 12 })] });

  test('lists each segment start with its breath, and the turns inside a breathe hold', () => {
    // bridge 5–18, rest 18–38, plank: set 38–40, hold 40–52 (in 40, out 42, in 45, out 47, in 50), down 52–54.
    assert.deepEqual(
      breathChanges(timeline, 0, Infinity).map((c) => [c.time, c.breath, c.segmentIndex, c.segmentStart]),
      [
        [0, 'rest', 0, true],
        [5, 'exhale', 1, true], [7, 'hold', 2, true], [8.5, 'inhale', 3, true],
        [11.5, 'exhale', 4, true], [13.5, 'hold', 5, true], [15, 'inhale', 6, true],
        [18, 'rest', 7, true],
        [38, 'inhale', 8, true],
        [40, 'inhale', 9, true], [42, 'exhale', 9, false], [45, 'inhale', 9, false],
        [47, 'exhale', 9, false], [50, 'inhale', 9, false],
        [52, 'exhale', 10, true],
      ],
    );
  });

  test('keeps to [from, to) and agrees with at() at every change', () => {
    assert.deepEqual(breathChanges(timeline, 42, 47).map((c) => c.time), [42, 45]);
    assert.deepEqual(breathChanges(timeline, 41.9, 42.1).map((c) => c.breath), ['exhale']);
    assert.deepEqual(breathChanges(timeline, 47, 47), []);
    assert.deepEqual(breathChanges(timeline, 60, 70), []);
    for (const change of breathChanges(timeline, 0, Infinity)) {
      assert.equal(at(timeline, change.time).breathing.breath, change.breath, `at ${change.time}`);
      assert.equal(at(timeline, change.time).segmentIndex, change.segmentIndex);
    }
    assert.throws(() => breathChanges(timeline, NaN, 5), TypeError);
  });
});
