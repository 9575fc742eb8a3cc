// Tests for the pure parts of web/static/js/pacer-view.js (the shape's size and the words).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { at, buildTimeline } from '../../web/static/js/pacer.js';
import {
  announcement, countFor, exerciseLine, lungLevel, setWords, sideWords, wordsFor,
} from '../../web/static/js/pacer-view.js';

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
  test('the breath said once, the movement on its own; a rest says what comes next', () => {
    const words = (t) => wordsFor(at(timeline, t));
    assert.deepEqual(words(0), { big: 'Get ready', movement: 'Glute bridge' });
    assert.deepEqual(words(5), { big: 'Breathe out', movement: 'drive the hips up' });
    assert.deepEqual(words(7.5), { big: 'Hold', movement: 'hold the top' });
    assert.deepEqual(words(9), { big: 'Breathe in', movement: 'lower the hips slowly' });
    assert.deepEqual(words(18.5), { big: 'Rest', movement: 'breathe easy — next: set 2 of 2' });
    const beforePlank = timeline.segments.find((s) => s.type === 'rest' && s.itemIndex === 1);
    assert.deepEqual(words(beforePlank.start), { big: 'Rest', movement: 'breathe easy' });
    assert.equal(exerciseLine(at(timeline, beforePlank.start)), 'Next: Side bridge · left side working');
    const hold = timeline.segments.find((s) => s.phase?.name === 'hold');
    assert.deepEqual(words(hold.start + 2.5), { big: 'Breathe out', movement: 'hold a long line' });
    const switching = timeline.segments.find((s) => s.type === 'switch-sides');
    assert.deepEqual(words(switching.start), { big: 'Switch sides', movement: 'Right side working' });
  });

  test('no word is said twice', () => {
    for (const s of timeline.segments) {
      const { big, movement } = wordsFor(at(timeline, s.start + 0.01));
      assert.ok(!/breathe (in|out)/i.test(movement), `${big} / ${movement}`);
      assert.ok(!/^(inhale|exhale|hold|keep breathing) —/.test(movement), movement);
    }
  });
});

describe('sides', () => {
  test('lying on that side, or that side working', () => {
    assert.equal(sideWords({ sides: 'lying' }, 'left'), 'lying on your left side');
    assert.equal(sideWords({ sides: 'working' }, 'right'), 'right side working');
    assert.equal(sideWords({}, 'right'), 'right side working');
    assert.equal(sideWords({ sides: 'lying' }, null), '');
  });

  test('a side-lying exercise: get into position on the left side, switch onto the right', () => {
    const clam = {
      slug: 'clamshell', name: 'Clamshell', kind: 'reps', per_side: true, sides: 'lying', position: 'side-lying',
      phases: bridge.phases, sets: 1, reps: 1, rest_seconds: 0,
      cues: [{ text: 'Hips stacked.', phase: 'setup' }],
    };
    const t = buildTimeline({ items: [{ ...bridge, position: 'standing' }, clam] });
    const position = t.segments.find((s) => s.type === 'position');
    assert.deepEqual(wordsFor(at(t, position.start)), { big: 'Get into position', movement: 'Lie on your left side' });
    assert.equal(at(t, position.start).cue, 'Hips stacked.');
    assert.equal(exerciseLine(at(t, position.start)), 'Clamshell · lying on your left side');
    const switching = t.segments.find((s) => s.type === 'switch-sides');
    assert.deepEqual(wordsFor(at(t, switching.start)), { big: 'Switch sides', movement: 'Lying on your right side' });
    assert.equal(switching.end - switching.start, 10);
  });
});

describe('counts', () => {
  test('a big rep count in a movement, seconds left in a hold and a rest', () => {
    assert.deepEqual(countFor(at(timeline, 5)), { big: '1', label: 'rep 1 of 2' });
    assert.deepEqual(countFor(at(timeline, 12)), { big: '2', label: 'rep 2 of 2' });
    assert.deepEqual(countFor(at(timeline, 18.5)), { big: '6 s', label: '' });
    assert.deepEqual(countFor(at(timeline, 0.2)), { big: '5 s', label: '' });
    const hold = timeline.segments.find((s) => s.phase?.name === 'hold');
    assert.deepEqual(countFor(at(timeline, hold.start + 2.5)), { big: '7 s', label: 'hold 1 of 2' });
  });

  test('free breathing counts down minutes and seconds', () => {
    const walk = {
      slug: 'walking', name: 'Walking', kind: 'hold', phases: [{ name: 'walk', movement: 'walk at an easy pace', breath: 'free', seconds: 600 }],
      sets: 1, reps: 1, rest_seconds: 0,
    };
    const t = buildTimeline({ leadIn: 5, items: [walk] });
    assert.deepEqual(countFor(at(t, 5)), { big: '10:00', label: '' });
    assert.deepEqual(countFor(at(t, 5 + 61.5)), { big: '8:59', label: '' });
    assert.deepEqual(wordsFor(at(t, 6)), { big: 'Easy breathing', movement: 'walk at an easy pace — never hold your breath' });
    assert.equal(announcement(at(t, 5)), 'Easy breathing. Walk at an easy pace. 10:00 minutes.');
  });

  test('between brisk bouts of walking the rest is easy walking; other rests are rests', () => {
    const brisk = {
      slug: 'brisk-walking', name: 'Brisk walking', kind: 'hold', pattern: 'gait',
      phases: [{ name: 'walk', movement: 'walk briskly', breath: 'free', seconds: 20 }],
      sets: 2, reps: 1, rest_seconds: 10,
    };
    const t = buildTimeline({ leadIn: 0, items: [brisk] });
    const rest = t.segments.find((s) => s.type === 'rest' && s.set === 2);
    assert.deepEqual(wordsFor(at(t, rest.start + 1)), { big: 'Easy walking', movement: 'keep walking gently — next: set 2 of 2' });
    const carry = buildTimeline({ leadIn: 0, items: [{ ...brisk, pattern: 'carry' }] });
    const still = carry.segments.find((s) => s.type === 'rest' && s.set === 2);
    assert.equal(wordsFor(at(carry, still.start + 1)).big, 'Rest');
  });

  test('in a rest between sets, the set just done', () => {
    assert.equal(setWords(at(timeline, 18.5)), 'Set 1 of 2 done');
    assert.equal(setWords(at(timeline, 5)), 'Set 1 of 2');
    const beforePlank = timeline.segments.find((s) => s.type === 'rest' && s.itemIndex === 1);
    assert.equal(setWords(at(timeline, beforePlank.start)), '');
  });
});

describe('announcement', () => {
  test('short: the movement on a set’s first rep, then only the breath', () => {
    const said = timeline.segments.map((s) => announcement(at(timeline, s.start)));
    assert.deepEqual(said.slice(0, 8), [
      'Get ready: Glute bridge.',
      'Set 1 of 2. Breathe out: drive the hips up.',
      'Hold: hold the top.',
      'Breathe in: lower the hips slowly.',
      '2. Breathe out.',
      'Hold.',
      'Breathe in.',
      'Rest 6 seconds. Next: set 2.',
    ]);
    for (const text of said) assert.ok(text.length <= 60, text);
  });
});
