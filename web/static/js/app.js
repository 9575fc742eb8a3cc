/**
 * Wiring only: which screen a path shows, loading its module on demand, in-app navigation,
 * the red-flag screen in front of anything that starts a session, and, once the first screen
 * is drawn, the service worker (pwa.js) and the outbox's triggers (syncing.js).
 */

import { fill, h, toTop } from './dom.js';
import * as prefs from './prefs.js';

// [path pattern, module loader, export, gated by the red-flag screen]
const ROUTES = [
  [/^\/$/, () => import('./screens/home.js'), 'render', true],
  [/^\/session$/, () => import('./screens/run.js'), 'render', true],
  [/^\/breathe$/, () => import('./screens/breathe.js'), 'render', true],
  [/^\/exercises$/, () => import('./screens/catalogue.js'), 'renderList', false],
  [/^\/exercises\/(?<slug>[a-z0-9-]+)$/, () => import('./screens/catalogue.js'), 'renderExercise', false],
  [/^\/history$/, () => import('./screens/history.js'), 'render', false],
  [/^\/safety$/, () => import('./screens/safety.js'), 'render', false],
  [/^\/checkin$/, () => import('./screens/checkin.js'), 'render', false],
  [/^\/account$/, () => import('./screens/account.js'), 'render', false],
  [/^\/reset$/, () => import('./screens/account.js'), 'renderReset', false],
];

const main = document.getElementById('main');
let leave = null; // the current screen's clean-up
let guard = null; // the current screen's check before a link leaves it (a session running)
let shown = 0; // guards against a slow screen drawing over a newer one

function navigate(url, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  show();
}

async function show() {
  const ticket = ++shown;
  toTop(); // every screen opens at its top
  const { pathname, search } = location;
  const route = ROUTES.find(([pattern]) => pattern.test(pathname));
  if (typeof leave === 'function') leave();
  leave = null;
  guard = null;
  for (const link of document.querySelectorAll('.tabs a')) {
    const here = link.getAttribute('href') === pathname;
    if (here) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!route) {
    fill(main, h('section', { class: 'screen' }, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/' }, 'Back to today'))));
    return;
  }
  const [pattern, load, name, gated] = route;
  // `guard(check)`: before an in-app link leaves this screen, `check(url)` may answer false
  // and navigate itself later (the runner asks first: keep going, save, or discard).
  const ctx = {
    params: pattern.exec(pathname).groups ?? {}, query: new URLSearchParams(search), navigate, guard: (check) => { if (ticket === shown) guard = check; },
  };
  try {
    const asking = pathname === '/safety' || (gated && prefs.gate() !== 'open');
    document.body.classList.toggle('gate', asking); // a full screen of its own: no tab bar over it
    if (asking) {
      const safety = await import('./screens/safety.js');
      if (ticket !== shown) return;
      // The red-flag screen stands in front; once cleared, the screen asked for appears.
      safety.render(main, { onCleared: () => (pathname === '/safety' ? navigate('/', { replace: true }) : show()) });
      return;
    }
    const screen = await load();
    if (ticket !== shown) return;
    const cleanup = await screen[name](main, ctx);
    if (ticket !== shown) {
      if (typeof cleanup === 'function') cleanup();
      return;
    }
    leave = cleanup;
    // And is still there once drawn (the red-flag screen's height is gone). A page just loaded
    // is there already: scrolling would have the browser lay the whole screen out before its
    // first frame (bench/offline_start.py).
    if (ticket > 1) toTop();
  } catch (error) {
    console.error(error);
    if (ticket !== shown) return;
    const missing = error.status === 404;
    fill(main, h('section', { class: 'screen' },
      h('h1', {}, missing ? 'Not in the catalogue' : 'Something went wrong'),
      h('p', {}, missing ? 'There is no exercise at this address.' : 'This screen could not be shown. Check the connection, then try again.'),
      h('p', { class: 'actions' }, h('a', { class: 'button', href: '/' }, 'Back to today'))));
  }
}

// Links inside the app change the screen without a page load (a session keeps its sound).
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[href]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
    || event.shiftKey || event.altKey || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/static/')) return;
  event.preventDefault();
  const to = url.pathname + url.search;
  if (to === location.pathname + location.search || (guard && guard(to) === false)) return;
  navigate(to);
});
window.addEventListener('popstate', show);

// Nothing sticky covers content or a focused control (WCAG 2.4.11). The content scrolls in
// .scroller, which ends where the dock (the tab bar and the toasts above it) begins; a control
// focused under a screen's sticky bar, or left below the box when a toast grows the dock,
// scrolls up clear of it.
const scroller = document.querySelector('.scroller');
function clear(target) {
  if (!scroller?.contains(target)) return;
  for (let i = 0; i < 3; i += 1) { // a bar scrolled clear of may reveal the next one under it
    const box = target.getBoundingClientRect();
    const tops = [...document.querySelectorAll('.sticky')].filter((bar) => !bar.contains(target))
      .map((bar) => bar.getBoundingClientRect()).filter((r) => r.height && r.top < box.bottom && r.bottom > box.top).map((r) => r.top);
    const limit = Math.min(scroller.getBoundingClientRect().bottom, ...tops);
    if (box.bottom <= limit) return;
    scroller.scrollBy(0, box.bottom - limit + 12);
  }
}
const dock = document.querySelector('.dock');
if (dock) {
  new ResizeObserver(() => {
    if (document.activeElement?.matches(':focus-visible')) requestAnimationFrame(() => clear(document.activeElement));
  }).observe(dock);
}
document.addEventListener('focusin', ({ target }) => requestAnimationFrame(() => clear(target)));

// Installed, the shell came from the service worker and every module is on the device: ask
// at once for those the screen loads later (`data-later`: Today's data and plan), so that it
// waits for no chain of imports, each found only once the one before it has loaded.
if (navigator.serviceWorker?.controller) {
  const later = document.querySelector('script[data-later]')?.dataset.later.split(' ') ?? [];
  document.head.append(...later.map((href) => h('link', { rel: 'modulepreload', href })));
}

show().finally(() => {
  performance.mark('spinewise:screen'); // the first screen is usable (bench/offline_start.py)
  import('./pwa.js').then((pwa) => pwa.start());
  import('./syncing.js').then((syncing) => syncing.start());
});
