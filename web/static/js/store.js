/**
 * IndexedDB behind a few promise functions (after idb-keyval): a write resolves when its
 * transaction completes, so "saved" means on disk, and a reload or a killed app finds it.
 * No DOM: the service worker opens the same database (outbox.js).
 *
 *   current    the one session in progress, under the key 'session': prescription, position,
 *              what was reached and the answers so far; and under 'parked:EMAIL' the session
 *              an account left in progress when it signed out
 *   sessions   finished sessions by their client-made UUID `id`, shaped for sync, plus `owner`
 *   checkins   next-morning check-ins by `id`, one per `day` and owner, plus `owner`
 *   outbox     what waits for the server: `{id, type, record, queued_at, owner}` (outbox.js)
 *   meta       small values by name: 'auth', 'cursor', 'sync', 'plan', 'revoke' (tokens whose
 *              sign-out has not reached the server yet; outbox.js sends them)
 *
 * A finished session or a check-in is written in one transaction with its outbox entry:
 * nothing is saved that is not also queued.
 *
 * Owners: a phone may be shared, so every record and outbox entry belongs to the account
 * signed in when it was saved (its lower-cased email) or to "no account yet" (null). Lists
 * give only the current owner's records (sync-core.js `ownerFrom`): signed out, only the
 * "no account yet" ones. A record never changes owner except when a person who signs in adds
 * the "no account yet" records to their account (`adopt`).
 */

import { ownerFrom, ownerOf } from './sync-core.js';

const DB_NAME = 'spinewise';
const DB_VERSION = 3;
const CURRENT = 'current';
const SESSIONS = 'sessions';
const CHECKINS = 'checkins';
const OUTBOX = 'outbox';
const META = 'meta';

let opening = null;

function upgrade(db, tx, oldVersion) {
  if (!db.objectStoreNames.contains(CURRENT)) db.createObjectStore(CURRENT);
  if (!db.objectStoreNames.contains(SESSIONS)) {
    db.createObjectStore(SESSIONS, { keyPath: 'id' }).createIndex('started_at', 'started_at');
  }
  if (oldVersion < 2) {
    db.createObjectStore(CHECKINS, { keyPath: 'id' }).createIndex('day', 'day');
    db.createObjectStore(OUTBOX, { keyPath: 'id' });
    db.createObjectStore(META);
    // Sessions saved before there was an outbox are queued too: every one reaches the server.
    const outbox = tx.objectStore(OUTBOX);
    tx.objectStore(SESSIONS).openCursor().onsuccess = (event) => {
      const cursor = event.target.result;
      if (!cursor) return;
      outbox.put(entry(SESSIONS, cursor.value));
      cursor.continue();
    };
  }
  if (oldVersion === 2) {
    // Records and entries from before owners belong to the account signed in now, if any:
    // they were going to sync to it anyway. Signed out, they are "no account yet".
    tx.objectStore(META).get('auth').onsuccess = (event) => {
      const owner = ownerFrom(event.target.result);
      for (const name of [SESSIONS, CHECKINS, OUTBOX]) {
        tx.objectStore(name).openCursor().onsuccess = (e) => {
          const cursor = e.target.result;
          if (!cursor) return;
          cursor.update({ ...cursor.value, owner });
          cursor.continue();
        };
      }
    };
  }
}

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => upgrade(request.result, request.transaction, event.oldVersion);
      request.onsuccess = () => {
        const db = request.result;
        // Another tab upgrading the schema: step aside so it can, and reopen next time.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
      request.onblocked = () => { opening = null; reject(new Error('the Spinewise database is held open by another tab')); };
    });
  }
  return opening;
}

/** A request's result as a promise (for several steps inside one transaction). */
export function req(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Run `work(stores…)` in one transaction; resolve once the transaction completes, with the
 * result of the request `work` returns (or the value of the promise it returns).
 */
export async function transact(names, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    const out = work(...names.map((n) => tx.objectStore(n)));
    if (out instanceof IDBRequest) out.onsuccess = () => { result = out.result; };
    else if (out && typeof out.then === 'function') {
      out.then((value) => { result = value; }, (error) => { reject(error); try { tx.abort(); } catch { /* done */ } });
    }
  });
}

/** The outbox entry that queues `record` of store `type`, owned as the record is. */
export function entry(type, record) {
  return { id: record.id, type, record, owner: ownerOf(record), queued_at: new Date().toISOString() };
}

/** Whose records the device shows and saves for now (an email, or null when signed out). */
export async function currentOwner() {
  return ownerFrom(await getMeta('auth'));
}

const ownerIn = async (meta) => ownerFrom(await req(meta.get('auth')));

/** The session in progress, or undefined. */
export function getCurrent() {
  return transact([CURRENT], 'readonly', (store) => store.get('session'));
}

/** Save the session in progress (a structured clone: later changes to `state` are not saved). */
export function putCurrent(state) {
  return transact([CURRENT], 'readwrite', (store) => { store.put(state, 'session'); });
}

export function clearCurrent() {
  return transact([CURRENT], 'readwrite', (store) => { store.delete('session'); });
}

const parkedKey = (owner) => `parked:${owner}`;

/**
 * Signing out: the session in progress is the account's, so it leaves the screen with it,
 * parked under the account (or deleted, with `discard`) until the account signs in again.
 */
