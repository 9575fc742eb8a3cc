/**
 * The account: sign in or register; once signed in, what waits to sync and "Sync now", the
 * records the server refused (kept, with its reason), export, sign out, delete.
 *
 * A phone may be shared. Signing in, the person is asked whether records saved here with no
 * account are theirs; signing out with records still waiting, whether to sync them first,
 * keep them here for their next sign-in, or delete them. Nothing is deleted without that
 * answer.
 *
 * A forgotten password: /account?forgot asks for a link by email; the link opens /reset
 * (renderReset), where the new password is set, and the person is signed in with it.
 */

import * as account from '../account.js';
import { fill, h, titled } from '../dom.js';
import { deleteRejected, discardRejected, retryRejected, status } from '../outbox.js';
import * as syncing from '../syncing.js';
import { haveForm } from './catalogue.js';

// What the reset screen leaves for the account screen to say once it has signed the person in.
let afterReset = null;

const NO_EMAIL = 'This server cannot send email, so it cannot send you a link to choose a new password. Whoever runs it can set up email for it.';

const when = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export async function render(main, ctx) {
  const syncCard = h('article', { class: 'card sync-status', 'aria-live': 'polite' });
  const body = h('div', { class: 'account-body' });
  const message = h('p', { class: 'message', role: 'alert' });
  const equipment = h('article', { class: 'card' }, haveForm());
  const section = h('section', { class: 'screen account' }, h('h1', {}, 'Account'), message, syncCard, body, equipment);
  fill(main, section);
  titled(main, 'Account');

  // Errors in the warning colour; everything else ("Signed out.") reads as plain information.
  const say = (text, tone = 'info') => {
    message.textContent = text;
    message.dataset.tone = tone;
  };
  const redraw = async () => {
    const current = await status();
    drawSync(syncCard, current, say);
    return current;
  };
  const show = async () => {
    const current = await redraw();
    fill(equipment, haveForm()); // signing in takes the account's choice
    // Signed in, the sync comes first; signed out, the way to sign in does.
    if (current.signedIn) {
      section.append(syncCard, body, equipment);
      drawSignedIn(body, current, say, show);
    } else {
      section.append(body, syncCard, equipment);
      if (ctx?.query.has('forgot')) drawForgot(body, say);
      else drawSignedOut(body, current, say, show);
    }
  };
  await show();
  if (afterReset) {
    say(afterReset);
    afterReset = null;
    welcome(body, say, show);
  }
  return syncing.onChange(() => redraw());
}

/** What follows a sign-in, from the form or a reset: the signed-in screen, the question about
 * records saved here with no account, and a sync (sends what waits, pulls the history). */
async function welcome(body, say, show) {
  syncing.askPersistence();
  await show();
  await offerClaim(body, (await account.auth()).email, say);
  await syncing.sync({ force: true });
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
      ? h('p', { class: 'sync-error meta' }, `${s.lastError}. Trying again ` + (s.nextAttemptAt ? `after ${when.format(new Date(s.nextAttemptAt))}` : 'soon') + '.')
      : null,
    s.rejected.length === 0 ? null : h('div', { class: 'rejected' },
      h('h3', {}, 'Refused by the server'),
      h('p', { class: 'meta' }, 'These stay here until you send them again or remove them.'),
      h('ul', { class: 'cards' }, s.rejected.map((e) => refused(e)))),
    s.signedIn
      ? h('button', {
        type: 'button',
        class: 'button primary sync-now',
        onclick: async (event) => {
          event.currentTarget.disabled = true;
          const result = await syncing.sync({ force: true });
          say(result.error ? `Not synced: ${result.error}.` : '', 'error');
        },
      }, 'Sync now')
      : null);
}

/** A refused record: send it again, keep it here unsent, or delete it here after a question. */
function refused(e) {
  const what = e.type === 'checkins' ? `Check-in of ${e.record.day}` : `Session of ${when.format(new Date(e.record.started_at))}`;
  const confirm = h('p', { class: 'confirm-delete-record notice', hidden: true },
    'Delete this record from this device? It never reached the server, so it will be gone for good. ',
    h('button', { type: 'button', class: 'button danger', onclick: () => deleteRejected(e.id) }, 'Delete for good'),
    h('button', { type: 'button', class: 'button', onclick: () => { confirm.hidden = true; } }, 'Cancel'));
  return h('li', { class: 'card rejected-record', dataset: { id: e.id } },
    h('strong', {}, what),
    h('p', { class: 'reason' }, e.rejected),
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'button', onclick: async () => { await retryRejected(e.id); syncing.sync({ force: true }); } }, 'Send again'),
      h('button', { type: 'button', class: 'button', onclick: () => discardRejected(e.id) }, 'Remove from the outbox'),
      h('button', { type: 'button', class: 'button', onclick: () => { confirm.hidden = false; } }, 'Delete from this device…')),
    confirm);
}

const records = (n) => `${n} ${n === 1 ? 'record' : 'records'}`;

/**
 * Records saved here with no account: ask whether they are this account's. Declined, they stay
 * "no account yet", hidden while someone is signed in, and the question comes again at the
 * next sign-in.
 */
