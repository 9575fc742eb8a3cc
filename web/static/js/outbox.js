/**
 * The outbox at work (after Workbox's background-sync Queue, minus what its issue tracker
 * regrets): finished sessions and check-ins wait in IndexedDB (store.js queues them in the
 * same transaction that saves them) until the server confirms their ids. `flush` sends them
 * in batches to POST /api/sync and merges what the server sends back.
 *
 * - An entry leaves only when the answer names its id as stored (or as superseded by a newer
 *   server copy, which comes back in the same answer), and only if it was not edited while
 *   the request was out.
 * - A network error or a 5xx is a failure, never a delivery: everything stays and the next
 *   try waits (exponential backoff, sync-core.js).
 * - A record the server refuses (4xx) stays, marked with the reason, for the person to see.
 * - Records the server sends (changed since this device's cursor) merge into local history
 *   by id, the newer `updated_at` winning, and belong to the account that pulled them. A
 *   check-in of a day held here under another id replaces it (one per day: sync-core.js).
 * - Only the entries of the account whose token the flush holds are sent (sync-core.js
 *   `nextBatch`): on a shared phone one person's records never reach another's account.
 * - Sign-outs the server has not heard of yet (the device was offline) are sent first, so
 *   an ended sign-in's token stops working as soon as the device is back online.
 *
 * No DOM: the page runs it (syncing.js) and so does the service worker (Background Sync),
 * one at a time across both through a Web Lock. Each change is announced on a
 * BroadcastChannel so open pages can redraw.
 */

import { getMeta, req, setMeta, transact } from './store.js';
import {
  MAX_BATCH, failureKind, fromServer, mergeCheckins, mergePulled, nextBatch, ownerFrom, ownerOf, retryDelay,
  settle, syncBody,
} from './sync-core.js';

export const CHANNEL = 'spinewise-sync';
const LOCK = 'spinewise-outbox';

/** Tell every open page of the app that the outbox or the history changed. */
export function announce(message = { type: 'changed' }) {
  if (typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(message);
  channel.close();
}

/** Everything waiting, oldest first, refused ones included (marked `rejected`). */
export async function entries() {
  const all = await transact(['outbox'], 'readonly', (store) => store.getAll());
  return (all ?? []).sort((a, b) => (a.queued_at < b.queued_at ? -1 : 1));
}

/** The entries of `owner` (an email, or null for "no account yet"), oldest first. */
export async function entriesOf(owner) {
  return (await entries()).filter((e) => ownerOf(e) === owner);
}

/**
 * What the person is shown: how many of the current owner's records wait, which were refused
 * and why, whether this device is signed in, when it last synced, and the last failure.
 */
export async function status() {
  const [auth, sync] = await Promise.all([getMeta('auth'), getMeta('sync')]);
  const all = await entriesOf(ownerFrom(auth));
  return {
    waiting: all.filter((e) => !e.rejected).length,
    rejected: all.filter((e) => e.rejected),
    signedIn: Boolean(auth?.token),
    email: auth?.email ?? null,
    expired: Boolean(auth?.expired),
    lastSyncedAt: sync?.last_synced_at ?? null,
    failures: sync?.failures ?? 0,
    nextAttemptAt: sync?.next_at ?? null,
    lastError: sync?.last_error ?? null,
  };
}

/** Queue a refused record again, as it is (after the cause was fixed on the server). */
export async function retryRejected(id) {
  await transact(['outbox'], 'readwrite', async (outbox) => {
    const found = await req(outbox.get(id));
    if (found) outbox.put({ ...found, rejected: undefined });
  });
  announce();
}

/**
 * Delete a refused record from this device entirely: its outbox entry and its place in the
 * history (a session dated 9999 by a broken clock should not linger there).
 */
export async function deleteRejected(id) {
  await transact(['outbox', 'sessions', 'checkins'], 'readwrite', async (outbox, sessions, checkins) => {
    const found = await req(outbox.get(id));
    if (!found?.rejected) return;
    outbox.delete(id);
    (found.type === 'checkins' ? checkins : sessions).delete(id);
  });
  announce();
}

/** Take a refused record out of the outbox for good (it stays in this device's history). */
export async function discardRejected(id) {
  await transact(['outbox'], 'readwrite', async (outbox) => {
    const found = await req(outbox.get(id));
    if (found?.rejected) outbox.delete(id);
  });
  announce();
}

let running = null;
let again = false;

/**
 * Send everything waiting and pull what changed; resolves with `{sent, delivered, rejected,
 * pulled}` or, when it stopped early, `{error, retry, delay}`. A call during a flush makes the
 * flush go round once more, so a record queued meanwhile is not left behind.
 */
export function flush(options = {}) {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    let result;
    do {
      again = false;
      result = await exclusively(() => pass(options));
    } while (again && !result.error);
    return result;
  })().finally(() => { running = null; });
  return running;
}

