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
 *   by id, the newer `updated_at` winning.
 *
 * No DOM: the page runs it (syncing.js) and so does the service worker (Background Sync),
 * one at a time across both through a Web Lock. Each change is announced on a
 * BroadcastChannel so open pages can redraw.
 */

import { getMeta, req, setMeta, transact } from './store.js';
import {
  MAX_BATCH, failureKind, fromServer, mergePulled, nextBatch, retryDelay, settle, syncBody,
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

/**
 * What the person is shown: how many records wait, which were refused and why, whether this
 * device is signed in, when it last synced, and the last failure.
 */
export async function status() {
  const [all, auth, sync] = await Promise.all([entries(), getMeta('auth'), getMeta('sync')]);
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

async function pass({ send = (...args) => fetch(...args) } = {}) {
  const auth = await getMeta('auth');
  if (!auth?.token) return { error: 'signed-out', retry: false };
  const tally = { sent: 0, delivered: 0, rejected: 0, pulled: 0 };
  const tried = new Set();
  let size = MAX_BATCH;
  let requests = 0;
  let more = false;
  for (;;) {
    const batch = nextBatch(await entries(), { size, tried });
    // The first request goes even with nothing to send: it pulls what other devices stored.
    if (requests > 0 && batch.length === 0 && !more) break;
    requests += 1;
    let response;
    try {
      response = await send('/api/sync', {
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
        await setMeta('auth', { email: auth.email, token: null, expired: true });
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
    const outcome = await apply(batch, answer);
    tally.sent += batch.length;
    tally.delivered += outcome.delivered;
    tally.rejected += outcome.rejected;
    tally.pulled += outcome.pulled;
    more = answer.more;
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
 * since they were sent), refused ones are marked, pulled records merge into local history,
 * and the cursor and the time of this sync are kept.
 */
function apply(batch, answer) {
  const stores = ['outbox', 'sessions', 'checkins', 'meta'];
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
    for (const [type, store] of [['sessions', sessions], ['checkins', checkins]]) {
      const incoming = (answer[type] ?? []).map((r) => fromServer(type, r));
      if (incoming.length === 0) continue;
      const local = new Map();
      for (const r of incoming) local.set(r.id, await req(store.get(r.id)));
      for (const record of mergePulled(local, incoming)) {
        store.put(record);
        pulled += 1;
        // A newer copy from the server replaces one still waiting here: nothing left to send.
        const waiting = await req(outbox.get(record.id));
        if (waiting && Date.parse(waiting.record.updated_at) <= Date.parse(record.updated_at)) outbox.delete(record.id);
      }
    }
    meta.put(answer.cursor, 'cursor');
    meta.put({ last_synced_at: new Date().toISOString(), failures: 0, next_at: null, last_error: null }, 'sync');
    return { delivered, rejected, pulled };
  });
}

