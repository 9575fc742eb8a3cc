/**
 * When the page flushes the outbox (outbox.js does the work): on start, when the browser comes
 * back online, when the app is shown again, after a record is saved, after sign-in, on "Sync
 * now", and after a failure once its backoff has passed. Where the browser has Background
 * Sync, the service worker is asked to flush as well, which it can do with no page open
 * (Safari has none: these page triggers cover it). Also the small status in the header.
 */

import { h } from './dom.js';
import { CHANNEL, announce, flush, status } from './outbox.js';
import { chipWords } from './sync-core.js';

let timer = 0;
let chip = null;
const listeners = new Set();

/** Flush now, unless a backoff is running (`force` skips it); schedule the retry on failure. */
export async function sync({ force = false } = {}) {
  clearTimeout(timer);
  if (!force) {
    const { nextAttemptAt } = await status();
    const wait = nextAttemptAt ? Date.parse(nextAttemptAt) - Date.now() : 0;
    if (wait > 0) {
      timer = setTimeout(() => sync(), wait);
      return { error: 'waiting', retry: true, delay: wait };
    }
  }
  const result = await flush();
  if (result.retry) {
    timer = setTimeout(() => sync(), result.delay);
    askBackgroundSync();
  }
  return result;
}

/** A record was saved: send it when possible. */
export function queued() {
  announce(); // this page and the others count one more waiting
  askBackgroundSync();
  askPersistence();
  return sync();
}

/** Ask the service worker to flush when connectivity allows (Background Sync, where it exists). */
async function askBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register('outbox');
  } catch {
    // Not allowed here (no Background Sync, or the permission is off): the page triggers do.
  }
}

/** Ask the browser to keep this site's data (records waiting to sync live there). */
export async function askPersistence() {
  try {
    return (await navigator.storage?.persisted?.()) || (await navigator.storage?.persist?.()) || false;
  } catch {
    return false;
  }
}

/** Call `listener(status)` whenever the outbox changes, here or in another tab or the worker. */
export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function changed() {
  const current = await status();
  drawChip(current);
  for (const listener of listeners) listener(current);
}

/** The header's note of records not yet on the server, as information (sync-core.js). */
function drawChip(current) {
  const words = chipWords(current);
  chip.hidden = !words;
  chip.textContent = words?.text ?? '';
  chip.title = words?.title ?? '';
  chip.dataset.tone = words?.tone ?? '';
}

export function start() {
  chip = h('a', { class: 'sync-chip', href: '/account', hidden: true });
  document.querySelector('.top')?.insertBefore(chip, document.querySelector('.account-link'));
  if (typeof BroadcastChannel === 'function') new BroadcastChannel(CHANNEL).onmessage = changed;
  addEventListener('online', () => sync({ force: true }));
  // A start and a return to the app are the person's own moments to try: they skip the
  // backoff that paces the automatic retries (which could otherwise reach minutes).
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') sync({ force: true });
  });
  changed();
  return sync({ force: true });
}
