// Tests for web/static/js/runner.js — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { buildTimeline } from '../../web/static/js/pacer.js';
import { sessionRecord } from '../../web/static/js/questions.js';
import {
  activeAt, answered, end, finish, frame, held, hurts, itemEnds, next, noteReached, previous, skipPhase,
} from '../../web/static/js/runner.js';

const phases = [
  { name: 'up', movement: 'up', breath: 'exhale', seconds: 2, effort: true },
  { name: 'down', movement: 'down', breath: 'inhale', seconds: 3 },
];
// bridge: lead-in 0–5, set 1 5–15, rest 15–25, set 2 25–35; rest 35–45; clam (per side, 1 set of 2):
// left 45–55, switch 55–58, right 58–68.
const timeline = buildTimeline({
  restBetweenExercises: 10,
  items: [
    { key: '0-bridge', slug: 'bridge', kind: 'reps', phases, sets: 2, reps: 2, rest_seconds: 10 },
    { key: '1-clam', slug: 'clam', kind: 'reps', per_side: true, phases, sets: 1, reps: 2, rest_seconds: 0 },
  ],
});

const fresh = () => ({
  id: 'x', kind: 'today', title: 'T', started_at: '2026-11-23T08:00:00.000Z',
  reached: {}, answers: {}, asked: [], endAt: null,
});

/** The session played without a jump from `from` to `to`, as the screen's frames note it. */
function play(state, from, to) {
  for (let t = from; t <= to; t += 0.25) noteReached(state, timeline, activeAt(timeline, t), t);
}

const saved = (state) => Object.fromEntries(sessionRecord(state, timeline, '2026-11-23T08:10:00.000Z')
  .exercises.map((e) => [e.slug, [e.sets_done, e.reps_done, e.skipped]]));

describe('where the session is', () => {
  test('a rest before an exercise belongs to the one just done; the lead-in to none', () => {
    assert.deepEqual([2, 6, 20, 40, 56, 60].map((t) => activeAt(timeline, t)), [null, 0, 0, 0, 1, 1]);
    assert.deepEqual(itemEnds(timeline), [35, 68]);
  });
});

describe('Next', () => {
  test('Next on the last exercise as it starts skips it, and leaves the one before as it was', () => {
    // The reviewer's case: 3 s of the bridge, Next (its questions), then Next twice more.
    const state = fresh();
    play(state, 0, 8);
    assert.deepEqual(next(state, timeline, 8), { action: 'ask', item: 0, resumeAt: 45, stopAt: 8 });
    state.asked.push('0-bridge');
    assert.deepEqual(next(state, timeline, 45), { action: 'finish', item: 1 });
    assert.deepEqual(finish(state, timeline, 45, 1), { action: 'complete' });
    assert.deepEqual(saved(state), { bridge: [0, 0, true], clam: [0, 0, true] });
  });

  test('Next in the rest after a finished exercise goes on and skips nothing', () => {
    const state = fresh();
    play(state, 0, 40);
    state.asked.push('0-bridge');
    assert.deepEqual(next(state, timeline, 40), { action: 'seek', to: 45 });
    play(state, 45, 50);
    assert.deepEqual(saved(state), { bridge: [2, 4, false], clam: [0, 0, true] }); // clam: begun, not done
  });

  test('Next in the lead-in goes to the first exercise', () => {
    assert.deepEqual(next(fresh(), timeline, 2), { action: 'seek', to: 5 });
  });

  test('Next skips the rest but not the time to get into position; in it, Next starts the movement', () => {
    // standing bridge 5–15 (1 set), rest 15–25, position 25–37 (standing → supine), clam 37–…
    const placed = buildTimeline({
      restBetweenExercises: 10,
      items: [
        { key: '0-bridge', slug: 'bridge', kind: 'reps', position: 'standing', phases, sets: 1, reps: 2, rest_seconds: 0 },
        { key: '1-clam', slug: 'clam', kind: 'reps', position: 'supine', phases, sets: 1, reps: 2, rest_seconds: 0 },
      ],
    });
    const state = { ...fresh(), asked: ['0-bridge'] };
    assert.deepEqual(next(state, placed, 18), { action: 'seek', to: 25 });
    assert.deepEqual(next(state, placed, 30), { action: 'seek', to: 37 });
    assert.equal(activeAt(placed, 30), 0); // getting into position: nothing of the clam done yet
  });

  test('an exercise left with Next is not done by the rest and position time after it', () => {
    const state = fresh();
    play(state, 0, 8);
    next(state, timeline, 8);
    play(state, 35, 44); // the rest after the bridge: frames still note the bridge
    assert.deepEqual(saved(state).bridge, [0, 0, true]);
  });
});

