/**
 * The account's plan (GET /api/plan), kept on this device: the Today screen and the runner
 * show the last plan fetched when the server cannot be reached. Without an account there is
 * no plan; the app falls back to the catalogue's starter session (prescribe.js). No DOM.
 */

import { auth } from './account.js';
import { getMeta, setMeta } from './store.js';

/** The plan kept on this device for the signed-in account: `{plan, email, fetched_at}` or null. */
export async function kept() {
  const [signed, entry] = await Promise.all([auth(), getMeta('plan')]);
  return signed?.token && entry?.email === signed.email ? entry : null;
}

/**
 * The plan fresh from the server (kept for next time), else the kept one with `fresh: false`,
 * else null (no account, or never fetched).
 */
export async function current() {
  const signed = await auth();
  if (!signed?.token) return null;
  try {
    const utcOffset = -new Date().getTimezoneOffset(); // the plan is built for the person's date
    const response = await fetch(`/api/plan?utc_offset=${utcOffset}`, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${signed.token}` },
    });
    if (response.ok) {
      const entry = { plan: await response.json(), email: signed.email, fetched_at: new Date().toISOString() };
      await setMeta('plan', entry);
      return { ...entry, fresh: true };
    }
  } catch {
    // Offline, or the server is away: the kept plan stands in.
  }
  const entry = await kept();
  return entry ? { ...entry, fresh: false } : null;
}
