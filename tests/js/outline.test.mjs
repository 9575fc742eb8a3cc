// Tests for web/static/js/outline.js — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  PLAN_RULES, doneSoFar, doneWords, figuresLine, hasPage, needs, planNews, planWords, worked,
} from '../../web/static/js/outline.js';

const exercise = (slug, fields = {}) => ({ slug, sets_done: 2, reps_done: 16, skipped: false, ...fields });
const session = (day, fields = {}) => ({
  id: `${day}-${Math.random()}`, kind: 'plan', title: 'Today’s session', day, started_at: `${day}T18:00:00Z`,
  exercises: [exercise('glute-bridge')], ...fields,
});

describe('needs', () => {
  const items = [
    { slug: 'cat-camel', position: 'quadruped', equipment: ['mat'] },
    { slug: 'glute-bridge', position: 'supine', equipment: ['mat'] },
    { slug: 'sit-to-stand', position: 'standing', equipment: ['chair'] },
    { slug: 'dead-bug', position: 'supine', equipment: ['mat'] },
  ];

  test('says the time, each position once in session order, and each piece of equipment once', () => {
    assert.deepEqual(needs(items, 14 * 60 + 20), {
      minutes: 14,
      positions: ['on hands and knees', 'lying on your back', 'standing'],
      equipment: ['mat', 'chair'],
    });
  });

  test('knows when nothing is needed, and when the catalogue does not say', () => {
    assert.deepEqual(needs([{ slug: 'x', position: 'seated', equipment: [] }], 20).equipment, []);
    assert.equal(needs([{ slug: 'x', position: 'seated' }], 20).equipment, null);
    assert.equal(needs([{ slug: 'x', position: 'seated' }], 20).minutes, 1);
    assert.deepEqual(needs([{ slug: 'x', position: 'standing', equipment: ['step', 'weight'] }], 60).equipment,
      ['step or box', 'kettlebell or dumbbell']);
  });

  test('a paced breathing practice has no catalogue page', () => {
    assert.equal(hasPage({ slug: 'paced-breathing-4-6' }), false);
    assert.equal(hasPage({ slug: 'crocodile-breathing' }), true);
  });
});

describe('worked and doneSoFar', () => {
  test('a session of only skipped exercises with nothing done is not work done', () => {
    assert.equal(worked(session('2025-03-18', { exercises: [exercise('a', { sets_done: 0, reps_done: 0, skipped: true })] })), false);
    assert.equal(worked(session('2025-03-18', { exercises: [] })), false);
    // Part of a set counts: some reps were done.
    assert.equal(worked(session('2025-03-18', { exercises: [exercise('a', { sets_done: 0, reps_done: 3, skipped: true })] })), true);
  });

  test('counts today’s sessions and the week’s, with work done only, from the week’s first day', () => {
    const skipped = session('2025-03-20', { exercises: [exercise('a', { sets_done: 0, reps_done: 0, skipped: true })] });
    const sessions = [
      session('2025-03-20'), skipped, session('2025-03-18', { kind: 'single', title: 'Glute bridge' }),
      session('2025-03-16'), // the week before
      session('2025-03-21'), // a later day (a clock put back): not counted yet
    ];
    const sofar = doneSoFar(sessions, '2025-03-20', '2025-03-17');
    assert.equal(sofar.today.length, 1);
    assert.equal(sofar.planDone, true);
    assert.equal(sofar.week, 2);
    assert.deepEqual(doneWords(sofar), { title: 'Today’s session is done', week: '2 sessions this week' });
  });

  test('only a skipped session today: nothing is done', () => {
    const skipped = session('2025-03-20', { exercises: [exercise('a', { sets_done: 0, reps_done: 0 })] });
    const sofar = doneSoFar([skipped], '2025-03-20', '2025-03-17');
    assert.deepEqual([sofar.today.length, sofar.planDone, sofar.week], [0, false, 0]);
    assert.equal(doneWords(sofar), null);
  });

  test('another kind of session today names what was done, and today’s session is still to do', () => {
    const sofar = doneSoFar([session('2025-03-20', { kind: 'breath', title: 'Crocodile breathing' })], '2025-03-20', '2025-03-17');
    assert.equal(sofar.planDone, false);
    assert.deepEqual(doneWords(sofar), { title: 'Done today: Crocodile breathing', week: '1 session this week' });
  });
});

describe('figuresLine', () => {
  test('exercises and sets for a session, breaths for a breath practice', () => {
    assert.equal(figuresLine({ kind: 'plan' }, { exercises: 5, sets: 1, reps: 40, minutes: 14 }), '5 exercises, 1 set, about 14 min');
    assert.equal(figuresLine({ kind: 'breath' }, { exercises: 1, sets: 0, reps: 18, minutes: 3 }), '18 breaths, about 3 min');
    assert.equal(figuresLine({ kind: 'single' }, { exercises: 1, sets: 0, reps: 0, minutes: 0 }), '1 exercise, 0 sets, under a minute');
  });
});

describe('planNews', () => {
  const record = { day: '2025-03-20', exercises: [exercise('glute-bridge'), exercise('cat-camel')] };
  const change = (fields) => ({ day: '2025-03-20', rule: 'cut_a_set_after_hard_sessions', reason: 'Effort 8 twice running in Glute bridge, so one set fewer next time.', before: { slug: 'glute-bridge' }, after: { slug: 'glute-bridge' }, ...fields });

  test('is the new changes about this session’s exercises', () => {
    const old = change({ day: '2025-03-18', reason: 'Two easy sessions: one step up.' });
    const fresh = change({});
    assert.deepEqual(planNews([old], [fresh, old], record), [fresh]);
  });

  test('leaves out what was known before, other exercises, and changes older than the session', () => {
    const fresh = change({});
    const elsewhere = change({ before: { slug: 'dead-bug' }, after: { slug: 'dead-bug' } });
    const older = change({ day: '2025-03-19' });
    assert.deepEqual(planNews([fresh], [fresh, elsewhere, older], record), []);
    // A swap in counts by the exercise it replaced.
    const swapped = change({ rule: 'rotate', before: { slug: 'cat-camel' }, after: { slug: 'open-book' } });
    assert.deepEqual(planNews(undefined, [swapped], record), [swapped]);
  });
});

describe('planWords', () => {
  const record = { kind: 'plan', exercises: [] };

  test('signed out: what an account adds, with a way to sign in', () => {
    const said = planWords(record, { plan: 'signed-out' });
    assert.equal(said.signIn, true);
    assert.match(said.lines[0], /Signed in, a plan reads every session/);
    assert.equal(said.lines[1], PLAN_RULES);
    assert.equal(planWords({ kind: 'breath' }, { plan: 'signed-out' }).lines.length, 1);
  });

  test('signed in: the plan’s own reasons when it changed, else that nothing changes yet', () => {
    const reason = 'Effort 8 twice running in Glute bridge, so one set fewer next time.';
    assert.deepEqual(planWords(record, { plan: 'read', news: [{ reason }] }).lines, [reason]);
    const none = planWords(record, { plan: 'read', news: [] });
    assert.equal(none.lines[0], 'Nothing in your plan changes from this session yet.');
    assert.equal(none.signIn, false);
    assert.match(planWords(record, { plan: 'waiting' }).lines[0], /Once it reaches your account/);
  });
});
