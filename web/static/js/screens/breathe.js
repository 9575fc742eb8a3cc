/** Breath-only practice: slow paced breathing at a chosen rhythm, or a catalogue breathing exercise. */

import { choices, h, fill, titled } from '../dom.js';
import * as api from '../api.js';
import { BREATH_MINUTES, RHYTHMS, breathExercises } from '../prescribe.js';

export async function render(main) {
  let rhythm = '4-6';
  let minutes = 5;
  const start = h('a', { class: 'button primary big start-paced' }, 'Start paced breathing');
  const update = () => start.setAttribute('href', `/session?practice=paced&rhythm=${rhythm}&minutes=${minutes}`);
  update();
  const practices = h('ul', { class: 'cards practices', 'aria-busy': 'true' });
  fill(main, h('section', { class: 'screen breathe' },
    h('h1', {}, 'Breathe'),
    h('article', { class: 'card' },
      h('h2', {}, 'Slow paced breathing'),
      h('p', {}, 'Sit or lie comfortably. Follow the shape: it grows as you breathe in and shrinks as you breathe out.'),
      h('p', { class: 'choice-label', id: 'rhythm-label' }, 'Rhythm'),
      choices(RHYTHMS.map((r) => ({ value: r.id, label: r.label, hint: r.note })), {
        selected: rhythm, label: 'Rhythm', className: 'choices rhythms', onPick: (v) => { rhythm = v; update(); },
      }),
      h('p', { class: 'choice-label' }, 'Minutes'),
      choices(BREATH_MINUTES.map((m) => ({ value: m, label: `${m} min` })), {
        selected: minutes, label: 'Minutes', className: 'choices minutes', onPick: (v) => { minutes = v; update(); },
      }),
      start),
    h('h2', {}, 'Breathing exercises'),
    practices));
  titled(main, 'Breathe');
  try {
    const found = breathExercises(await api.exercises());
    fill(practices, found.map((e) => h('li', { class: 'card' },
      h('h3', {}, h('a', { href: `/exercises/${e.slug}` }, e.name)),
      h('p', {}, e.summary),
      h('a', { class: 'button', href: `/session?practice=${e.slug}` }, `Start ${e.name}`))));
  } catch {
    fill(practices, h('li', {}, 'The breathing exercises could not be loaded. Check the connection and reload.'));
  }
  practices.removeAttribute('aria-busy');
}
