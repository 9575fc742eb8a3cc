// Tests for web/static/js/pacer.js: getting into position, switching sides, set-up cues and
// cues taking turns, free breathing, and no count-in into a rest.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  CUE_SECONDS, POSITIONS, at, breathChanges, buildTimeline, countIn, countInFor, createRun, pause, positionSeconds,
  positionStart, resume, start, status, switchSeconds,
} from '../../web/static/js/pacer.js';
import { toItem } from '../../web/static/js/prescribe.js';

// Catalogue-shaped exercises (as GET /api/exercises gives them), with the new fields.
const squat = {
  slug: 'goblet-squat', name: 'Goblet squat', kind: 'reps', position: 'standing', per_side: false,
  phases: [
    { name: 'lower', movement: 'sit down between the heels', breath: 'inhale', seconds: 3 },
    { name: 'rise', movement: 'stand up', breath: 'exhale', seconds: 2, effort: true },
  ],
  dose: { sets: 2, reps: 3, rest_seconds: 20 },
  cues: [
    { text: 'Feet a little wider than the hips.', phase: 'setup' },
    { text: 'Knees over the toes.', phase: 'lower' },
    { text: 'Chest tall.', phase: 'lower' },
    { text: 'Push the floor away.', phase: 'rise' },
  ],
};
const clamshell = {
  slug: 'clamshell', name: 'Clamshell', kind: 'reps', position: 'side-lying', per_side: true, sides: 'lying',
  phases: [
    { name: 'open', movement: 'lift the top knee', breath: 'exhale', seconds: 2, effort: true },
    { name: 'close', movement: 'lower the knee', breath: 'inhale', seconds: 3 },
  ],
  dose: { sets: 1, reps: 2, rest_seconds: 0 },
  cues: [
    { text: 'Hips stacked, heels in line with the buttocks.', phase: 'setup' },
    { text: 'Open only as far as the pelvis stays still.', phase: 'open' },
    { text: 'Feet stay together.', phase: 'open' },
    { text: 'Slowly.', phase: 'close' },
  ],
};
const walking = {
  slug: 'walking', name: 'Walking', kind: 'hold', position: 'standing', per_side: false,
  phases: [{ name: 'walk', movement: 'walk at an easy, steady pace', breath: 'free', seconds: 300 }],
  dose: { sets: 1, reps: 1, rest_seconds: 0 },
  cues: [{ text: 'You can talk but not sing.', phase: 'walk' }, { text: 'Arms swing.', phase: 'walk' }],
};

const session = (exercises, extra = {}) => buildTimeline({ ...extra, items: exercises.map((e) => toItem(e)) });

describe('positionSeconds', () => {
  test('sized by the positions: a few seconds in place, 8–12 s on and off the floor', () => {
    assert.equal(positionSeconds('standing', 'standing'), 3);
    assert.equal(positionSeconds('standing', 'supine'), 12);
    assert.equal(positionSeconds('supine', 'standing'), 12);
    assert.equal(positionSeconds('supine', 'side-lying'), 8);
    assert.equal(positionSeconds('prone', 'quadruped'), 8);
    assert.equal(positionSeconds('quadruped', 'kneeling'), 5);
    assert.equal(positionSeconds('kneeling', 'standing'), 10);
    assert.equal(positionSeconds('seated', 'standing'), 5);
  });

  test('the same both ways, and between 3 and 12 s for every pair', () => {
    for (const a of POSITIONS) {
      for (const b of POSITIONS) {
        assert.equal(positionSeconds(a, b), positionSeconds(b, a), `${a} ↔ ${b}`);
        assert.ok(positionSeconds(a, b) >= 3 && positionSeconds(a, b) <= 12, `${a} → ${b}`);
      }
    }
  });

  test('no segment when a position is unknown', () => {
    assert.equal(positionSeconds(undefined, 'supine'), 0);
    assert.equal(positionSeconds('standing', 'hanging'), 0);
  });

  test('switching sides: rolling over lying on the side takes longest', () => {
    assert.deepEqual(
      ['side-lying', 'kneeling', 'quadruped', 'standing', undefined].map(switchSeconds),
      [10, 8, 6, 3, 3],
    );
  });
});

