// Tests for web/static/js/sync-core.js — the outbox's rules, run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  MAX_BATCH, RETRY_BASE_MS, RETRY_MAX_MS, failureKind, fromServer, mergePulled, newerOf, nextBatch,
  retryDelay, settle, syncBody, toWire,
  chipWords,
} from '../../web/static/js/sync-core.js';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

function session(fields = {}) {
  return {
    id: uuid(),
    started_at: '2026-11-23T08:00:00.000Z',
    ended_at: '2026-11-23T08:12:00.000Z',
    kind: 'single',
    title: 'Glute bridge',
    exercises: [{
      slug: 'glute-bridge', sets_done: 2, reps_done: 20, effort: 4, pain: 2,
      fatigue_region: 'hips-glutes', fatigue_onset: { set: 2, rep: 7 }, helpful_cues: ['a cue'], notes: 'fine',
    }],
    updated_at: '2026-11-23T08:12:00.000Z',
    ...fields,
  };
}

const checkin = (fields = {}) => ({
  id: uuid(), day: '2026-11-24', pain: 2, stiffness: 3, compared_with_yesterday: 'same',
  fatigue_lingered: false, notes: '', updated_at: '2026-11-24T07:00:00.000Z', ...fields,
});

let clock = 0;
const OWNER = 'a@x.org';
const entry = (type, record) => ({ id: record.id, type, record, owner: OWNER, queued_at: new Date(Date.UTC(2026, 10, 23) + ++clock).toISOString() });

describe('what goes over the wire', () => {
  test('a session carries exactly the fields POST /api/sync takes', () => {
    const record = session({ somethingLocal: true, day: '2026-11-23' });
    const wire = toWire(entry('sessions', record));
    assert.deepEqual(Object.keys(wire).sort(), ['day', 'ended_at', 'exercises', 'id', 'kind', 'notes', 'started_at', 'title', 'updated_at']);
    assert.equal(wire.day, '2026-11-23');
    assert.equal('day' in toWire(entry('sessions', session())), false, 'older sessions have no day to send');
    assert.deepEqual(Object.keys(wire.exercises[0]).sort(), [
      'effort', 'fatigue_onset', 'fatigue_region', 'helpful_cues', 'notes', 'pain', 'reps_done', 'sets_done', 'skipped', 'slug',
      'symptoms_spread',
    ]);
    assert.equal(wire.title, 'Glute bridge');
    assert.equal(wire.exercises[0].notes, 'fine');
  });

  test('sessions saved by earlier versions reach the server in its shape', () => {
    const old = session({ kind: 'today', title: 'x'.repeat(200) });
    old.exercises[0] = { ...old.exercises[0], fatigue_region: 'nowhere', fatigue_onset: null };
    delete old.exercises[0].notes;
    const wire = toWire(entry('sessions', old));
    assert.equal(wire.kind, 'plan');
    assert.equal(wire.title.length, 120);
    assert.equal(wire.exercises[0].fatigue_onset, 'did-not');
    assert.equal(wire.exercises[0].notes, '');
    assert.equal(wire.exercises[0].skipped, false, 'saved before skips were recorded');
  });

  test('a breath practice sends how the person feels', () => {
    const record = session();
    record.exercises[0] = { ...record.exercises[0], effort: null, fatigue_region: null, fatigue_onset: null, feeling: 'calmer' };
    assert.equal(toWire(entry('sessions', record)).exercises[0].feeling, 'calmer');
  });

  test('spreading symptoms go as a strict boolean; a session saved before it was asked sends no', () => {
    const record = session();
    assert.equal(toWire(entry('sessions', record)).exercises[0].symptoms_spread, false);
    record.exercises[0] = { ...record.exercises[0], symptoms_spread: true };
    assert.equal(toWire(entry('sessions', record)).exercises[0].symptoms_spread, true);
  });

  test('a skipped exercise goes as skipped', () => {
    const record = session();
    record.exercises[0] = { ...record.exercises[0], skipped: true };
    assert.equal(toWire(entry('sessions', record)).exercises[0].skipped, true);
  });

  test('unanswered questions stay null, and seconds go only when there are some', () => {
    const record = session();
    record.exercises[0] = { ...record.exercises[0], effort: null, fatigue_region: null, fatigue_onset: null, seconds_done: 90 };
    const [exercise] = toWire(entry('sessions', record)).exercises;
    assert.deepEqual([exercise.effort, exercise.fatigue_region, exercise.fatigue_onset, exercise.seconds_done], [null, null, null, 90]);
  });

  test('a check-in carries exactly its fields', () => {
    const record = checkin({ extra: 1 });
    assert.deepEqual(toWire(entry('checkins', record)), {
      id: record.id, updated_at: record.updated_at, day: '2026-11-24', pain: 2, stiffness: 3,
      compared_with_yesterday: 'same', fatigue_lingered: false, symptoms_spread: false, notes: '',
    });
    assert.equal(toWire(entry('checkins', checkin({ symptoms_spread: true }))).symptoms_spread, true);
  });

  test('a batch body splits sessions from check-ins and carries the cursor', () => {
    const batch = [entry('sessions', session()), entry('checkins', checkin()), entry('sessions', session())];
    const body = syncBody(batch, 41);
    assert.equal(body.cursor, 41);
    assert.deepEqual(body.sessions.map((s) => s.id), [batch[0].id, batch[2].id]);
    assert.deepEqual(body.checkins.map((c) => c.id), [batch[1].id]);
  });
});

