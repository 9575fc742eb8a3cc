/**
 * IndexedDB behind a few promise functions (after idb-keyval): a write resolves when its
 * transaction completes, so "saved" means on disk, and a reload or a killed app finds it.
 * No DOM: the service worker opens the same database (outbox.js).
 *
 *   current    the one session in progress, under the key 'session': prescription, position,
 *              what was reached and the answers so far
 *   sessions   finished sessions by their client-made UUID `id`, shaped for sync
 *   checkins   next-morning check-ins by `id`, one per `day`
 *   outbox     what waits for the server: `{id, type, record, queued_at}` (outbox.js)
 *   meta       small values by name: 'auth', 'cursor', 'sync' (outbox.js)
 *
 * A finished session or a check-in is written in one transaction with its outbox entry:
 * nothing is saved that is not also queued.
 */

const DB_NAME = 'spinewise';
const DB_VERSION = 2;
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

/** The outbox entry that queues `record` of store `type`. */
export function entry(type, record) {
  return { id: record.id, type, record, queued_at: new Date().toISOString() };
}

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

/** Save a finished session, queue it, and drop the one in progress: all three or none. */
export function finishSession(record) {
  return transact([CURRENT, SESSIONS, OUTBOX], 'readwrite', (current, sessions, outbox) => {
    sessions.put(record);
    outbox.put(entry(SESSIONS, record));
    current.delete('session');
  });
}

/** Save a check-in and queue it, in one transaction. */
export function saveCheckin(record) {
  return transact([CHECKINS, OUTBOX], 'readwrite', (checkins, outbox) => {
    checkins.put(record);
    outbox.put(entry(CHECKINS, record));
  });
}

export function getSession(id) {
  return transact([SESSIONS], 'readonly', (store) => store.get(id));
}

/** Finished sessions, newest first. */
export async function listSessions() {
  const all = await transact([SESSIONS], 'readonly', (store) => store.index('started_at').getAll());
  return (all ?? []).reverse();
}

/** Check-ins, newest day first. */
export async function listCheckins() {
  const all = await transact([CHECKINS], 'readonly', (store) => store.index('day').getAll());
  return (all ?? []).reverse();
}

export function getMeta(key) {
  return transact([META], 'readonly', (store) => store.get(key));
}

export function setMeta(key, value) {
  return transact([META], 'readwrite', (store) => { store.put(value, key); });
}