function exclusively(work) {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request(LOCK, work) : work();
}

/**
 * Tell the server about sign-outs it has not heard of (the device was offline then): each
 * token in meta 'revoke' is sent to POST /api/auth/logout until the server ends it (204) or
 * says it has ended already (401). Resolves with how many are still waiting.
 */
export async function revokePending({ send = (...args) => fetch(...args) } = {}) {
  const tokens = (await getMeta('revoke')) ?? [];
  const done = new Set();
  for (const token of tokens) {
    try {
      const response = await send('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      if (response.ok || response.status === 401) done.add(token);
    } catch {
      break; // offline: the rest wait too
    }
  }
  if (done.size === 0) return tokens.length;
  // Read again: a sign-out may have added a token meanwhile.
  const left = await transact(['meta'], 'readwrite', async (meta) => {
    const rest = ((await req(meta.get('revoke'))) ?? []).filter((t) => !done.has(t));
    meta.put(rest, 'revoke');
    return rest.length;
  });
  return left;
}

const REVOKE_RETRY_MS = 30_000;

async function pass(options = {}) {
  const unrevoked = await revokePending(options);
  const auth = await getMeta('auth');
  if (!auth?.token) {
    // Signed out: nothing to send, but a sign-out the server has not heard of is tried again.
    return unrevoked
      ? { error: 'A sign-out has not reached the server yet', retry: true, delay: retryDelay(1, { retryAfterSeconds: REVOKE_RETRY_MS / 1000 }) }
      : { error: 'signed-out', retry: false };
  }
  return send(auth, options);
}

/** Whether `auth` is still the device's sign-in (a sign-out or another sign-in ends a flush). */
async function stillSignedIn(auth) {
  return (await getMeta('auth'))?.token === auth.token;
}

async function send(auth, { send: post = (...args) => fetch(...args) } = {}) {
  const owner = ownerFrom(auth);
  const tally = { sent: 0, delivered: 0, rejected: 0, pulled: 0 };
  const tried = new Set();
  let size = MAX_BATCH;
  let requests = 0;
  let more = false;
  for (;;) {
    if (requests > 0 && !(await stillSignedIn(auth))) break;
    const batch = nextBatch(await entries(), { owner, size, tried });
    // The first request goes even with nothing to send: it pulls what other devices stored.
    if (requests > 0 && batch.length === 0 && !more) break;
    requests += 1;
    let response;
    try {
      response = await post('/api/sync', {
        method: 'POST',
        headers: { Authorization: `Bearer ${auth.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(syncBody(batch, (await getMeta('cursor')) ?? 0)),
      });
    } catch {
      return failed('The server could not be reached (offline?)');
    }
    if (!response.ok) {
      const kind = failureKind(response.status);
      const detail = await response.json().then((body) => body.detail, () => null);
      if (kind === 'too-large' && size > 1) {
        size = Math.ceil(batch.length / 2);
        continue;
      }
      if (kind === 'signed-out') {
        // The account stays the device's owner (its records stay its own) until it signs in
        // again or someone else does; unless the person has signed out meanwhile.
        await transact(['meta'], 'readwrite', async (meta) => {
          if ((await req(meta.get('auth')))?.token === auth.token) meta.put({ email: auth.email, token: null, expired: true }, 'auth');
        });
        announce();
        return { error: 'signed-out', retry: false };
      }
      if (kind === 'retry' || batch.length === 0) {
        const retryAfter = Number(response.headers.get('Retry-After')) || 0;
        return failed(`The server answered ${response.status}`, retryAfter);
      }
      // The request as a whole was refused: keep every record of it, each with the reason.
      const reason = `refused (${response.status}): ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
      await markRejected(batch, reason);
      tally.rejected += batch.length;
      continue;
    }
    const answer = await response.json();
    for (const e of batch) tried.add(e.id);
    const outcome = await apply(batch, answer, auth);
    tally.sent += batch.length;
    tally.delivered += outcome.delivered;
    tally.rejected += outcome.rejected;
    tally.pulled += outcome.pulled;
    more = answer.more;
    if (outcome.stale) break; // signed out (or in as another) meanwhile: stop here
  }
  announce();
  return tally;
}

/** Note a failed try: the backoff grows, and the next try is due after `delay`. */
async function failed(message, retryAfterSeconds = 0) {
  const sync = (await getMeta('sync')) ?? {};
  const failures = (sync.failures ?? 0) + 1;
  const delay = retryDelay(failures, { retryAfterSeconds });
  await setMeta('sync', {
    ...sync,
    failures,
    next_at: new Date(Date.now() + delay).toISOString(),
    last_error: message,
  });
  announce();
  return { error: message, retry: true, delay };
}

async function markRejected(batch, reason) {
  await transact(['outbox'], 'readwrite', async (outbox) => {
    for (const sent of batch) {
      const current = await req(outbox.get(sent.id));
      if (current && current.record.updated_at === sent.record.updated_at) outbox.put({ ...current, rejected: reason });
    }
  });
}

/**
 * Carry out one answer in one transaction: delivered entries leave the outbox (unless edited
 * since they were sent), refused ones are marked, pulled records merge into local history as
 * the account's own (`auth`, the sign-in the request was sent with), and the cursor and the
 * time of this sync are kept, unless the device has signed out or in as someone else since.
 */
function apply(batch, answer, auth) {
  const stores = ['outbox', 'sessions', 'checkins', 'meta'];
  const owner = ownerFrom(auth);
  return transact(stores, 'readwrite', async (outbox, sessions, checkins, meta) => {
    let delivered = 0;
    let rejected = 0;
    for (const { entry, outcome, reason } of settle(batch, answer)) {
      if (outcome === 'unconfirmed') continue;
      const current = await req(outbox.get(entry.id));
      if (!current || current.record.updated_at !== entry.record.updated_at) continue;
      if (outcome === 'delivered') {
        outbox.delete(entry.id);
        delivered += 1;
      } else {
        outbox.put({ ...current, rejected: reason });
        rejected += 1;
      }
    }
    let pulled = 0;
    const keep = async (store, record) => {
      store.put({ ...record, owner });
      pulled += 1;
      // A newer copy from the server replaces one still waiting here: nothing left to send.
      const waiting = await req(outbox.get(record.id));
      if (waiting && Date.parse(waiting.record.updated_at) <= Date.parse(record.updated_at)) outbox.delete(record.id);
    };
    // The ids whose server copy stands: on a tie it replaces this device's (sync-core.js).
    const ignored = new Set((answer.ignored ?? []).map((id) => String(id).toLowerCase()));
    const pulledSessions = (answer.sessions ?? []).map((r) => fromServer('sessions', r));
    if (pulledSessions.length > 0) {
      const local = new Map();
      for (const r of pulledSessions) local.set(r.id, await req(sessions.get(r.id)));
      for (const record of mergePulled(local, pulledSessions, ignored)) await keep(sessions, record);
    }
    const pulledCheckins = (answer.checkins ?? []).map((r) => fromServer('checkins', r));
    if (pulledCheckins.length > 0) {
      const local = ((await req(checkins.getAll())) ?? []).filter((c) => ownerOf(c) === owner);
      const waiting = new Set(((await req(outbox.getAll())) ?? []).filter((e) => !e.rejected && ownerOf(e) === owner).map((e) => e.id));
      const { put, remove } = mergeCheckins(local, pulledCheckins, waiting, ignored);
      for (const id of remove) {
        // That day's check-in is the server's now: this device's other one goes, queued or not.
        checkins.delete(id);
        outbox.delete(id);
      }
      for (const record of put) await keep(checkins, record);
    }
    const stale = (await req(meta.get('auth')))?.token !== auth.token;
    if (!stale) {
      meta.put(answer.cursor, 'cursor');
      meta.put({ last_synced_at: new Date().toISOString(), failures: 0, next_at: null, last_error: null }, 'sync');
    }
    return { delivered, rejected, pulled, stale };
  });
}
