// Tests for web/static/js/plan-core.js — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  checkinDue, isBehind, nextSession, planWeekStart, redFlagRecheck, seasonWords, walkWords,
} from '../../web/static/js/plan-core.js';

// A plan as GET /api/plan gives it: started Monday 3 March 2025, now in its third week.
const plan = {
  started_on: '2025-03-03',
  built_on: '2025-03-17',
  week: 3,
  week_starts_on: '2025-03-17',
  season: 'build',
  season_started_on: '2025-03-17',
  season_week: 1,
  season_ends_on: '2025-04-14',
  cycle: 1,
  sessions: [1, 2, 3].map((number) => ({ number, exercises: [{ slug: `s${number}` }] })),
  recent_changes: [],
};
const done = (day, kind = 'plan') => ({ id: day + kind, kind, day, started_at: `${day}T18:00:00Z`, exercises: [{ slug: 'x' }] });

describe('nextSession', () => {
  test('is the session after those done this plan week, and starts over after the last', () => {
    assert.equal(nextSession(plan, [], '2025-03-17').number, 1);
    const week = [done('2025-03-18'), done('2025-03-20')];
    assert.deepEqual(
      (({ number, done: n, count }) => [number, n, count])(nextSession(plan, week, '2025-03-21')),
      [3, 2, 3],
    );
    assert.equal(nextSession(plan, [...week, done('2025-03-22')], '2025-03-23').number, 1);
    assert.equal(nextSession(plan, week, '2025-03-21').session.exercises[0].slug, 's3');
  });

  test('counts only plan sessions of this plan week, up to today', () => {
    const others = [
      done('2025-03-16'), // last plan week
      done('2025-03-18', 'single'),
      done('2025-03-18', 'breath'),
      done('2025-03-25'), // after today (another device's clock)
    ];
    assert.equal(nextSession(plan, others, '2025-03-19').number, 1);
  });

  test("a kept plan from an earlier week counts from today's plan week", () => {
    assert.equal(planWeekStart(plan, '2025-03-27'), '2025-03-24');
    assert.equal(nextSession(plan, [done('2025-03-18'), done('2025-03-25')], '2025-03-27').number, 2);
    assert.equal(isBehind(plan, '2025-03-23'), false);
    assert.equal(isBehind(plan, '2025-03-24'), true);
  });
});

describe('checkinDue', () => {
  test('the morning after a session, until the check-in is given', () => {
    const yesterday = [done('2025-03-18')];
    assert.equal(checkinDue(yesterday, [], '2025-03-19'), true);
    assert.equal(checkinDue(yesterday, [{ day: '2025-03-19' }], '2025-03-19'), false);
    assert.equal(checkinDue(yesterday, [], '2025-03-20'), false, 'not two days later');
    assert.equal(checkinDue([{ ...done('2025-03-18'), exercises: [] }], [], '2025-03-19'), false, 'nothing done');
    const evening = { kind: 'plan', started_at: '2025-03-19T03:00:00Z', exercises: [{}] };
    assert.equal(checkinDue([{ ...evening, day: '2025-03-18' }], [], '2025-03-19'), true, 'its own day counts');
  });
});

describe('seasonWords', () => {
  test('names the season in plain words, its week of how many, and the round after the first', () => {
    assert.equal(seasonWords(plan), 'Building, week 1 of 4');
    const flare = { ...plan, season: 'control', season_started_on: '2025-03-20', season_ends_on: '2025-04-03', season_week: 2, cycle: 2 };
    assert.equal(seasonWords(flare), 'Settling in, week 2 of 2 · round 2');
    assert.equal(seasonWords({ ...plan, season: 'consolidate' }), 'Making it stick, week 1 of 4');
  });
});

describe('walkWords', () => {
  test('says the daily walk in whole minutes', () => {
    assert.equal(walkWords(10), 'and a walk of 10 minutes each day');
    assert.equal(walkWords(12.5), 'and a walk of 13 minutes each day');
    assert.equal(walkWords(21.4), 'and a walk of 21 minutes each day');
  });

  test('is null for an exercise without a daily walk', () => {
    assert.equal(walkWords(null), null);
    assert.equal(walkWords(undefined), null);
    assert.equal(walkWords(0), null);
  });
});

describe('redFlagRecheck', () => {
  const advice = ['Your usual pain has not come down over the last 6 weeks: see someone.', 'Asked again.'];
  const asking = { ...plan, advice, recheck_red_flags: true };

  test('asks again for advice this device has not acted on, once', () => {
    const first = redFlagRecheck(asking, []);
    assert.deepEqual(first, { ask: true, acted: advice });
    assert.deepEqual(redFlagRecheck(asking, first.acted), { ask: false, acted: advice });
  });

  test('asks again when new advice comes, and forgets once the plan stops asking', () => {
    const more = { ...asking, advice: ['Flared up three times: see someone.', ...advice] };
    assert.equal(redFlagRecheck(more, advice).ask, true);
    assert.deepEqual(redFlagRecheck({ ...plan, advice: [], recheck_red_flags: false }, advice), { ask: false, acted: [] });
    assert.deepEqual(redFlagRecheck(plan, advice), { ask: false, acted: [] }, 'a plan from before the advice');
    assert.equal(redFlagRecheck(asking, []).ask, true, 'the same advice coming back asks again');
  });
});