describe('the timeline with positions', () => {
  test('a get-into-position segment after the rest, sized by the change, showing the set-up cue', () => {
    const timeline = session([squat, clamshell]);
    const types = timeline.segments.filter((s) => s.type !== 'phase').map((s) => [s.type, s.itemIndex, s.end - s.start]);
    assert.deepEqual(types, [
      ['lead-in', 0, 5], ['rest', 0, 20], ['rest', 1, 30], ['position', 1, 12], ['switch-sides', 1, 10],
    ]);
    const position = timeline.segments.find((s) => s.type === 'position');
    assert.deepEqual([position.from, position.to], ['standing', 'side-lying']);
    assert.deepEqual(position.cues, ['Hips stacked, heels in line with the buttocks.']);
    assert.equal(positionStart(timeline, 1), position.start);
    assert.equal(positionStart(timeline, 0), null); // standing already: the lead-in is enough
    const next = timeline.segments[timeline.segments.indexOf(position) + 1];
    assert.deepEqual([next.type, next.itemIndex, next.side], ['phase', 1, 'left']);
  });

  test('a first exercise on the floor: lead-in, then time to get down', () => {
    const timeline = session([clamshell, squat]);
    assert.deepEqual(timeline.segments.slice(0, 2).map((s) => [s.type, s.start, s.end]), [
      ['lead-in', 0, 5], ['position', 5, 17],
    ]);
    const up = timeline.segments.find((s) => s.type === 'position' && s.itemIndex === 1);
    assert.deepEqual([up.from, up.to, up.end - up.start], ['side-lying', 'standing', 12]);
  });

  test('boundaries stay whole milliseconds with positions added', () => {
    const timeline = session([squat, clamshell, squat, clamshell]);
    for (const s of timeline.segments) {
      assert.equal(Math.round(s.start * 1000) / 1000, s.start);
    }
    const last = timeline.segments.at(-1);
    assert.equal(last.end, timeline.duration);
  });

  test('the set-up cue shows while getting ready, resting and switching sides, never in a movement', () => {
    const timeline = session([clamshell, squat]);
    for (const s of timeline.segments) {
      const setup = s.item.cues.find((c) => c.phase === 'setup').text;
      if (s.type === 'phase') assert.ok(!s.cues.includes(setup));
      else assert.deepEqual(s.cues, [setup], `${s.type} of ${s.item.slug}`);
    }
  });

  test('a phase’s cues take turns over the reps, helpful ones first', () => {
    const opens = (timeline) => timeline.segments.filter((s) => s.phase?.name === 'open').map((s) => s.cues[0]);
    assert.deepEqual(opens(session([clamshell])), [
      'Open only as far as the pelvis stays still.', 'Feet stay together.',
      'Open only as far as the pelvis stays still.', 'Feet stay together.',
    ]);
    const liked = buildTimeline({ items: [toItem(clamshell, { helpfulCues: ['Feet stay together.'] })] });
    assert.equal(opens(liked)[0], 'Feet stay together.');
    assert.deepEqual(new Set(opens(liked)), new Set(opens(session([clamshell]))));
  });

  test('every cue of every fixture appears in some segment', () => {
    const timeline = session([squat, clamshell, walking]);
    const shown = timeline.segments.flatMap((s) => s.cues).join('\n');
    for (const e of [squat, clamshell, walking]) {
      for (const cue of e.cues) assert.ok(shown.includes(cue.text), `${e.slug}: ${cue.text}`);
    }
  });

  test('sides say lying or working; working when absent; anything else is refused', () => {
    const timeline = session([clamshell, squat]);
    assert.equal(timeline.items[0].sides, 'lying');
    assert.equal(timeline.items[1].sides, 'working');
    assert.throws(() => buildTimeline({ items: [{ ...toItem(clamshell), sides: 'top' }] }), /sides must be one of working, lying/);
  });

  test('without positions or set-up cues, no position segment and no set-up cue (older data)', () => {
    const { position, ...old } = toItem(squat);
    old.cues = old.cues.filter((c) => c.phase !== 'setup');
    const timeline = buildTimeline({ items: [old, old] });
    assert.ok(!timeline.segments.some((s) => s.type === 'position'));
    assert.ok(timeline.segments.filter((s) => s.type !== 'phase').every((s) => s.cues.length === 0));
  });
});

describe('free breathing', () => {
  const timeline = session([walking]);
  const walk = timeline.segments.find((s) => s.type === 'phase');

  test('one long phase, no in/out turns inside it', () => {
    assert.equal(walk.end - walk.start, 300);
    assert.deepEqual(at(timeline, walk.start + 100).breathing, { breath: 'free', progress: 1 / 3 });
    assert.deepEqual(breathChanges(timeline, walk.start, walk.end).map((c) => c.breath), ['free']);
  });

  test('a hold dose in minutes sets the free phase’s length', () => {
    const longer = buildTimeline({ items: [{ ...toItem(walking), hold_seconds: 600 }] });
    const phase = longer.segments.find((s) => s.type === 'phase');
    assert.equal(phase.end - phase.start, 600);
  });

  test('a long phase shows its cues in turn, each for CUE_SECONDS', () => {
    assert.deepEqual(walk.cues, ['You can talk but not sing.', 'Arms swing.']);
    assert.equal(at(timeline, walk.start + CUE_SECONDS - 0.001).cue, 'You can talk but not sing.');
    assert.equal(at(timeline, walk.start + CUE_SECONDS).cue, 'Arms swing.');
    assert.equal(at(timeline, walk.end - 1).cue, 'Arms swing.');
  });

  test('a short phase shows one cue, the next one at the next rep', () => {
    const short = buildTimeline({ items: [{ ...toItem(walking), hold_seconds: 20, reps: 2 }] });
    assert.deepEqual(short.segments.filter((s) => s.type === 'phase').map((s) => s.cues),
      [['You can talk but not sing.'], ['Arms swing.']]);
  });
});

describe('count-in', () => {
  const timeline = session([squat, clamshell]);
  const rest = timeline.segments.find((s) => s.type === 'rest');
  const position = timeline.segments.find((s) => s.type === 'position');

  test('3-2-1 into a movement, none into a rest or a change of position', () => {
    assert.equal(countInFor(timeline, 5.5), 3);
    assert.equal(countInFor(timeline, rest.start), 0);
    assert.equal(countInFor(timeline, position.start + 1), 0);
  });

  test('resume with no count-in runs at once', () => {
    const run = pause(start(createRun(timeline), 100), 110);
    const resumed = resume(run, 200, 0);
    assert.equal(countIn(resumed, 200), 0);
    assert.equal(status(resumed, 200), 'running');
    assert.equal(countIn(resume(run, 200), 200), 3);
    assert.throws(() => resume(run, 200, 1.5), /lead must be a whole number/);
  });
});