export function parkCurrent(owner, { discard = false } = {}) {
  return transact([CURRENT], 'readwrite', async (store) => {
    const session = await req(store.get('session'));
    if (!session || !owner) return;
    store.delete('session');
    if (discard) store.delete(parkedKey(owner));
    else store.put(session, parkedKey(owner));
  });
}

/** Signing in: the account's parked session in progress comes back, if none is running. */
export function unparkCurrent(owner) {
  return transact([CURRENT], 'readwrite', async (store) => {
    const parked = await req(store.get(parkedKey(owner)));
    if (!parked || (await req(store.get('session')))) return;
    store.put(parked, 'session');
    store.delete(parkedKey(owner));
  });
}

/** Deleting the account: its parked session in progress goes too. */
export function dropParked(owner) {
  return transact([CURRENT], 'readwrite', (store) => { store.delete(parkedKey(owner)); });
}

/**
 * Save a finished session, queue it, and drop the one in progress: all three or none. It
 * belongs to whoever is signed in as it is saved.
 */
export function finishSession(record) {
  return transact([CURRENT, SESSIONS, OUTBOX, META], 'readwrite', async (current, sessions, outbox, meta) => {
    const owned = { ...record, owner: await ownerIn(meta) };
    sessions.put(owned);
    outbox.put(entry(SESSIONS, owned));
    current.delete('session');
  });
}

/**
 * Save a check-in and queue it, in one transaction, for whoever is signed in. It is that
 * owner's one check-in of its day: another of the same day (from before the rule) goes.
 */
export function saveCheckin(record) {
  return transact([CHECKINS, OUTBOX, META], 'readwrite', async (checkins, outbox, meta) => {
    const owner = await ownerIn(meta);
    for (const other of (await req(checkins.index('day').getAll(record.day))) ?? []) {
      if (other.id !== record.id && ownerOf(other) === owner) {
        checkins.delete(other.id);
        outbox.delete(other.id);
      }
    }
    const owned = { ...record, owner };
    checkins.put(owned);
    outbox.put(entry(CHECKINS, owned));
  });
}

export function getSession(id) {
  return transact([SESSIONS], 'readonly', (store) => store.get(id));
}

/** `index`'s records owned by the current owner, in index order. */
function owned(name, index) {
  return transact([name, META], 'readonly', async (store, meta) => {
    const owner = await ownerIn(meta);
    const all = (await req(store.index(index).getAll())) ?? [];
    return all.filter((r) => ownerOf(r) === owner);
  });
}

/** The current owner's finished sessions, newest first. */
export async function listSessions() {
  return (await owned(SESSIONS, 'started_at')).reverse();
}

/** The current owner's check-ins, newest day first. */
export async function listCheckins() {
  return (await owned(CHECKINS, 'day')).reverse();
}

/** How many sessions and check-ins on this device belong to `owner` (null: no account yet). */
export function countOwned(owner) {
  return transact([SESSIONS, CHECKINS], 'readonly', async (...stores) => {
    let total = 0;
    for (const store of stores) total += ((await req(store.getAll())) ?? []).filter((r) => ownerOf(r) === owner).length;
    return total;
  });
}

/**
 * Add the "no account yet" records to the account `owner`: they become its own, and each is
 * queued (again) so it reaches the account. A check-in of a day the account already holds on
 * this device: the newer of the two stays (as on the server, one per day).
 */
export function adopt(owner) {
  return transact([SESSIONS, CHECKINS, OUTBOX], 'readwrite', async (sessions, checkins, outbox) => {
    let added = 0;
    for (const [name, store] of [[SESSIONS, sessions], [CHECKINS, checkins]]) {
      const all = (await req(store.getAll())) ?? [];
      for (const record of all.filter((r) => ownerOf(r) === null)) {
        if (name === CHECKINS) {
          const rival = all.find((c) => c.day === record.day && c.id !== record.id && ownerOf(c) === owner);
          const loser = rival && Date.parse(rival.updated_at) >= Date.parse(record.updated_at) ? record : rival;
          if (loser) {
            store.delete(loser.id);
            outbox.delete(loser.id);
            loser.owner = 'gone'; // not found again as this account's or as no one's
            if (loser === record) continue;
          }
        }
        const mine = { ...record, owner };
        store.put(mine);
        const waiting = await req(outbox.get(record.id));
        outbox.put(waiting ? { ...waiting, record: mine, owner } : entry(name, mine));
        record.owner = owner;
        added += 1;
      }
    }
    return added;
  });
}

/** Delete from this device every record and outbox entry of `owner`. */
export function forget(owner) {
  return transact([SESSIONS, CHECKINS, OUTBOX], 'readwrite', async (...stores) => {
    for (const store of stores) {
      for (const r of (await req(store.getAll())) ?? []) if (ownerOf(r) === owner) store.delete(r.id);
    }
  });
}

/** Delete one record (of store `type`) from this device entirely: its history and its entry. */
export function deleteRecord(type, id) {
  return transact([type, OUTBOX], 'readwrite', (records, outbox) => {
    records.delete(id);
    outbox.delete(id);
  });
}

export function getMeta(key) {
  return transact([META], 'readonly', (store) => store.get(key));
}

export function setMeta(key, value) {
  return transact([META], 'readwrite', (store) => { store.put(value, key); });
}
