/**
 * What the red-flag answers lead to (docs/safety.md): call 999 now, get help today, or see a
 * doctor before starting, with a way to record a clinician's check and go on with the answers
 * unchanged; a note to mention to a doctor; and, after symptoms spread, the emergency signs.
 */

import { localDay as today } from '../days.js';
import { fill, h, titled, toTop } from '../dom.js';
import * as prefs from '../prefs.js';
import { SIGNS, clearedOn, triage } from '../red-flags.js';
import { NOT_A_CLINICIAN, keep, questions } from './safety.js';

const OUTCOMES = {
  ambulance: ['Call 999 now', 'What you ticked can be a sign of something that needs help at once, such as pressure on the nerves at the base of the spine. That is rare, but do not wait to see whether it settles: call 999 (or your local emergency number), or go to A&E now.'],
  today: ['Get medical help today', 'Now and then, back pain with what you ticked comes from something other than an ordinary strain, such as an infection or a pinched nerve. Call 111, or your GP for an appointment today.'],
  before: ['Please see a doctor before starting', 'Now and then, back pain with what you ticked comes from something other than an ordinary strain, such as a fracture or an infection. A doctor can rule that out. Book an appointment in the next few days, and start exercising once they have checked you.'],
};

export function outcome(main, screening, onCleared) {
  const { level, open } = triage(screening);
  const [title, text] = OUTCOMES[level];
  const date = h('input', { type: 'date', id: 'checked-on', name: 'checked-on', required: true, max: today() });
  const clearance = h('form', { class: 'card clearance' },
    h('h2', {}, 'Already checked by a clinician?'),
    h('p', {}, 'If a doctor or physiotherapist has checked you for this and said you may exercise, record when. Your answers stay as they are.'),
    h('label', { for: 'checked-on' }, 'Date of the check'), date,
    h('p', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Record the check and go on')));
  clearance.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!date.value || date.value > today()) {
      date.setCustomValidity('Give the date of the check, today or earlier.');
      date.reportValidity();
      return;
    }
    keep(clearedOn(screening, date.value, new Date().toISOString()));
    onCleared();
  });
  date.addEventListener('input', () => date.setCustomValidity(''));
  fill(main, h('section', { class: `screen safety-outcome ${level}` },
    h('div', { role: 'alert' },
      h('h1', {}, title),
      h('p', {}, text),
      level === 'ambulance' ? h('p', { class: 'actions' }, h('a', { class: 'button primary big call', href: 'tel:999' }, 'Call 999')) : null),
    h('h2', {}, 'You ticked'),
    h('ul', { class: 'ticked' }, open.map((s) => h('li', {}, s.text))),
    h('p', {}, 'Spinewise will not start a session for now.'),
    clearance,
    h('p', { class: 'actions' },
      h('button', { type: 'button', class: 'button', onclick: () => { prefs.setGate('changed'); questions(main, onCleared, 'changed'); } }, 'My answers have changed'),
      h('a', { class: 'button', href: '/exercises' }, 'Read about the exercises')),
    h('p', { class: 'fineprint' }, NOT_A_CLINICIAN)));
  titled(main, title);
  toTop(); // the answer at the top, not where the questions ended
}

export function mention(main, { mention: signs }, onCleared) {
  fill(main, h('section', { class: 'screen safety-outcome mention' },
    h('h1', {}, 'Mention this to your doctor'),
    h('p', {}, 'The pattern you ticked can point to inflammatory back pain, which a GP can test for. It does not stop you exercising: moving usually helps it.'),
    h('ul', { class: 'ticked' }, signs.map((s) => h('li', {}, s.text))),
    h('p', { class: 'actions' }, h('button', { type: 'button', class: 'button primary big', onclick: onCleared }, 'Continue'))));
  titled(main, 'Mention this to your doctor');
  toTop();
}

/** After symptoms spread (a check-in or an exercise): the emergency signs and what to do. */
export function spreadAdvice(repeated = false) {
  return h('article', { class: 'card notice spread-advice', role: 'alert' },
    h('h2', {}, 'Symptoms that spread'),
    h('p', {}, 'Pain or tingling that spreads into a leg is usually an irritated nerve, and often settles. The plan eases off. But call 999 now (or your local emergency number) if you also have any of these:'),
    h('ul', {}, SIGNS.filter((s) => s.urgency === 'ambulance').map((s) => h('li', {}, s.text))),
    h('p', {}, repeated
      ? h('strong', {}, 'It has spread on more than one morning lately: see your GP or a physiotherapist.')
      : 'If it keeps spreading, or weakness or numbness grows, see your GP or a physiotherapist.'),
    h('p', { class: 'actions' }, h('a', { class: 'button primary', href: '/safety' }, 'Answer the safety questions')));
}