describe('batches', () => {
  test('oldest first, at most the server’s limit, refused and already-tried entries left out', () => {
    const all = Array.from({ length: 450 }, () => entry('sessions', session())).reverse();
    all[3].rejected = 'refused';
    const first = nextBatch(all, { owner: OWNER });
    assert.equal(first.length, MAX_BATCH);
    assert.deepEqual(first, [...first].sort((a, b) => a.queued_at.localeCompare(b.queued_at)));
    assert.ok(!first.includes(all[3]));
    const tried = new Set(first.map((e) => e.id));
    const second = nextBatch(all, { owner: OWNER, tried });
    assert.ok(second.every((e) => !tried.has(e.id)));
    assert.equal(nextBatch(all, { owner: OWNER, size: 7 }).length, 7);
    assert.deepEqual(nextBatch([], { owner: OWNER }), []);
  });
});

describe('what an answer settles', () => {
  test('stored and superseded ids are delivered, refused ones carry the reason, the rest stay', () => {
    const [a, b, c, d] = Array.from({ length: 4 }, () => entry('sessions', session()));
    const answer = {
      stored: [a.id.toUpperCase()], // ids compare as UUIDs, whatever their case
      ignored: [b.id],
      rejected: [{ id: c.id, reason: 'exercises.0.slug: bad' }, { id: null, reason: 'not a JSON object' }],
    };
    assert.deepEqual(settle([a, b, c, d], answer).map(({ outcome, reason }) => [outcome, reason]), [
      ['delivered', undefined],
      ['delivered', undefined],
      ['rejected', 'exercises.0.slug: bad'],
      ['unconfirmed', undefined],
    ]);
  });

  test('5xx and timeouts are retried, 401 signs out, 413 sends fewer, other 4xx are shown', () => {
    for (const status of [500, 502, 503, 504, 408, 409, 429]) assert.equal(failureKind(status), 'retry', String(status));
    assert.equal(failureKind(401), 'signed-out');
    assert.equal(failureKind(413), 'too-large');
    for (const status of [400, 403, 404, 422]) assert.equal(failureKind(status), 'refused', String(status));
  });
});

describe('backoff', () => {
  test('doubles from 2 s, stops growing at 5 min, with jitter of half to all of it', () => {
    const top = (failures) => retryDelay(failures, { random: () => 1 });
    assert.deepEqual([1, 2, 3, 4].map(top), [RETRY_BASE_MS, 2 * RETRY_BASE_MS, 4 * RETRY_BASE_MS, 8 * RETRY_BASE_MS]);
    assert.equal(top(30), RETRY_MAX_MS);
    assert.equal(retryDelay(3, { random: () => 0 }), 2 * RETRY_BASE_MS);
    for (let i = 0; i < 100; i += 1) {
      const delay = retryDelay(5);
      assert.ok(delay >= 8 * RETRY_BASE_MS && delay <= 16 * RETRY_BASE_MS, String(delay));
    }
  });

  test('never sooner than the server’s Retry-After', () => {
    assert.equal(retryDelay(1, { random: () => 0, retryAfterSeconds: 30 }), 30_000);
  });
});