describe('Skip phase', () => {
  test('a movement phase skipped is a rep not done, and the exercise counts as skipped', () => {
    const state = fresh();
    play(state, 0, 11);
    skipPhase(state, timeline, 11); // the lift of rep 2 of set 1 (10–12)
    play(state, 12, 35);
    assert.deepEqual(saved(state), { bridge: [1, 3, true] });
  });

  test('skipping a rest changes nothing', () => {
    const state = fresh();
    play(state, 0, 16);
    skipPhase(state, timeline, 16);
    play(state, 25, 35);
    assert.deepEqual(saved(state), { bridge: [2, 4, false] });
  });
});

describe('End', () => {
  test('during a movement it waits for the end of the phase', () => {
    assert.deepEqual(end(fresh(), timeline, 6, false), { action: 'wait', endAt: 7 });
  });

  test('during a rest, paused, or asked twice, it ends now', () => {
    assert.deepEqual(end(fresh(), timeline, 20, false), { action: 'finish', at: 15, item: 0 });
    assert.deepEqual(end(fresh(), timeline, 40, false), { action: 'finish', at: 35, item: 0 });
    assert.deepEqual(end(fresh(), timeline, 56, false), { action: 'finish', at: 55, item: 1 });
    assert.deepEqual(end(fresh(), timeline, 6, true), { action: 'finish', at: 6, item: 0 });
    assert.deepEqual(end({ ...fresh(), endAt: 7 }, timeline, 6, false), { action: 'finish', at: 6, item: 0 });
  });

  test('ended mid-exercise, it is asked about and saved as skipped with what was reached', () => {
    const state = fresh();
    play(state, 0, 20);
    assert.deepEqual(end(state, timeline, 20, false), { action: 'finish', at: 15, item: 0 });
    assert.deepEqual(finish(state, timeline, 15, 0), { action: 'ask', item: 0 });
    assert.deepEqual(saved(state), { bridge: [1, 2, true] });
  });
});

describe('Previous', () => {
  test('an exercise done again starts its record over', () => {
    const state = fresh();
    play(state, 0, 12);
    next(state, timeline, 12);
    state.asked.push('0-bridge');
    assert.deepEqual(previous(state, timeline, 46), { item: 0, to: 5 }); // within 3 s: the one before
    assert.deepEqual([state.asked, state.skipped], [[], []]);
    play(state, 5, 40);
    assert.deepEqual(saved(state), { bridge: [2, 4, false] });
  });

  test('after 3 s it restarts the exercise in hand', () => {
    assert.deepEqual(previous(fresh(), timeline, 12).item, 0);
    assert.deepEqual(previous(fresh(), timeline, 50).item, 1);
  });
});

describe('a session in progress', () => {
  test('says what discarding it would lose', () => {
    assert.deepEqual(held(fresh()), { answered: 0, maxPain: null });
    const state = { ...fresh(), answers: { '0-bridge': { pain: 7 }, '1-clam': { effort: 2, pain: 1 }, '2-x': {} } };
    assert.deepEqual(held(state), { answered: 2, maxPain: 7 });
  });
});

describe('frames, "It hurts" and the answers', () => {
  test('an exercise that ends is asked about once, then the session goes on after it', () => {
    const state = fresh();
    assert.equal(frame(state, timeline, 0, 34.9, false), null);
    assert.deepEqual(frame(state, timeline, 0, 35.01, false), { action: 'ask', item: 0, resumeAt: 35, stopAt: 35 });
    state.asking = { key: '0-bridge', index: 0, resumeAt: 35 };
    assert.deepEqual(answered(state), { action: 'continue', at: 35 });
    assert.deepEqual([state.asked, state.asking], [['0-bridge'], null]);
    assert.equal(frame(state, timeline, 0, 36, false), null);
  });

  test('the last exercise is asked about with nothing after it; the end of the run finishes', () => {
    const state = { ...fresh(), asked: ['0-bridge'] };
    assert.deepEqual(frame(state, timeline, 1, 68, false), { action: 'ask', item: 1, resumeAt: null, stopAt: 68 });
    state.asked.push('1-clam');
    assert.deepEqual(frame(state, timeline, 1, 68, true), { action: 'finish', at: 68, item: 1 });
  });

  test("End's boundary reached finishes there", () => {
    const state = { ...fresh(), endAt: 7 };
    assert.deepEqual(frame(state, timeline, 0, 7.01, false), { action: 'finish', at: 7, item: 0 });
  });

  test('"It hurts" asks about the exercise in hand, pain first, and goes on from there', () => {
    assert.deepEqual(hurts(timeline, 20), { action: 'ask', item: 0, resumeAt: 20, stopAt: 20, painFirst: true });
    assert.equal(hurts(timeline, 2).item, 0, 'in the lead-in: the first exercise');
  });

  test('Stop the session completes, whatever comes after', () => {
    const state = { ...fresh(), asking: { key: '0-bridge', index: 0, resumeAt: 45 } };
    assert.deepEqual(answered(state, true), { action: 'complete' });
  });
});
