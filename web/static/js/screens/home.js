/** The first screen: today's session, a session in progress, and the ways in. */

import { h, fill, titled } from '../dom.js';
import * as api from '../api.js';
import * as prefs from '../prefs.js';
import { todaySession } from '../prescribe.js';

export async function render(main) {
  const today = h('ol', { class: 'plan-list today-list', 'aria-busy': 'true' }, h('li', {}, 'Loading…'));
  const resume = h('div', { class: 'resume-slot' });
  fill(main, h('section', { class: 'screen home' },
    h('h1', {}, 'Today'),
    resume,
    h('article', { class: 'card today' },
      h('h2', {}, 'Today’s session'),
      h('p', {}, 'Breath, mobility, bracing, a hip-led lift and a squat: patterns, not body parts.'),
      today,
      h('a', { class: 'button primary big', href: '/session?today=1' }, 'Start today’s session')),
    h('nav', { class: 'ways', 'aria-label': 'Other sessions' },
      h('a', { class: 'card way', href: '/breathe' }, h('strong', {}, 'Breathe'), h('span', {}, 'Paced breathing, 90/90, crocodile')),
      h('a', { class: 'card way', href: '/exercises' }, h('strong', {}, 'One exercise'), h('span', {}, 'Browse the catalogue')),
      h('a', { class: 'card way', href: '/checkin' }, h('strong', {}, 'Morning check-in'), h('span', {}, 'How your back feels today')),
      h('a', { class: 'card way', href: '/history' }, h('strong', {}, 'History'), h('span', {}, 'Your saved sessions')))));
  titled(main, 'Today');

  // Storage is read once the screen is up: a first visit has nothing in progress to show.
  const current$ = import('../store.js').then((store) => store.getCurrent());
  const [current, exercises] = await Promise.allSettled([current$, api.exercises()]);
  if (current.value && current.value.started_at) {
    fill(resume, h('article', { class: 'card notice' },
      h('p', {}, h('strong', {}, 'In progress: '), current.value.title),
      h('a', { class: 'button primary', href: '/session' }, 'Continue session')));
  }
  today.removeAttribute('aria-busy');
  if (exercises.status === 'fulfilled') {
    const session = todaySession(exercises.value, prefs.helpfulCues());
    fill(today, session.items.map((item) => h('li', {}, h('a', { href: `/exercises/${item.slug}` }, item.name))));
  } else {
    fill(today, h('li', {}, 'The exercise list could not be loaded. Check the connection and reload.'));
  }
}
