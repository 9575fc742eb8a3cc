/**
 * The service worker. It only routes; each strategy is a small function below.
 *
 *   navigations              the network first; the cached shell when it fails, so every app
 *                            route and deep link opens offline (app.js draws the screen)
 *   /static/…, the manifest  the cache first; where the browser has static routes (Chromium's
 *                            InstallEvent.addRoutes), /static/… comes from this version's cache
 *                            without waking the worker at all
 *   /api/exercises           the cached catalogue at once, revalidated with its ETag meanwhile
 *   other /api/…, non-GET    straight to the network, untouched
 *
 * The server fills in BUILD when it serves this file: `version` is a hash of everything in
 * `precache`, so a deploy that changes any of it installs a new worker with a new cache. The
 * new worker waits until the page asks it to take over (the page offers "new version —
 * reload"), so it never swaps the app under a running session.
 *
 * Background Sync's `sync` event flushes the outbox from here, even with no page open.
 */

import { flush } from '/static/js/outbox.js';

const BUILD = { version: 'dev', precache: [] };
const CACHE = `spinewise-${BUILD.version}`;
const CATALOGUE = '/api/exercises';
const NAVIGATION_TIMEOUT_MS = 4000; // a network this slow is as good as none: use the shell

self.addEventListener('install', (event) => {
  event.waitUntil(Promise.all([precache(), staticRoutes(event)]));
});

self.addEventListener('activate', (event) => {
  // On a first install, control the page that registered us at once, so it works offline
  // without a reload; on an update the page asked for this and reloads on controllerchange.
  event.waitUntil(cleanupCaches().then(() => self.clients.claim()));
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (!url.pathname.startsWith('/api/')) event.respondWith(networkOrShell(request, url));
  } else if (url.pathname === CATALOGUE && !url.search) {
    event.respondWith(staleWhileRevalidate(event));
  } else if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(cacheOrNetwork(request));
  }
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'outbox') event.waitUntil(flushOrRetry());
});

let opened = null;
/** This version's cache, opened once per start of the worker (each open asks the browser). */
function ownCache() {
  opened ??= caches.open(CACHE).catch((error) => {
    opened = null; // ask again next time
    throw error;
  });
  return opened;
}

/**
 * Static files straight from this version's cache, by the browser itself: no fetch event, so
 * a page's modules load without a trip through the worker. Everything under /static/ is
 * precached; a miss would go to the network. Browsers without static routes use `fetch`.
 */
function staticRoutes(event) {
  if (typeof event.addRoutes !== 'function') return undefined;
  return event.addRoutes({ condition: { urlPattern: { pathname: '/static/*' } }, source: { cacheName: CACHE } })
    .catch(() => {}); // routes only make it faster: the fetch handler serves the same files
}

/** Everything on the list, fetched past the HTTP cache (a deploy must arrive whole). */
async function precache() {
  const cache = await ownCache();
  await Promise.all(BUILD.precache.map(async (url) => {
    const response = await fetch(url, { cache: 'reload' });
    if (!response.ok) throw new Error(`precache: ${url} answered ${response.status}`);
    await cache.put(url, response);
  }));
}

/** Delete the caches of earlier versions. */
async function cleanupCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith('spinewise-') && name !== CACHE)
    .map((name) => caches.delete(name)));
}

async function networkOrShell(request, url) {
  try {
    return await Promise.race([
      fetch(request),
      new Promise((_, reject) => { setTimeout(() => reject(new Error('timeout')), NAVIGATION_TIMEOUT_MS); }),
    ]);
  } catch (error) {
    // Any shell will draw the screen (app.js draws by the path), but each names the modules
    // its screen needs (`modulepreload`), so a path not precached takes the shell of the path
    // above it where there is one (a deep link to one exercise: the list's, whose modules are
    // the same), else the first screen's.
    const cache = await ownCache();
    const parent = url.pathname.replace(/\/[^/]*\/?$/, '') || '/';
    const shell = (await cache.match(url.pathname)) ?? (await cache.match(parent)) ?? (await cache.match('/'));
    if (shell) return shell;
    throw error;
  }
}

async function cacheOrNetwork(request) {
  const cache = await ownCache();
  return (await cache.match(request, { ignoreVary: true })) ?? fetch(request);
}

/** The cached catalogue now; meanwhile ask the server, with its ETag, for a newer one. */
function staleWhileRevalidate(event) {
  const cached = ownCache().then((cache) => cache.match(CATALOGUE, { ignoreVary: true }));
  const fresh = cached.then(revalidate);
  event.waitUntil(fresh.catch(() => {})); // offline: the cached copy stands
  return cached.then((response) => response ?? fresh);
}

async function revalidate(cached) {
  const etag = cached?.headers.get('ETag');
  const response = await fetch(CATALOGUE, {
    cache: 'no-store',
    headers: etag ? { 'If-None-Match': etag } : {},
  });
  if (response.status === 304 && cached) return cached;
  if (response.ok) await (await ownCache()).put(CATALOGUE, response.clone());
  return response;
}

async function flushOrRetry() {
  const result = await flush();
  // A rejected promise asks the browser to fire `sync` again later, with its own backoff.
  if (result.retry) throw new Error(`the outbox was not delivered: ${result.error}`);
}
