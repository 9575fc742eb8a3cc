/**
 * The account over the API: register, sign in and out, export, delete. The bearer token is
 * kept in IndexedDB ('auth' in the meta store), where the service worker can read it to
 * flush the outbox with no page open. No DOM.
 */

import { getMeta, setMeta, transact } from './store.js';

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
  // Pull the whole history of this account, whatever this device saw of another one before.
  await setMeta('cursor', 0);
}

export async function register(email, password) {
  const clean = email.trim().toLowerCase();
  await signedIn(await call('POST', '/api/auth/register', { body: { email: clean, password } }), clean);
}

export async function signIn(email, password) {
  const clean = email.trim().toLowerCase();
  await signedIn(await call('POST', '/api/auth/login', { body: { email: clean, password } }), clean);
}

/** Revoke the token (when the server can be reached) and forget it. History stays here. */
export async function signOut() {
  const current = await auth();
  if (current?.token) await call('POST', '/api/auth/logout', { token: current.token }).catch(() => {});
  await setMeta('auth', undefined);
  await setMeta('cursor', 0);
  await setMeta('plan', undefined); // the next account has its own
}

/** The export as `{blob, filename}`: format 'json' or 'csv'. */
export async function exportData(format) {
  const response = await call('GET', `/api/me/export?format=${format}`, { token: (await auth())?.token });
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `spinewise.${format}`;
  return { blob: await response.blob(), filename };
}

/** Delete the account on the server, then everything it left on this device. */
export async function deleteAccount() {
  await call('DELETE', '/api/me', { token: (await auth())?.token });
  await transact(['current', 'sessions', 'checkins', 'outbox', 'meta'], 'readwrite', (...stores) => {
    for (const store of stores) store.clear();
  });
}
