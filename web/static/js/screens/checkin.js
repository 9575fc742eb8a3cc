/**
 * The next-morning check-in (docs/session.md): pain and stiffness this morning, compared
 * with yesterday, whether fatigue lingered, and whether symptoms spread (docs/plan-rules.md: the plan
 * then eases off; the screen shows the emergency signs and the red flags come again,
 * docs/safety.md). One per day: answering again the same day changes that day's check-in
 * (same id, newer `updated_at`). Saved and queued for sync at once. The check-in edited is the
 * current owner's one of today (the signed-in account's, or no account's when signed out).
 */

import { addDays, localDay } from '../days.js';
import { choices, fill, h, titled, waitFor } from '../dom.js';
import { toSave } from '../questions.js';
import * as store from '../store.js';
import { checkinOfDay } from '../sync-core.js';
import * as prefs from '../prefs.js';
import * as syncing from '../syncing.js';

const scale = (label) => Array.from({ length: 11 }, (_, v) => ({ value: v, label: String(v), hint: v === 0 ? 'None' : v === 10 ? label : '' }));

// Each answer the check-in needs, as "To save, answer …" names it.
const QUESTIONS = {
  pain: 'pain',
  stiffness: 'stiffness',
  compared_with_yesterday: 'compared with yesterday',
  fatigue_lingered: 'whether fatigue lingered',
  symptoms_spread: 'whether symptoms spread',
};

export async function render(main) {
  const day = localDay();
  const earlier = checkinOfDay(await store.listCheckins(), day);
  const answers = earlier ? { ...earlier } : { id: crypto.randomUUID(), day, notes: '' };
  const saved = h('p', { class: 'notice saved', role: 'status', hidden: !earlier }, 'Saved. You can change today’s answers until tomorrow. ', h('a', { href: '/' }, 'Back to Today'));
  const advice = h('div', { class: 'spread-slot' });
  const save = h('button', { type: 'submit', class: 'button primary big' }, earlier ? 'Save changes' : 'Save check-in');
  const why = h('span', { class: 'save-why', id: 'checkin-why' });
  const missing = () => Object.entries(QUESTIONS).filter(([k]) => answers[k] === undefined).map(([, words]) => words);
  const complete = () => missing().length === 0;
  const pick = (field) => (value) => {
    answers[field] = value;
    waitFor(save, why, toSave(missing()));
  };
  const notes = h('textarea', { id: 'checkin-notes', rows: '2', maxlength: '500', placeholder: 'Anything to remember? (optional)' });
  notes.value = answers.notes ?? '';

  const form = h('form', { class: 'checkin-form' },
    h('fieldset', { class: 'question checkin-pain' },
      h('legend', {}, 'Back pain this morning', h('small', {}, '0 none – 10 worst imaginable')),
      choices(scale('Worst'), { selected: answers.pain, label: 'Pain from 0 to 10', className: 'choices scale', onPick: pick('pain') })),
    h('fieldset', { class: 'question checkin-stiffness' },
      h('legend', {}, 'Stiffness', h('small', {}, '0 none – 10 as stiff as it gets')),
      choices(scale('Most'), { selected: answers.stiffness, label: 'Stiffness from 0 to 10', className: 'choices scale', onPick: pick('stiffness') })),
    h('fieldset', { class: 'question checkin-compared' },
      h('legend', {}, 'Compared with yesterday morning'),
      choices([{ value: 'better', label: 'Better' }, { value: 'same', label: 'Same' }, { value: 'worse', label: 'Worse' }], {
        selected: answers.compared_with_yesterday, label: 'Compared with yesterday', onPick: pick('compared_with_yesterday'),
      })),
    h('fieldset', { class: 'question checkin-lingered' },
      h('legend', {}, 'Is yesterday’s fatigue still there?'),
      choices([{ value: false, label: 'No' }, { value: true, label: 'Yes, it lingered' }], {
        selected: answers.fatigue_lingered, label: 'Fatigue lingered', onPick: pick('fatigue_lingered'),
      })),
    h('fieldset', { class: 'question checkin-spread' },
      h('legend', {}, 'Since yesterday, has pain, tingling or numbness spread into a buttock or leg, or has a leg felt weak?'),
      choices([{ value: false, label: 'No' }, { value: true, label: 'Yes, it spread' }], {
        selected: answers.symptoms_spread, label: 'Symptoms spread', onPick: pick('symptoms_spread'),
      })),
    h('label', { class: 'question notes', for: 'checkin-notes' }, 'Notes'), notes,
    saved,
    advice,
    h('p', { class: 'actions' }, why, save));
  waitFor(save, why, toSave(missing()));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!complete()) return;
    const record = {
      id: answers.id, // today's one check-in: its id again when it is changed
      day: answers.day,
      pain: answers.pain,
      stiffness: answers.stiffness,
      compared_with_yesterday: answers.compared_with_yesterday,
      fatigue_lingered: answers.fatigue_lingered,
      symptoms_spread: answers.symptoms_spread,
      notes: notes.value.trim(),
      updated_at: new Date().toISOString(),
    };
    await store.saveCheckin(record); // saved and queued for the server in one transaction
    syncing.queued();
    saved.hidden = false;
    // Spreading symptoms: not just "Saved": the emergency signs, and the red flags again.
    if (record.symptoms_spread) {
      const [safety, core] = await Promise.all([import('./safety-outcome.js'), import('../plan-core.js')]);
      if (prefs.gate() === 'open') prefs.setGate('spread');
      const mornings = core.spreadMornings(await store.listCheckins(), addDays(record.day, -13), record.day);
      fill(advice, safety.spreadAdvice(mornings > 1));
      advice.scrollIntoView({ block: 'start' });
    } else fill(advice, null);
    save.textContent = 'Save changes';
  });

  fill(main, h('section', { class: 'screen checkin' },
    h('h1', {}, 'Morning check-in'),
    h('p', { class: 'lede' }, 'How does your back feel this morning, the day after a session? The plan compares it with your usual mornings.'),
    form));
  titled(main, 'Morning check-in');
}