describe('merging what the server sends', () => {
  test('timestamps come back in this device’s form', () => {
    const remote = fromServer('sessions', session({ started_at: '2026-11-23T08:00:00Z', ended_at: '2026-11-23T08:12:00+00:00', updated_at: '2026-11-23T09:00:00.123000Z' }));
    assert.deepEqual([remote.started_at, remote.ended_at, remote.updated_at], ['2026-11-23T08:00:00.000Z', '2026-11-23T08:12:00.000Z', '2026-11-23T09:00:00.123Z']);
    assert.equal(fromServer('checkins', checkin({ updated_at: '2026-11-24T07:00:00Z' })).updated_at, '2026-11-24T07:00:00.000Z');
  });

  test('the newer version wins; on a tie this device keeps its own', () => {
    const local = session();
    const newer = { ...local, updated_at: '2026-11-23T09:00:00.000Z', title: 'edited' };
    const older = { ...local, updated_at: '2026-11-23T07:00:00.000Z' };
    assert.equal(newerOf(undefined, newer), newer);
    assert.equal(newerOf(local, newer), newer);
    assert.equal(newerOf(local, older), local);
    assert.equal(newerOf(local, { ...local }), local);
  });

  test('on a tie the server\'s copy wins when the server kept it over this device\'s', () => {
    // Two devices saved one record with the same updated_at and different content: the server
    // keeps the first and answers the second with `ignored` and its copy. Both must converge.
    const mine = session({ notes: 'mine' });
    const servers = { ...mine, notes: 'the server\'s' };
    assert.equal(newerOf(mine, servers, true), servers);
    const local = new Map([[mine.id, mine]]);
    assert.deepEqual(mergePulled(local, [servers], new Set([mine.id])), [servers]);
    assert.deepEqual(mergePulled(new Map([[mine.id, mine]]), [servers]), []); // a plain pull: no
    const edited = { ...mine, updated_at: '2026-11-24T08:00:00.000Z' }; // edited since it was sent
    assert.deepEqual(mergePulled(new Map([[mine.id, edited]]), [servers], new Set([mine.id])), []);
  });

  test('records pulled twice, or already here, are not duplicated', () => {
    const mine = session();
    const theirs = session();
    const local = new Map([[mine.id, mine]]);
    const first = mergePulled(local, [{ ...mine }, theirs]);
    assert.deepEqual(first, [theirs]); // mine was here already, the same version
    assert.deepEqual(mergePulled(local, [theirs, { ...theirs }]), []);
    const edited = { ...mine, updated_at: '2026-11-24T08:00:00.000Z' };
    assert.deepEqual(mergePulled(local, [edited]), [edited]);
    assert.equal(local.size, 2);
  });
});

describe('the outbox algorithm against a server that loses answers and fails', () => {
  // A pure model of outbox.js: take a batch, send it, remove only what the answer confirms.
  // The server stores by id (a replay changes nothing), and sometimes loses the answer after
  // storing, answers 500, or is unreachable.
  test('every record arrives exactly once, whatever the faults', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const server = new Map();
    let outbox = Array.from({ length: 1000 }, (_, i) => entry(i % 10 ? 'sessions' : 'checkins', i % 10 ? session() : checkin()));
    const ids = outbox.map((e) => e.id);
    let attempts = 0;
    while (outbox.length > 0) {
      attempts += 1;
      assert.ok(attempts < 500, 'the outbox drains');
      const batch = nextBatch(outbox, { owner: OWNER });
      const fault = random();
      if (fault < 0.2) continue; // unreachable: nothing stored, nothing confirmed
      if (fault < 0.35) continue; // 500 before storing
      for (const e of batch) server.set(e.id, toWire(e));
      if (fault < 0.55) continue; // stored, but the answer was lost on the way back
      const outcomes = settle(batch, { stored: batch.map((e) => e.id), ignored: [], rejected: [] });
      const delivered = new Set(outcomes.filter((o) => o.outcome === 'delivered').map((o) => o.entry.id));
      outbox = outbox.filter((e) => !delivered.has(e.id));
    }
    assert.equal(server.size, 1000);
    assert.deepEqual([...server.keys()].sort(), [...ids].sort());
  });
});

describe('the header note', () => {
  test('says nothing for someone without an account: their records are this device\'s', () => {
    assert.equal(chipWords({ waiting: 3, rejected: [], signedIn: false }), null);
    assert.equal(chipWords({ waiting: 0, rejected: [], signedIn: true }), null);
  });

  test('signed in, records waiting are information, a refusal a warning', () => {
    assert.deepEqual({ ...chipWords({ waiting: 2, rejected: [], signedIn: true }), title: undefined },
      { text: '2 waiting to sync', tone: 'info', title: undefined });
    assert.equal(chipWords({ waiting: 0, rejected: [{}], signedIn: false }).tone, 'warn');
    assert.equal(chipWords({ waiting: 1, rejected: [{}, {}], signedIn: true }).text, '2 refused');
  });
});
