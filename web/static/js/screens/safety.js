/**
 * The red-flag screen (docs/safety.md), in front of any session until answered, and again
 * when prefs.gate() says why. Triage, not diagnosis; answers kept here and on the account.
 */

import { fill, h, titled } from '../dom.js';
import * as prefs from '../prefs.js';
import { SIGNS, URGENCY, answered, carriedOver, triage } from '../red-flags.js';

export const NOT_A_CLINICIAN = 'Spinewise does not replace a clinician. It guides exercise for ordinary back pain; it cannot examine you or tell what causes your pain.';

const WHY_AGAIN = {
  spread: 'You said pain, tingling, numbness or weakness spread. Please check these again before the next session.',
  cycle: 'A new plan cycle starts: please check these again. Things can change.',
  advice: 'Your plan suggests seeing a clinician: please check these again.',
};

const dayWords = (day) => new Date(`${day}T12:00:00`).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
const show = (name, ...args) => import('./safety-outcome.js').then((m) => m[name](...args));

/** Draw the screen; `onCleared()` runs once the person may start. */
export function render(main, { onCleared }) {
  const gate = prefs.gate();
  const screening = prefs.screening();
  if (gate === 'answers' && triage(screening).blocks) return show('outcome', main, screening, onCleared);
  return questions(main, onCleared, gate);
}

/** Keep answers here and (signed in; offline, Today sends them later) on the account. */
export function keep(screening) {
  prefs.setScreening(screening);
  const result = triage(screening);
  prefs.setGate(result.blocks ? 'answers' : 'open');
  import('../account.js').then((account) => account.sendScreening(screening)).catch(() => {});
  return result;
}

export function questions(main, onCleared, gate) {
  const before = carriedOver(prefs.screening());
  const box = (sign) => h('label', { class: 'flag' },
    h('input', { type: 'checkbox', name: 'sign', value: sign.id, checked: before.signs.includes(sign.id) }),
    h('span', {}, sign.text,
      before.cleared_signs.includes(sign.id) ? h('small', { class: 'checked' }, `Checked by a clinician on ${dayWords(before.cleared_on)}`) : null));
  const go = h('button', { type: 'submit', class: 'button primary big' });
  const form = h('form', { class: 'screen safety', novalidate: true },
    h('h1', {}, 'Before you start'),
    WHY_AGAIN[gate] ? h('p', { class: 'notice again' }, WHY_AGAIN[gate]) : null,
    h('p', { class: 'lede' }, 'A few questions to check that exercise is right for you now. They are not a diagnosis; they pick out the few cases that need a doctor first. “New” means since this back pain began.'),
    Object.entries(URGENCY).map(([level, { ask }]) => h('fieldset', { class: `flags ${level}` },
      h('legend', {}, ask),
      SIGNS.filter((s) => s.urgency === level).map(box))),
    h('p', { class: 'fineprint' }, NOT_A_CLINICIAN),
    h('p', { class: 'actions sticky' }, go));
  const label = () => {
    go.textContent = form.querySelector('input:checked') ? 'Continue' : 'None of these — continue';
  };
  form.addEventListener('change', label);
  label();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ticked = [...form.querySelectorAll('input:checked')].map((i) => i.value);
    let screening = answered(ticked, { cycle: prefs.planCycle(), now: new Date().toISOString() });
    // A clinician's check of what is still ticked stands.
    const still = before.cleared_signs.filter((id) => screening.signs.includes(id));
    if (still.length) screening = { ...screening, cleared_on: before.cleared_on, cleared_signs: still };
    const result = keep(screening);
    if (result.blocks) show('outcome', main, screening, onCleared);
    else if (result.mention.length) show('mention', main, result, onCleared);
    else onCleared();
  });
  fill(main, form);
  titled(main, 'Before you start');
}

