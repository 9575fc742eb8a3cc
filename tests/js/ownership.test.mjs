// Tests for the ownership and one-check-in-per-day rules in web/static/js/sync-core.js, run
// with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { checkinOfDay, maySend, mergeCheckins, nextBatch, ownerFrom } from '../../web/static/js/sync-core.js';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const at = (minutes) => new Date(Date.UTC(2026, 10, 29, 7, minutes)).toISOString();

const checkin = (fields = {}) => ({
  id: uuid(), day: '2026-11-29', pain: 2, stiffness: 3, compared_with_yesterday: 'same',
  fatigue_lingered: false, symptoms_spread: false, notes: '', updated_at: at(0), ...fields,
});
const queued = (owner, fields = {}) => {
  const record = { id: uuid(), updated_at: at(0), ...fields };
  return { id: record.id, type: 'sessions', record, owner, queued_at: at(++n % 60) };
};

describe('whose records a flush may send', () => {
  const a = queued('a@x.org');
  const b = queued('b@x.org');
  const nobody = queued(null);
  const old = queued(undefined); // an entry from before owners existed
  delete old.owner;
  const all = [a, b, nobody, old];

  test('signed in as A, only A’s entries go', () => {
    assert.deepEqual(nextBatch(all, { owner: 'a@x.org' }), [a]);
    assert.deepEqual(all.filter((e) => maySend(e, 'b@x.org')), [b]);
  });

  test('"no account yet" entries are never sent until adopted, and signed out nothing is', () => {
    assert.deepEqual(nextBatch(all, { owner: null }), []);
    assert.deepEqual(nextBatch(all, {}), []);
    assert.equal(maySend(nobody, null), false);
    assert.equal(maySend(old, null), false);
    assert.deepEqual(nextBatch(all, { owner: 'c@x.org' }), []);
  });

  test('an adopted entry belongs to the account and goes', () => {
    assert.deepEqual(nextBatch([{ ...nobody, owner: 'a@x.org' }], { owner: 'a@x.org' }).map((e) => e.id), [nobody.id]);
  });

  test('the owner is the lower-cased email, kept while a sign-in has ended, none when signed out', () => {
    assert.equal(ownerFrom({ token: 't', email: 'A@X.org' }), 'a@x.org');
    assert.equal(ownerFrom({ token: null, email: 'a@x.org', expired: true }), 'a@x.org');
    assert.equal(ownerFrom(undefined), null);
    assert.equal(ownerFrom({ token: null, email: 'a@x.org' }), null);
  });
});

describe('one check-in per day', () => {
  test('a pulled check-in of a day held under another id replaces it', () => {
    const mine = checkin({ updated_at: at(1) });
    const theirs = checkin({ updated_at: at(5), pain: 7 });
    assert.deepEqual(mergeCheckins([mine], [theirs], new Set()), { put: [theirs], remove: [mine.id] });
  });

  test('… also when the local one is older and still waiting: the server would ignore it', () => {
    const mine = checkin({ updated_at: at(1) });
    const theirs = checkin({ updated_at: at(5) });
    assert.deepEqual(mergeCheckins([mine], [theirs], new Set([mine.id])), { put: [theirs], remove: [mine.id] });
  });

  test('… also when the local one is newer but already on the server (not waiting)', () => {
    const mine = checkin({ updated_at: at(9) });
    const theirs = checkin({ updated_at: at(5) });
    assert.deepEqual(mergeCheckins([mine], [theirs], new Set()), { put: [theirs], remove: [mine.id] });
  });

  test('a newer local check-in still waiting stays: it wins once sent', () => {
    const mine = checkin({ updated_at: at(9) });
    const theirs = checkin({ updated_at: at(5) });
    assert.deepEqual(mergeCheckins([mine], [theirs], new Set([mine.id])), { put: [], remove: [] });
  });

  test('other days and the same id follow last-writer-wins as before', () => {
    const yesterday = checkin({ day: '2026-11-28' });
    const mine = checkin({ updated_at: at(3) });
    const same = { ...mine, updated_at: at(4), pain: 5 };
    assert.deepEqual(mergeCheckins([yesterday, mine], [same], new Set()), { put: [same], remove: [] });
    assert.deepEqual(mergeCheckins([mine], [{ ...mine, pain: 9 }], new Set()), { put: [], remove: [] }); // a tie keeps the device's
    const kept = { ...mine, pain: 9 }; // unless the server answered that it kept its own
    assert.deepEqual(mergeCheckins([mine], [kept], new Set([mine.id]), new Set([mine.id])), { put: [kept], remove: [] });
    const other = checkin({ day: '2026-11-27' });
    assert.deepEqual(mergeCheckins([yesterday, mine], [other], new Set()), { put: [other], remove: [] });
  });

  test('several pulled for one day: the device ends with one, the last the server sent', () => {
    const mine = checkin({ updated_at: at(1) });
    const first = checkin({ updated_at: at(2) });
    const second = checkin({ updated_at: at(3) });
    const { put, remove } = mergeCheckins([mine], [first, second], new Set());
    assert.deepEqual(put, [second]);
    assert.deepEqual(remove.sort(), [mine.id, first.id].sort());
  });

  test('duplicates of a day from before the rule collapse into the pulled one', () => {
    const one = checkin({ updated_at: at(1) });
    const two = checkin({ updated_at: at(2) });
    const pulled = checkin({ updated_at: at(6) });
    const { put, remove } = mergeCheckins([one, two], [pulled], new Set());
    assert.deepEqual(put, [pulled]);
    assert.deepEqual(remove.sort(), [one.id, two.id].sort());
  });

  test('the check-in screen edits the day’s newest one', () => {
    const older = checkin({ updated_at: at(1) });
    const newer = checkin({ updated_at: at(2) });
    assert.equal(checkinOfDay([older, newer, checkin({ day: '2026-11-30', updated_at: at(9) })], '2026-11-29'), newer);
    assert.equal(checkinOfDay([older], '2026-11-30'), undefined);
  });
});
