/**
 * The page's side of installing and updating (after squoosh): register the service worker;
 * a first install says "ready to work offline"; a new version found is offered as "New
 * version — reload" (held back while a session runs, never swapped under it), and a tap asks
 * the waiting worker to take over, then reloads once it has. Also the install button where
 * `beforeinstallprompt` fires, and a short "Add to Home Screen" hint on iOS Safari.
 */

import { h } from './dom.js';

const HINT_KEY = 'spinewise.ios-hint-dismissed';
let toasts = null;
let offer = null; // the "new version" toast, once there is one

/** A note in the dock, above the tabs (never over a button: app.css); a `brief` one fades by itself (a CSS animation, as timers may sleep). */
function toast(text, { action, onAction, dismiss = false, brief = false, className = '' } = {}) {
  const close = () => item.remove();
  const item = h('div', { class: `toast ${brief ? 'brief' : ''} ${className}`, onanimationend: close },
    h('span', {}, text),
    action ? h('button', { type: 'button', class: 'button primary', onclick: () => onAction(close) }, action) : null,
    dismiss ? h('button', { type: 'button', class: 'button', 'aria-label': 'Dismiss', onclick: () => dismiss(close) }, 'OK') : null);
  toasts.append(item);
  return item;
}

function offerUpdate(worker) {
  if (offer) return;
  offer = toast('New version — reload to use it.', {
    className: 'update',
    action: 'Reload',
    onAction: (close) => {
      close();
      // controllerchange follows once the new worker has taken over.
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
      worker.postMessage({ type: 'skip-waiting' });
    },
  });
}

async function register() {
  if (!('serviceWorker' in navigator)) return;
  const firstInstall = !navigator.serviceWorker.controller;
  let registration;
  try {
    // A module worker (it imports the outbox); 'none': never its scripts from the HTTP cache.
    registration = await navigator.serviceWorker.register('/sw.js', { type: 'module', updateViaCache: 'none' });
  } catch (error) {
    console.warn('offline use is not available:', error);
    return;
  }
  const watched = new WeakSet();
  const watch = (worker) => {
    if (!worker || watched.has(worker)) return;
    watched.add(worker);
    const changed = () => {
      if (worker.state === 'installed' && navigator.serviceWorker.controller && registration.waiting === worker) offerUpdate(worker);
      if (worker.state === 'activated' && firstInstall) {
        toast('Ready to work offline.', { className: 'offline-ready', brief: true });
      }
    };
    worker.addEventListener('statechange', changed);
    changed();
  };
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
  // The app lives long in one page: look for a new version whenever it is shown again.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') registration.update().catch(() => {});
  });
}

function installButton() {
  let deferred = null;
  const button = h('button', { type: 'button', class: 'button install', hidden: true }, 'Install app');
  document.querySelector('.top')?.insertBefore(button, document.querySelector('.account-link'));
  addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault(); // shown on our button, when the person asks
    deferred = event;
    button.hidden = false;
  });
  button.addEventListener('click', async () => {
    if (!deferred) return;
    button.hidden = true;
    deferred.prompt();
    await deferred.userChoice.catch(() => null);
    deferred = null;
  });
  addEventListener('appinstalled', () => { button.hidden = true; });
}

/** iOS Safari has no install prompt: say once how to add the app to the Home Screen. */
function iosHint() {
  const ua = navigator.userAgent;
  const ios = /iPhone|iPad|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
  const safari = /Safari\//.test(ua) && !/CriOS|FxiOS|EdgiOS|OPiOS/.test(ua);
  if (!ios || !safari || navigator.standalone || localStorage.getItem(HINT_KEY)) return;
  toast('Install Spinewise: tap Share, then “Add to Home Screen”. It then works offline.', {
    className: 'ios-hint',
    dismiss: (close) => {
      localStorage.setItem(HINT_KEY, '1');
      close();
    },
  });
}

export function start() {
  toasts = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
  const dock = document.querySelector('.dock') ?? document.body;
  dock.prepend(toasts);
  installButton();
  iosHint();
  return register();
}