async function offerClaim(body, email, say) {
  const count = await account.unclaimed();
  if (count === 0) return;
  const card = h('article', { class: 'card notice claim' },
    h('h2', {}, `Add ${records(count)} to ${email}?`),
    h('p', {}, `${count === 1 ? 'It was' : 'They were'} saved on this device while no one was signed in. Added, ${count === 1 ? 'it syncs' : 'they sync'} to this account; if not, ${count === 1 ? 'it stays' : 'they stay'} on this device only, hidden while you are signed in.`),
    h('p', { class: 'actions' },
      h('button', {
        type: 'button',
        class: 'button primary',
        onclick: async () => {
          const added = await account.claim();
          card.remove();
          say(`Added ${records(added)} to ${email}.`);
          syncing.sync({ force: true });
        },
      }, 'Add them'),
      h('button', { type: 'button', class: 'button', onclick: () => card.remove() }, 'Not now')));
  body.prepend(card);
}

function drawSignedOut(body, s, say, show) {
  const form = h('form', { class: 'auth-form' },
    h('label', { for: 'email' }, 'Email'),
    h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true }),
    h('label', { for: 'password' }, 'Password'),
    h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, minlength: '8', maxlength: '256', 'aria-describedby': 'password-rules' }),
    h('p', { id: 'password-rules', class: 'meta' }, 'A password has at least 8 characters (up to 256): any letters, numbers, spaces or symbols.'),
    h('p', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary', value: 'sign-in' }, 'Sign in'),
      h('button', { type: 'submit', class: 'button', value: 'register' }, 'Create account')),
    h('a', { class: 'forgot-link', href: '/account?forgot' }, 'Forgot your password?'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const register = event.submitter?.value === 'register';
    const { email, password } = form.elements;
    for (const button of form.querySelectorAll('button')) button.disabled = true;
    try {
      await (register ? account.register : account.signIn)(email.value, password.value);
      say('');
      await welcome(body, say, show);
    } catch (error) {
      say(error.message, 'error');
      for (const button of form.querySelectorAll('button')) button.disabled = false;
    }
  });
  // An ended sign-in leaves the account the device's owner (its records stay shown and
  // theirs) until someone signs in, or the person signs out here.
  const choice = h('div', { class: 'sign-out-choice notice', hidden: true });
  fill(body,
    s.expired ? h('p', { class: 'notice' }, `Your sign-in as ${s.email} has expired or was ended: sign in again to keep syncing. `,
      h('button', { type: 'button', class: 'button', onclick: () => signOutAsked(choice, s.email, say, show, { canSync: false }) }, 'Sign out')) : null,
    choice,
    h('p', { class: 'lede' }, 'Spinewise works fully on this device without an account. Sign in to back up your sessions and check-ins, and to see them on another device.'),
    form);
}

/** Ask for a reset link by email; first, whether this server can send email at all. */
function drawForgot(body, say) {
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Email me a link');
  const form = h('form', { class: 'auth-form forgot-form' },
    h('label', { for: 'email' }, 'Email'), email, h('p', { class: 'actions' }, button));
  const asking = h('div', {},
    h('p', { class: 'lede' }, 'Give the email of your account: Spinewise sends a link to it, to choose a new password.'),
    form);
  fill(body, h('h2', {}, 'Forgot your password?'), asking, h('p', {}, h('a', { href: '/account' }, 'Back to sign in')));
  account.resetAvailability().then((answer) => {
    if (answer && !answer.available) asking.replaceWith(h('p', { class: 'notice cannot-email' }, NO_EMAIL));
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const { link_minutes: minutes } = await account.requestReset(email.value);
      say(`If an account uses ${email.value.trim().toLowerCase()}, an email with a link to choose a new password is on its way. The link works once, for ${minutes} minutes.`);
    } catch (error) {
      say(error.message);
    }
    button.disabled = false;
  });
}

/**
 * The page a reset email's link opens: /reset#token=… (the token stays out of the server's
 * logs, as a fragment). Set, the new password signs the person in, unless this device is
 * signed in as someone else.
 */
