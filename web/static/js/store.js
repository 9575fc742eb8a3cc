/**
 * IndexedDB behind a few promise functions (after idb-keyval): a write resolves when its
 * transaction completes, so "saved" means on disk, and a reload or a killed app finds it.
 *
 *   current    the one session in progress, under the key 'session': prescription, position,
 *              what was reached and the answers so far
 *   sessions   finished sessions by their client-made UUID `id`, shaped for sync
 */

const DB_NAME = 'spinewise';
const DB_VERSION = 1;
const CURRENT = 'current';
const SESSIONS = 'sessions';

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(CURRENT)) db.createObjectStore(CURRENT);
        if (!db.objectStoreNames.contains(SESSIONS)) {
          db.createObjectStore(SESSIONS, { keyPath: 'id' }).createIndex('started_at', 'started_at');
        }
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab upgrading the schema: step aside so it can, and reopen next time.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
      request.onblocked = () => reject(new Error('the Spinewise database is held open by another tab'));
    });
  }
  return opening;
}

/** Run `work(stores…)` in one transaction; resolve with its result once the transaction completes. */
async function transact(names, mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(names, mode);
    let result;
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    const request = work(...names.map((n) => tx.objectStore(n)));
    if (request) request.onsuccess = () => { result = request.result; };
  });
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

/** Save a finished session and drop the one in progress, in one transaction: both or neither. */
export function finishSession(record) {
  return transact([CURRENT, SESSIONS], 'readwrite', (current, sessions) => {
    sessions.put(record);
    current.delete('session');
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
