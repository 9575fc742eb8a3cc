/**
 * The account: sign in or register; once signed in, what waits to sync and "Sync now", the
 * records the server refused (kept, with its reason), export, sign out, delete.
 */

import * as account from '../account.js';
import { fill, h, titled } from '../dom.js';
import { discardRejected, retryRejected, status } from '../outbox.js';
import * as syncing from '../syncing.js';

const when = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export async function render(main) {
  const syncCard = h('article', { class: 'card sync-status', 'aria-live': 'polite' });
  const body = h('div', { class: 'account-body' });
  const message = h('p', { class: 'message', role: 'alert' });
  const section = h('section', { class: 'screen account' }, h('h1', {}, 'Account'), message, syncCard, body);
  fill(main, section);
  titled(main, 'Account');

  const say = (text) => { message.textContent = text; };
  const redraw = async () => {
    const current = await status();
    drawSync(syncCard, current, say);
    return current;
  };
  const show = async () => {
    const current = await redraw();
    // Signed in, the sync comes first; signed out, the way to sign in does.
    if (current.signedIn) {
      section.append(syncCard, body);
      drawSignedIn(body, current, say, show);
    } else {
      section.append(body, syncCard);
      drawSignedOut(body, current, say, show);
    }
  };
  await show();
  return syncing.onChange(() => redraw());
}

function drawSync(card, s, say) {
  const count = s.waiting + s.rejected.length;
  const one = count === 1;
  const where = s.signedIn
    ? `${one ? 'waits' : 'wait'} to reach the server`
    : `${one ? 'is' : 'are'} saved on this device only: sign in to back ${one ? 'it' : 'them'} up`;
  fill(card,
    h('h2', {}, 'Sync'),
    h('p', { class: 'waiting' }, count === 0
      ? (s.signedIn ? 'Everything is on the server.' : 'Nothing is waiting.')
      : `${count} ${one ? 'record' : 'records'} ${where}.`),
    h('p', { class: 'last-synced meta' }, s.lastSyncedAt ? `Last synced ${when.format(new Date(s.lastSyncedAt))}.` : 'Not synced from this device yet.'),
    s.failures > 0
      ? h('p', { class: 'sync-error meta' }, `${s.lastError}. Trying again ${s.nextAttemptAt ? `after ${when.format(new Date(s.nextAttemptAt))}` : 'soon'}.`)
      : null,
    s.rejected.length === 0 ? null : h('div', { class: 'rejected' },
      h('h3', {}, 'Refused by the server'),
      h('p', { class: 'meta' }, 'These stay here until you send them again or remove them.'),
      h('ul', { class: 'cards' }, s.rejected.map((e) => h('li', { class: 'card rejected-record', dataset: { id: e.id } },
        h('strong', {}, e.type === 'checkins' ? `Check-in of ${e.record.day}` : `Session of ${when.format(new Date(e.record.started_at))}`),
        h('p', { class: 'reason' }, e.rejected),
        h('p', { class: 'actions' },
          h('button', { type: 'button', class: 'button', onclick: async () => { await retryRejected(e.id); syncing.sync({ force: true }); } }, 'Send again'),
          h('button', { type: 'button', class: 'button', onclick: () => discardRejected(e.id) }, 'Remove from the outbox')))))),
    s.signedIn
      ? h('button', {
        type: 'button',
        class: 'button primary sync-now',
        onclick: async (event) => {
          event.currentTarget.disabled = true;
          const result = await syncing.sync({ force: true });
          say(result.error ? `Not synced: ${result.error}.` : '');
        },
      }, 'Sync now')
      : null);
}

function drawSignedOut(body, s, say, show) {
  const form = h('form', { class: 'auth-form' },
    h('label', { for: 'email' }, 'Email'),
    h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
    h('label', { for: 'password' }, 'Password'),
    h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, minlength: '8' }),
    h('p', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary', value: 'sign-in' }, 'Sign in'),
      h('button', { type: 'submit', class: 'button', value: 'register' }, 'Create account')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const register = event.submitter?.value === 'register';
    const { email, password } = form.elements;
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    try {
      await (register ? account.register : account.signIn)(email.value, password.value);
      say('');
      syncing.askPersistence();
      await show();
      await syncing.sync({ force: true }); // send what waits, pull this account's history
    } catch (error) {
      say(error.message);
      for (const button of form.querySelectorAll('button')) button.disabled = false;
    }
  });
  fill(body,
    s.expired ? h('p', { class: 'notice' }, 'Your sign-in has expired or was ended: sign in again to keep syncing.') : null,
    h('p', { class: 'lede' }, 'Spinewise works fully on this device without an account. Sign in to back up your sessions and check-ins, and to see them on another device.'),
    form);
}

function drawSignedIn(body, s, say, show) {
  const download = (format) => async () => {
    say('');
    try {
      const { blob, filename } = await account.exportData(format);
      const link = h('a', { href: URL.createObjectURL(blob), download: filename, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      say(`The export could not be made: ${error.message}`);
    }
  };
  const confirm = h('div', { class: 'confirm-delete notice', hidden: true },
    h('p', {}, h('strong', {}, 'Delete your account for good?'),
      ' This deletes the account and every session and check-in in it, on the server and on this device. It cannot be undone.'),
    h('p', { class: 'actions' },
      h('button', {
        type: 'button',
        class: 'button danger',
        onclick: async () => {
          try {
            await account.deleteAccount();
            await show();
            say('Your account and its data are deleted.');
          } catch (error) {
            say(`The account could not be deleted: ${error.message}`);
          }
        },
      }, 'Delete for good'),
      h('button', { type: 'button', class: 'button', onclick: () => { confirm.hidden = true; } }, 'Cancel')));
  fill(body,
    h('p', { class: 'signed-in-as' }, 'Signed in as ', h('strong', {}, s.email), '.'),
    h('article', { class: 'card' },
      h('h2', {}, 'Your data'),
      h('p', {}, 'Everything your account holds, to keep or to take elsewhere.'),
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'button', onclick: download('json') }, 'Download JSON'),
        h('button', { type: 'button', class: 'button', onclick: download('csv') }, 'Download CSV'))),
    h('p', { class: 'actions' },
      h('button', {
        type: 'button',
        class: 'button',
        onclick: async () => {
          const waiting = s.waiting + s.rejected.length;
          await account.signOut();
          await show();
          say(waiting ? `Signed out. ${waiting} unsynced ${waiting === 1 ? 'record stays' : 'records stay'} on this device and will sync when you sign in again.` : 'Signed out.');
        },
      }, 'Sign out'),
      h('button', { type: 'button', class: 'button', onclick: () => { confirm.hidden = false; } }, 'Delete account…')),
    confirm);
}