export async function renderReset(main, ctx) {
  const message = h('p', { class: 'message', role: 'alert' });
  const section = h('section', { class: 'screen reset' }, h('h1', {}, 'Choose a new password'), message);
  fill(main, section);
  titled(main, 'Choose a new password');
  const say = (text) => { message.textContent = text; };
  const anotherLink = () => h('p', {}, h('a', { class: 'button', href: '/account?forgot' }, 'Ask for a new link'));
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (!token) {
    section.append(h('p', {}, 'This page opens from the link in a password reset email, and this address holds no link.'), anotherLink());
    return;
  }
  const password = h('input', {
    id: 'new-password', name: 'password', type: 'password', autocomplete: 'new-password',
    required: true, minlength: '8', maxlength: '256', 'aria-describedby': 'password-rule',
  });
  const button = h('button', { type: 'submit', class: 'button primary' }, 'Set the new password');
  const form = h('form', { class: 'auth-form' },
    h('label', { for: 'new-password' }, 'New password'), password,
    h('p', { id: 'password-rule', class: 'meta' }, '8 to 256 characters. Setting it signs your account out on every device.'),
    h('p', { class: 'actions' }, button));
  section.append(form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    let email;
    try {
      email = await account.resetPassword(token, password.value);
    } catch (error) {
      say(error.message);
      button.disabled = false;
      if (error.status === 400) form.replaceWith(anotherLink()); // used, expired or unknown
      return;
    }
    const current = await account.auth();
    if (current?.token && !current.expired && current.email !== email) {
      say(`Your new password is set. This device is signed in as ${current.email}: sign out on the Account screen, then sign in as ${email} with the new password.`);
      form.replaceWith(h('p', {}, h('a', { class: 'button', href: '/account' }, 'Account')));
      return;
    }
    try {
      await account.signIn(email, password.value);
    } catch (error) {
      say(`Your new password is set, but signing in failed: ${error.message}`);
      form.replaceWith(h('p', {}, h('a', { class: 'button', href: '/account' }, 'Sign in')));
      return;
    }
    afterReset = `Your new password is set, and you are signed in as ${email}. Every other sign-in of this account has ended.`;
    ctx.navigate('/account', { replace: true });
  });
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
      say(`The export could not be made: ${error.message}`, 'error');
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
            say(`The account could not be deleted: ${error.message}`, 'error');
          }
        },
      }, 'Delete for good'),
      h('button', { type: 'button', class: 'button', onclick: () => { confirm.hidden = true; } }, 'Cancel')));
  const choice = h('div', { class: 'sign-out-choice notice', hidden: true });
  fill(body,
    h('p', { class: 'signed-in-as' }, 'Signed in as ', h('strong', {}, s.email), '.'),
    h('article', { class: 'card' },
      h('h2', {}, 'Your data'),
      h('p', {}, 'Everything your account holds, to keep or to take elsewhere.'),
      h('p', { class: 'actions' },
        h('button', { type: 'button', class: 'button', onclick: download('json') }, 'Download JSON'),
        h('button', { type: 'button', class: 'button', onclick: download('csv') }, 'Download CSV'))),
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'button', onclick: () => signOutAsked(choice, s.email, say, show) }, 'Sign out'),
      h('button', { type: 'button', class: 'button', onclick: () => { confirm.hidden = false; } }, 'Delete account…')),
    choice,
    confirm);
}

/**
 * Sign out. With records still waiting, ask first: sync them (online only; signed out once
 * the outbox is empty), keep them here for this account's next sign-in, or delete them here.
 * Either way the account's history is hidden once signed out (kept on this device as its own).
 */
async function signOutAsked(choice, email, say, show, { canSync = true } = {}) {
  const done = async ({ discard = false, waiting = 0 } = {}) => {
    await account.signOut({ discard });
    await show();
    syncing.sync({ force: true }); // an offline sign-out's revocation: sent when back online
    if (!waiting) say('Signed out.');
    else if (discard) say(`Signed out. ${records(waiting)} not yet on the server and the rest of ${email}’s history were deleted from this device.`);
    else say(`Signed out. ${records(waiting)} not yet on the server ${waiting === 1 ? 'stays' : 'stay'} on this device and will sync when ${email} signs in again.`);
  };
  const waiting = await account.waiting();
  if (waiting === 0) {
    await done();
    return;
  }
  const syncFirst = async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    say('Syncing before signing out…');
    const result = await syncing.sync({ force: true });
    const left = await account.waiting();
    if (left === 0) {
      await done();
      return;
    }
    button.disabled = false;
    const { rejected } = await status();
    say(`Not signed out: ${records(left)} did not reach the server`
      + (result.error ? ` (${result.error})` : '')
      + (rejected.length ? `; ${rejected.length} refused by the server, listed above` : '')
      + '. Try again, keep them on this device, or delete them.', 'error');
  };
  const them = waiting === 1 ? 'it' : 'them';
  const online = canSync && navigator.onLine;
  fill(choice,
    h('p', {}, h('strong', {}, `${records(waiting)} ${waiting === 1 ? 'has' : 'have'} not reached the server yet.`),
      ` What should happen to ${them} when you sign out?`),
    h('p', { class: 'actions' },
      online ? h('button', { type: 'button', class: 'button primary', onclick: syncFirst }, 'Sync first, then sign out') : null,
      // Offline, keeping is the choice that loses nothing: it leads.
      h('button', { type: 'button', class: online ? 'button' : 'button primary', onclick: () => done({ waiting }) }, `Keep ${them} on this device`),
      h('button', { type: 'button', class: 'button danger', onclick: () => done({ discard: true, waiting }) }, `Delete ${them} from this device`),
      h('button', { type: 'button', class: 'button', onclick: () => { choice.hidden = true; } }, 'Cancel')),
    h('p', { class: 'meta' }, waiting === 1
      ? `Kept, it stays here, hidden, and syncs the next time ${email} signs in on this device. Deleted, it is gone for good, with this account’s history on this device (what reached the server stays in the account).`
      : `Kept, they stay here, hidden, and sync the next time ${email} signs in on this device. Deleted, they are gone for good, with this account’s history on this device (what reached the server stays in the account).`));
  choice.hidden = false;
}
