/**
 * The red-flag screen (docs/safety.md), shown before the first session. Worded as triage,
 * not diagnosis: any "yes" explains why and does not start; the answer is remembered, and the
 * person can come back and answer again once a clinician has cleared them.
 */

import { h, fill, titled } from '../dom.js';
import * as prefs from '../prefs.js';

export const EMERGENCY = Object.freeze([
  'New or worsening problems controlling your bladder or bowels',
  'Numbness around your genitals, buttocks or back passage (the “saddle” area)',
  'Weakness or numbness in both legs, or in a leg where it is getting worse',
  'New problems with sexual function',
]);

export const SEE_A_DOCTOR = Object.freeze([
  'Your back pain started after a fall or an accident',
  'You have had cancer, or you are losing weight without trying',
  'You have a fever, or a weakened immune system (from illness or medicines)',
  'The pain is constant at night, even lying still',
  'This back pain is new and you are under 20 or over 50',
]);

const NOT_A_CLINICIAN = 'Spinewise does not replace a clinician. It guides exercise for ordinary back pain; it cannot examine you or tell what causes your pain.';

/** Draw the screen; `onCleared()` runs once every answer is "no". */
export function render(main, { onCleared }) {
  const answer = prefs.safety();
  if (answer && answer.status !== 'clear') return outcome(main, answer.status, onCleared);
  return questions(main, onCleared);
}

function questions(main, onCleared) {
  const box = (text, group, i) => h('label', { class: 'flag' },
    h('input', { type: 'checkbox', name: group, value: String(i) }), h('span', {}, text));
  const go = h('button', { type: 'submit', class: 'button primary big' }, 'None of these — continue');
  const form = h('form', { class: 'screen safety', novalidate: true },
    h('h1', {}, 'Before you start'),
    h('p', { class: 'lede' }, 'A few questions to check that exercise is right for you now. They are not a diagnosis; they pick out the few cases that need a doctor first.'),
    h('fieldset', { class: 'flags' },
      h('legend', {}, 'Do you have any of these?', h('small', {}, 'If so: seek emergency care today')),
      EMERGENCY.map((text, i) => box(text, 'emergency', i))),
    h('fieldset', { class: 'flags' },
      h('legend', {}, 'And any of these?', h('small', {}, 'If so: see a doctor soon, before starting')),
      SEE_A_DOCTOR.map((text, i) => box(text, 'doctor', i))),
    h('p', { class: 'fineprint' }, NOT_A_CLINICIAN),
    h('p', { class: 'actions sticky' }, go));
  form.addEventListener('change', () => {
    go.textContent = form.querySelector('input:checked') ? 'Continue' : 'None of these — continue';
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const ticked = (group) => form.querySelectorAll(`input[name="${group}"]:checked`).length > 0;
    const status = ticked('emergency') ? 'emergency' : ticked('doctor') ? 'doctor' : 'clear';
    prefs.setSafety(status);
    if (status === 'clear') onCleared();
    else outcome(main, status, onCleared);
  });
  fill(main, form);
  titled(main, 'Before you start');
}

function outcome(main, status, onCleared) {
  const again = h('button', {
    type: 'button',
    class: 'button',
    onclick: () => {
      prefs.setSafety(null);
      questions(main, onCleared);
    },
  }, 'I have been checked — answer again');
  const emergency = status === 'emergency';
  fill(main, h('section', { class: `screen safety-outcome ${status}`, role: 'alert' },
    h('h1', {}, emergency ? 'Please seek emergency care today' : 'Please see a doctor before starting'),
    emergency
      ? h('p', {}, 'What you ticked can be a sign that the nerves at the base of the spine are under pressure. That is rare, but it needs to be checked urgently: call your local emergency number or go to an emergency department today. Do not wait to see whether it settles.')
      : h('p', {}, 'Now and then, back pain with what you ticked comes from something other than an ordinary strain, such as a fracture or an infection. A doctor can rule that out. Book an appointment in the next few days, and start exercising once they have checked you.'),
    h('p', {}, 'Spinewise will not start a session for now. Once a clinician has seen you and cleared you to exercise, come back and answer the questions again.'),
    h('p', { class: 'fineprint' }, NOT_A_CLINICIAN),
    h('p', { class: 'actions' }, again, h('a', { class: 'button', href: '/exercises' }, 'Read about the exercises'))));
  titled(main, emergency ? 'Seek emergency care today' : 'See a doctor first');
}
