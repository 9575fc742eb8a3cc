// Tests for the pure parts of web/static/js/pacer-view.js (the shape's size and the words).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { at, buildTimeline } from '../../web/static/js/pacer.js';
import { lungLevel, wordsFor } from '../../web/static/js/pacer-view.js';

const bridge = {
  slug: 'glute-bridge', name: 'Glute bridge', kind: 'reps',
  phases: [
    { name: 'lift', movement: 'drive the hips up', breath: 'exhale', seconds: 2, effort: true },
    { name: 'top', movement: 'hold the top', breath: 'pause', seconds: 1.5 },
    { name: 'lower', movement: 'lower the hips slowly', breath: 'inhale', seconds: 3 },
  ],
  sets: 2, reps: 2, rest_seconds: 6,
};
const plank = {
  slug: 'side-bridge', name: 'Side bridge', kind: 'hold', per_side: true,
  phases: [
    { name: 'up', movement: 'lift the hips', breath: 'exhale', seconds: 2 },
    { name: 'hold', movement: 'hold a long line', breath: 'breathe', seconds: 9 },
    { name: 'down', movement: 'lower', breath: 'inhale', seconds: 2 },
  ],
  sets: 1, reps: 2, rest_seconds: 0,
};
const timeline = buildTimeline({ restBetweenExercises: 8, items: [bridge, plank] });

describe('lungLevel', () => {
  test('the shape never jumps: at most a small step every 10 ms, through phases, holds and rests', () => {
    let last = lungLevel(timeline, at(timeline, 0));
    for (let ms = 10; ms <= timeline.duration * 1000; ms += 10) {
      const level = lungLevel(timeline, at(timeline, ms / 1000));
      assert.ok(level >= 0 && level <= 1, `level ${level} at ${ms} ms`);
      // The steepest eased breath here is 0 → 1 in 2 s: about π/4 per second, under 0.008 per 10 ms.
      assert.ok(Math.abs(level - last) < 0.012, `jump of ${Math.abs(level - last)} at ${ms} ms`);
      last = level;
    }
  });

  test('full at the start of an out-breath, empty at the end; a pause holds', () => {
    const lift = timeline.segments.find((s) => s.phase?.name === 'lift');
    assert.equal(lungLevel(timeline, at(timeline, lift.start)), 1);
    assert.ok(lungLevel(timeline, at(timeline, lift.end - 1e-6)) < 1e-6);
    assert.ok(lungLevel(timeline, at(timeline, lift.end + 0.7)) < 1e-6); // top: a pause after the exhale
    const lower = timeline.segments.find((s) => s.phase?.name === 'lower');
    assert.ok(lungLevel(timeline, at(timeline, lower.end - 1e-6)) > 0.999999);
  });

  test('inside a steady-breathing hold: in for 2 s, out for 3 s', () => {
    const hold = timeline.segments.find((s) => s.phase?.name === 'hold');
    const level = (into) => lungLevel(timeline, at(timeline, hold.start + into));
    assert.ok(level(1) > level(0.5) && level(1.9) > level(1));
    assert.ok(level(3) < level(2.1) && level(4.9) < level(3));
    assert.ok(level(6) > level(5.1));
  });
});

describe('wordsFor', () => {
  test('the breath and its movement, and what comes after a rest', () => {
    const words = (t) => wordsFor(at(timeline, t), timeline);
    assert.deepEqual(words(0), { big: 'Get ready', movement: 'Glute bridge' });
    assert.deepEqual(words(5), { big: 'Breathe out', movement: 'exhale — drive the hips up' });
    assert.deepEqual(words(7.5), { big: 'Hold', movement: 'hold — hold the top' });
    assert.deepEqual(words(9), { big: 'Breathe in', movement: 'inhale — lower the hips slowly' });
    assert.deepEqual(words(18.5), { big: 'Rest', movement: 'breathe easy — next: set 2 of 2' });
    const beforePlank = timeline.segments.find((s) => s.type === 'rest' && s.itemIndex === 1);
    assert.deepEqual(words(beforePlank.start), { big: 'Rest', movement: 'breathe easy — next: Side bridge' });
    const hold = timeline.segments.find((s) => s.phase?.name === 'hold');
    assert.deepEqual(words(hold.start + 2.5), { big: 'Breathe out', movement: 'keep breathing — hold a long line' });
    const switching = timeline.segments.find((s) => s.type === 'switch-sides');
    assert.deepEqual(words(switching.start), { big: 'Switch sides', movement: 'now the right side' });
  });
});

describe('free breathing (walking, carries)', () => {
  const walk = {
    slug: 'brisk-walking', name: 'Brisk walking', kind: 'hold', pattern: 'gait',
    phases: [{ name: 'walk', movement: 'walk briskly', breath: 'free', seconds: 20 }],
    sets: 2, reps: 1, rest_seconds: 10,
  };
  const walking = buildTimeline({ leadIn: 0, items: [walk] });
  const words = (t) => wordsFor(at(walking, t), walking);

  test('says to breathe freely and never paces an in- or out-breath', () => {
    assert.deepEqual(words(5), { big: 'Breathe freely', movement: 'never hold — walk briskly' });
    for (let t = 0; t < 20; t += 0.5) assert.equal(at(walking, t).breathing.breath, 'free');
  });

  test('the shape settles and stays still, with no breath to follow', () => {
    const level = (t) => lungLevel(walking, at(walking, t));
    assert.ok(Math.abs(level(3) - 0.5) < 1e-9 && Math.abs(level(15) - 0.5) < 1e-9);
  });

  test('between brisk bouts of walking the rest is easy walking', () => {
    assert.deepEqual(words(25), { big: 'Easy walking', movement: 'keep walking gently — next: set 2 of 2' });
    const still = buildTimeline({ leadIn: 0, items: [{ ...walk, pattern: 'carry' }] });
    assert.equal(wordsFor(at(still, 25), still).big, 'Rest');
  });
});
