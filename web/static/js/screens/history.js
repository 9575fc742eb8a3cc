/** Finished sessions, newest first, as saved on this device. */

import * as api from '../api.js';
import { h, fill, titled } from '../dom.js';
import { BORG, FATIGUE_REGIONS, painBand } from '../questions.js';
import * as store from '../store.js';

const when = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

export async function render(main) {
  const sessions = await store.listSessions();
  // Names from the catalogue when it can be had; the record itself keeps only slugs.
  const names = Object.fromEntries((await api.exercises().catch(() => [])).map((e) => [e.slug, e.name]));
  const region = (id) => FATIGUE_REGIONS.find((r) => r.id === id)?.label ?? id;
  fill(main, h('section', { class: 'screen history' },
    h('h1', {}, 'History'),
    sessions.length === 0
      ? h('p', { class: 'lede' }, 'No sessions yet. Finished sessions are saved on this device.')
      : h('ul', { class: 'cards sessions' }, sessions.map((s) => h('li', { class: 'card session', id: `s-${s.id}` },
        h('h2', {}, s.title ?? s.kind),
        h('p', { class: 'meta' }, when.format(new Date(s.started_at))),
        h('ul', { class: 'summary-list' }, s.exercises.map((e) => h('li', { dataset: { slug: e.slug } },
          h('strong', {}, names[e.slug] ?? e.slug.replace(/-/g, ' ')),
          h('span', {}, `${e.sets_done} sets, ${e.reps_done} reps`),
          e.effort === null ? h('span', {}, 'not rated') : h('span', { class: 'answers' },
            `effort ${e.effort}${BORG[e.effort].words ? ` (${BORG[e.effort].words.toLowerCase()})` : ''} · pain ${e.pain} (${painBand(e.pain).words.toLowerCase()})`),
          e.fatigue_region && e.fatigue_region !== 'nowhere'
            ? h('span', {}, `fatigue first: ${region(e.fatigue_region).toLowerCase()}${e.fatigue_onset ? `, set ${e.fatigue_onset.set}` : ''}`)
            : null,
          e.notes ? h('span', { class: 'notes' }, e.notes) : null)))))),
  ));
  titled(main, 'History');
}
