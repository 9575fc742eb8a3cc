/**
 * Finished sessions and morning check-ins, newest first: those saved on this device and those
 * pulled from the account (merged by id, the newer version kept: outbox.js). Records still
 * waiting for the server say so. Redrawn when a sync brings something new.
 */

import * as api from '../api.js';
import { h, fill, titled } from '../dom.js';
import { entries } from '../outbox.js';
import { BORG, FATIGUE_REGIONS, painBand } from '../questions.js';
import * as store from '../store.js';
import * as syncing from '../syncing.js';

const when = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
const TITLES = { plan: 'Today’s session', breath: 'Breathing practice', single: 'One exercise' };
const COMPARED = { better: 'better than yesterday', same: 'same as yesterday', worse: 'worse than yesterday' };

export async function render(main) {
  // Names from the catalogue when it can be had; the record itself keeps only slugs.
  const names = Object.fromEntries((await api.exercises().catch(() => [])).map((e) => [e.slug, e.name]));
  await draw(main, names);
  titled(main, 'History');
  return syncing.onChange(() => draw(main, names));
}

function title(session, names) {
  if (session.title) return session.title;
  if (session.kind === 'single' && session.exercises.length === 1) return names[session.exercises[0].slug] ?? TITLES.single;
  return TITLES[session.kind] ?? session.kind;
}

async function draw(main, names) {
  const [sessions, checkins, waiting] = await Promise.all([store.listSessions(), store.listCheckins(), entries()]);
  const unsynced = new Set(waiting.map((e) => e.id));
  const region = (id) => FATIGUE_REGIONS.find((r) => r.id === id)?.label ?? id;
  const pending = (id) => (unsynced.has(id) ? h('span', { class: 'tag unsynced' }, 'not synced yet') : null);
  fill(main, h('section', { class: 'screen history' },
    h('h1', {}, 'History'),
    sessions.length === 0
      ? h('p', { class: 'lede' }, 'No sessions yet. Finished sessions are saved on this device, and in your account once you sign in.')
      : h('ul', { class: 'cards sessions' }, sessions.map((s) => h('li', { class: 'card session', id: `s-${s.id}` },
        h('h2', {}, title(s, names)),
        h('p', { class: 'meta' }, when.format(new Date(s.started_at)), ' ', pending(s.id)),
        h('ul', { class: 'summary-list' }, s.exercises.map((e) => h('li', { dataset: { slug: e.slug } },
          h('strong', {}, names[e.slug] ?? e.slug.replace(/-/g, ' ')),
          h('span', {}, `${e.sets_done} sets, ${e.reps_done ?? 0} reps`),
          e.effort === null ? h('span', {}, 'not rated') : h('span', { class: 'answers' },
            `effort ${e.effort}${BORG[e.effort].words ? ` (${BORG[e.effort].words.toLowerCase()})` : ''} · pain ${e.pain} (${painBand(e.pain).words.toLowerCase()})`),
          e.fatigue_region && e.fatigue_region !== 'nowhere'
            ? h('span', {}, `fatigue first: ${region(e.fatigue_region).toLowerCase()}${e.fatigue_onset?.set ? `, set ${e.fatigue_onset.set}` : ''}`)
            : null))),
        s.notes ? h('p', { class: 'notes' }, s.notes) : null))),
    checkins.length === 0 ? null : h('h2', {}, 'Morning check-ins'),
    checkins.length === 0 ? null : h('ul', { class: 'cards checkins' }, checkins.map((c) => h('li', { class: 'card checkin-entry', dataset: { day: c.day } },
      h('strong', {}, c.day), ' ', pending(c.id),
      h('p', {}, `pain ${c.pain} · stiffness ${c.stiffness} · ${COMPARED[c.compared_with_yesterday] ?? c.compared_with_yesterday}${c.fatigue_lingered ? ' · fatigue lingered' : ''}`),
      c.notes ? h('p', { class: 'notes' }, c.notes) : null)))));
}
