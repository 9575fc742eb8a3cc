/**
 * The account over the API: register, sign in and out, export, delete. The bearer token is
 * kept in IndexedDB ('auth' in the meta store), where the service worker can read it to
 * flush the outbox with no page open. No DOM.
 *
 * A phone may be shared: records belong to the account they were saved under (store.js), so
 * signing out hides them, and signing in as another account shows and sends none of them.
 */

import { announce, entriesOf, revokePending } from './outbox.js';
import * as prefs from './prefs.js';
import {
  adopt, clearCurrent, countOwned, dropParked, forget, getMeta, parkCurrent, req, setMeta, transact,
  unparkCurrent,
} from './store.js';
import { newer, ownerFrom } from './sync-core.js';
import { triage } from './red-flags.js';

/** A failed call: `status` is the HTTP status (0 when the server could not be reached). */
export class AccountError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** Words for the person from an error answer (FastAPI's 422 detail is a list). */
function explain(status, detail) {
  if (status === 422 && Array.isArray(detail)) {
    const fields = detail.map((d) => d.loc?.at(-1));
    if (fields.includes('email')) return 'That does not look like an email address.';
    if (fields.includes('password')) return 'The password needs 8 to 256 characters.';
    if (fields.includes('token')) return 'This reset link is not valid: ask for a new one.';
  }
  if (typeof detail === 'string') return detail;
  return `The server answered ${status}. Try again shortly.`;
}

async function call(method, url, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new AccountError('The server could not be reached. Check the connection and try again.', 0);
  }
  if (!response.ok) {
    const detail = await response.json().then((b) => b.detail, () => null);
    throw new AccountError(explain(response.status, detail), response.status);
  }
  return response;
}

/** `{token, email, expired}` or undefined. */
export function auth() {
  return getMeta('auth');
}

async function signedIn(response, email) {
  const { access_token: token, expires_at: expiresAt } = await response.json();
  await setMeta('auth', { token, email, expires_at: expiresAt });
  await unparkCurrent(email); // a session it left in progress when it signed out
  // Pull the whole history of this account, whatever this device saw of another one before.
  await setMeta('cursor', 0);
  await setMeta('sync', undefined);
  announce(); // the header counts this account's records now
  await adoptEquipment(token).catch(() => {});
  await syncScreening().catch(() => {}); // offline: the next visit to Today tries again
}

// Equipment: the account's wins at sign-in; one yet to say takes the device's.
async function adoptEquipment(token) {
  const said = (await (await call('GET', '/api/me', { token })).json()).equipment;
  if (said.length) prefs.setEquipment(said);
  else if (prefs.equipment()) await saveEquipment(prefs.equipment());
}

export async function saveEquipment(equipment) {
  const { token, expired } = (await auth()) ?? {};
  if (token && !expired) await call('PUT', '/api/me/equipment', { body: { equipment }, token });
}

/** Keep red-flag answers on this device; the gate follows them unless they are due again. */
function keepScreening(screening) {
  prefs.setScreening(screening);
  if (['first', 'open', 'answers'].includes(prefs.gate())) prefs.setGate(triage(screening).blocks ? 'answers' : 'open');
}

/** Send red-flag answers to the account (signed in); the newer of these and its own stands. */
export async function sendScreening(screening) {
  const { token, expired } = (await auth()) ?? {};
  if (!token || expired) return;
  keepScreening(await (await call('PUT', '/api/me/screening', { body: screening, token })).json());
}

/**
 * The device's red-flag answers and the account's meet (at sign-in, and on Today): the newer
 * stands on both, as with every other record.
 */
export async function syncScreening() {
  const { token, expired } = (await auth()) ?? {};
  if (!token || expired) return;
  const theirs = await (await call('GET', '/api/me/screening', { token })).json();
  const mine = prefs.screening();
  const winner = newer(theirs, mine);
  if (!winner) return;
  if (winner === mine && mine.updated_at !== theirs?.updated_at) await sendScreening(mine);
  else keepScreening(winner);
}

/** The red-flag answers leave the device with the account (a shared phone asks the next person). */
function forgetScreening() {
  prefs.setScreening(null);
  prefs.setPlanCycle(null);
  prefs.setGate('first');
}

export async function register(email, password) {
  const clean = email.trim().toLowerCase();
  await signedIn(await call('POST', '/api/auth/register', { body: { email: clean, password } }), clean);
}

export async function signIn(email, password) {
  const clean = email.trim().toLowerCase();
  await signedIn(await call('POST', '/api/auth/login', { body: { email: clean, password } }), clean);
}

/** Whether this server can email reset links: `{available, link_minutes}`; null offline. */
export async function resetAvailability() {
  return call('GET', '/api/password-reset').then((r) => r.json(), () => null);
}

/** Ask for a reset link by email; the server answers alike whether the email has an account. */
export async function requestReset(email) {
  return (await call('POST', '/api/password-reset', { body: { email: email.trim().toLowerCase() } })).json();
}

/** Set a new password with the token from the emailed link; resolves with the account's email. */
export async function resetPassword(token, password) {
  return (await (await call('POST', '/api/password-reset/confirm', { body: { token, password } })).json()).email;
}

/** The signed-in account's records not yet on the server (refused ones too). */
export async function waiting() {
  return (await entriesOf(ownerFrom(await auth()))).length;
}

/**
 * Sign out: the token is forgotten here at once and its revocation queued in meta 'revoke'
 * (sent now if the server can be reached, else by the next flush: outbox.js), so an offline
 * sign-out still ends the token. The account's records stay on this device as its own,
 * hidden until it signs in again, unless `discard`: then they are deleted from this device,
 * those not yet on the server too (the screen asks first).
 */
export async function signOut({ discard = false } = {}) {
  const current = await auth();
  const owner = ownerFrom(current);
  await transact(['meta'], 'readwrite', async (meta) => {
    if (current?.token) meta.put([...((await req(meta.get('revoke'))) ?? []), current.token], 'revoke');
    meta.put(undefined, 'auth');
    meta.put(0, 'cursor');
    meta.put(undefined, 'plan'); // the next account has its own
    meta.put(undefined, 'sync'); // and its own last sync and backoff
  });
  // A session in progress is the account's too: it goes with it (its answers may hold a pain).
  await parkCurrent(owner, { discard });
  if (discard && owner) await forget(owner);
  forgetScreening();
  announce();
  await revokePending();
}

/** How many records on this device were saved with no account (to offer at sign-in). */
export function unclaimed() {
  return countOwned(null);
}

/** Add the records saved with no account to the signed-in account; resolves with how many. */
export async function claim() {
  const owner = ownerFrom(await auth());
  if (!owner) return 0;
  const added = await adopt(owner);
  announce();
  return added;
}

/** The export as `{blob, filename}`: format 'json' or 'csv'. */
export async function exportData(format) {
  const response = await call('GET', `/api/me/export?format=${format}`, { token: (await auth())?.token });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `spinewise.${format}`;
  return { blob: await response.blob(), filename };
}

/**
 * Delete the account on the server, then everything it left on this device; what other
 * accounts (or no account) left here stays theirs.
 */
export async function deleteAccount() {
  const current = await auth();
  await call('DELETE', '/api/me', { token: current?.token });
  const owner = ownerFrom(current);
  if (owner) {
    await forget(owner); // never the "no account yet" records
    await dropParked(owner);
  }
  await clearCurrent();
  await transact(['meta'], 'readwrite', (meta) => {
    for (const key of ['auth', 'cursor', 'plan', 'sync']) meta.delete(key);
  });
  forgetScreening();
  announce();
}
