/**
 * Finished sessions and morning check-ins, newest first: those saved on this device and those
 * pulled from the account (merged by id, the newer version kept: outbox.js). Records not on
 * the server say so, as information: "waiting to sync" signed in, "on this device only" with
 * no account. A person with no session yet is welcomed instead of shown empty weeks. Above
 * the records, sessions with work done per week against the plan's three, and
 * charts of pain, effort and where fatigue came first (the numbers come from charts.js; each
 * chart has a table of its data as its text alternative). Redrawn when a sync brings
 * something new.
 */

import * as api from '../api.js';
import * as charts from '../charts.js';
import { h, fill, svg, titled } from '../dom.js';
import { entries, status } from '../outbox.js';
import { FATIGUE_REGIONS, answersText, doneText, slugName } from '../questions.js';
import * as store from '../store.js';
import * as syncing from '../syncing.js';

// One way to write a date on this screen: "Wed 17 Mar" (and ", 08:00" for a session).
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const shortDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dateOf = (day) => new Date(`${day}T12:00`); // local noon: that day in any time zone
const when = (iso) => `${longDay.format(new Date(iso))}, ${clock.format(new Date(iso))}`;
const TITLES = { plan: 'Today’s session', breath: 'Breathing practice', single: 'One exercise' };
const COMPARED = { better: 'better than yesterday', same: 'same as yesterday', worse: 'worse than yesterday' };

export async function render(main) {
  // Names and kinds from the catalogue when it can be had; the record itself keeps only slugs.
  // Asked for together with the records (draw), not before them.
  const names = api.exercises().then((all) => Object.fromEntries(all.map((e) => [e.slug, e])), () => ({}));
  await draw(main, names);
  titled(main, 'History');
  return syncing.onChange(() => draw(main, names));
}

function title(session, names) {
  if (session.title) return session.title;
  if (session.kind === 'single' && session.exercises.length === 1) return nameOf(session.exercises[0].slug, names);
  return TITLES[session.kind] ?? session.kind;
}

const nameOf = (slug, names) => names[slug]?.name ?? slugName(slug);

/** The welcome before a first session: what this screen will hold, and where to begin. */
const welcome = () => h('article', { class: 'card welcome' },
  h('h2', {}, 'Your history starts with your first session'),
  h('p', {}, 'After each session you will find here what you did and how it felt. After a few, charts show how pain and effort change, and how many sessions you did each week.'),
  h('p', { class: 'actions' },
    h('a', { class: 'button primary', href: '/' }, 'Go to today’s session'),
    h('a', { class: 'button', href: '/breathe' }, 'Try a breathing practice')));

/** The screen from the records on this device; `catalogue` is the names (or their promise). */
async function draw(main, catalogue) {
  const [sessions, checkins, waiting, { signedIn }, names] = await Promise.all([store.listSessions(), store.listCheckins(), entries(), status(), catalogue]);
  const unsynced = new Set(waiting.map((e) => e.id));
  const region = (id) => FATIGUE_REGIONS.find((r) => r.id === id)?.label ?? id;
  const pending = (id) => (unsynced.has(id) ? h('span', { class: 'tag pending' }, signedIn ? 'waiting to sync' : 'on this device only') : null);
  const worked = sessions.filter(charts.didWork);
  const unit = (s, e) => names[e.slug] ?? (s.kind === 'breath' ? { kind: 'breath' } : {});
  fill(main, h('section', { class: 'screen history' },
    h('h1', {}, 'History'),
    worked.length === 0 ? welcome() : overTime(sessions, checkins, names),
    sessions.length === 0 ? null : h('h2', {}, 'Sessions'),
    sessions.length === 0 ? null : h('ul', { class: 'cards sessions' }, sessions.map((s) => h('li', { class: 'card session', id: `s-${s.id}` },
      h('h3', {}, title(s, names)),
      h('p', { class: 'meta' }, when(s.started_at), ' ', charts.didWork(s) ? null : h('span', { class: 'tag idle' }, 'nothing done'), ' ', pending(s.id)),
      h('ul', { class: 'summary-list' }, s.exercises.map((e) => h('li', { dataset: { slug: e.slug } },
        h('strong', {}, nameOf(e.slug, names), e.skipped ? h('span', { class: 'tag skipped' }, 'skipped') : null),
        h('span', {}, doneText(e, unit(s, e))),
        h('span', { class: 'answers' }, answersText(e)),
        e.fatigue_region && e.fatigue_region !== 'nowhere'
          ? h('span', {}, `fatigue first: ${region(e.fatigue_region).toLowerCase()}` + (e.fatigue_onset?.set ? `, set ${e.fatigue_onset.set}` : ''))
          : null))),
      s.notes ? h('p', { class: 'notes' }, s.notes) : null))),
    checkins.length === 0 ? null : h('h2', {}, 'Morning check-ins'),
    checkins.length === 0 ? null : h('ul', { class: 'cards checkins' }, checkins.map((c) => h('li', { class: 'card checkin-entry', dataset: { day: c.day } },
      h('h3', {}, longDay.format(dateOf(c.day))), pending(c.id),
      h('p', {}, `pain ${c.pain} · stiffness ${c.stiffness} · ${COMPARED[c.compared_with_yesterday] ?? c.compared_with_yesterday}${c.fatigue_lingered ? ' · fatigue lingered' : ''}${c.symptoms_spread ? ' · symptoms spread' : ''}`),
      c.notes ? h('p', { class: 'notes' }, c.notes) : null)))));
}

// --- charts ---------------------------------------------------------------------------------

function overTime(sessions, checkins, names) {
  const pain = charts.sessionSeries(sessions, 'pain');
  const effort = charts.sessionSeries(sessions, 'effort');
  return h('div', { class: 'charts' },
    weeks(charts.weeklyAdherence(sessions, charts.localDay(new Date()), charts.weeksToShow(sessions, charts.localDay(new Date())))),
    pain.length < 2
      ? h('p', { class: 'lede chart-empty' }, 'Charts of pain, effort and where fatigue comes first appear here after two sessions with answers.')
      : [
        // Morning pain from the first charted session on: older check-ins would stretch the axis.
        painFigure(pain, charts.checkinSeries(checkins).filter((c) => c.x >= Math.floor(pain[0].x))),
        lineFigure('effort', 'Effort (0–10)', [effort], charts.describeSeries('Effort', effort)),
        fatigueFigure(charts.fatigueChart(sessions), names),
      ]);
}

function weeks(adherence) {
  return h('figure', { class: 'chart weeks' },
    h('figcaption', {}, charts.adherenceCaption(adherence)),
    h('ol', { class: 'week-cells' }, adherence.map((w) => h('li', { class: w.met ? 'week met' : 'week', dataset: { week: w.start } },
      h('span', {}, w.current ? 'This week' : shortDay.format(dateOf(w.start))),
      h('span', { class: 'pips', 'aria-hidden': 'true' },
        Array.from({ length: Math.min(7, Math.max(w.target, w.sessions)) }, (_, i) => h('i', { class: i < w.sessions ? 'on' : null }))),
      h('strong', {}, charts.weekWords(w))))));
}

/** A figure: its caption, the drawing (an image with a spoken summary), its data as a table. */
function figure(kind, caption, label, box, drawing, head, rows, legend = null) {
  return h('figure', { class: `chart ${kind}` },
    h('figcaption', {}, caption),
    svg('svg', { viewBox: `0 0 ${box.width} ${box.height}`, role: 'img', 'aria-label': label }, drawing),
    legend,
    h('details', { class: 'chart-data' }, h('summary', {}, 'Show as a table'),
      h('table', {}, h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))))));
}

const xTicks = (ticks, box) => ticks.map((t) => svg('text', { x: t.x, y: box.height - 4, 'text-anchor': 'middle' }, shortDay.format(dateOf(t.day))));
const rule = (box, y) => svg('line', { class: 'grid', x1: box.left, x2: box.width - box.right, y1: y, y2: y });

/** Lines on a 0–10 scale; series after the first are check-ins (a "morning" in the table). */
function lineFigure(kind, caption, series, label, legend = null) {
  const box = charts.LINE_BOX;
  const chart = charts.lineChart(series, box);
  const what = caption.replace(/ \(.*/, '');
  const rows = series.flatMap((points, i) => points.map((p) => [p.x, `${longDay.format(dateOf(p.day))}${i ? ', morning' : ''}`, p.value]))
    .sort((a, b) => a[0] - b[0]).map((r) => r.slice(1));
  return figure(kind, caption, label, box, [
    // Pain 0–3 during exercise is safe (the pain-monitoring model): a quiet band says so.
    kind === 'pain' ? svg('rect', { class: 'band', x: box.left, y: chart.y(3), width: box.width - box.left - box.right, height: chart.y(0) - chart.y(3) }) : null,
    chart.yTicks.map((t) => [rule(box, t.y), svg('text', { x: box.left - 4, y: t.y + 3, 'text-anchor': 'end' }, t.value)]),
    xTicks(chart.xTicks, box),
    chart.lines.map((line, i) => svg('g', { class: `series s${i}` },
      svg('path', { d: line.d }),
      line.points.map((p) => svg('circle', { class: 'dot', cx: p.cx, cy: p.cy, r: 3 })))),
  ], ['When', what], rows, legend);
}

function painFigure(pain, mornings) {
  let label = charts.describeSeries('Pain during exercise', pain);
  if (mornings.length === 0) return lineFigure('pain', 'Pain during exercise (0–10)', [pain], label);
  label += `; ${charts.describeSeries('morning pain', mornings, 'check-ins')}`;
  const legend = h('p', { class: 'legend', 'aria-hidden': 'true' },
    h('span', { class: 'key s0' }, 'During exercise'), ' ', h('span', { class: 'key s1' }, 'Morning check-in'));
  return lineFigure('pain', 'Pain (0–10)', [pain, mornings], label, legend);
}

function fatigueFigure(chart, names) {
  const box = charts.STRIP_BOX;
  if (chart.sessions < 2) {
    return h('figure', { class: 'chart fatigue' }, h('figcaption', {}, 'Where fatigue came first'),
      h('p', { class: 'lede chart-empty' }, 'This chart appears after two sessions that say where fatigue came first.'));
  }
  const label = (id) => chart.rows.find((r) => r.id === id).label;
  const rows = chart.marks.map((m) => [longDay.format(dateOf(m.day)), nameOf(m.slug, names), label(m.region)]);
  return figure('fatigue', 'Where fatigue came first', charts.describeFatigue(chart), box, [
    chart.rows.map((r) => [rule(box, r.y), svg('text', { x: box.left - 6, y: r.y + 3, 'text-anchor': 'end' }, r.label)]),
    xTicks(chart.xTicks, box),
    chart.marks.map((m) => svg('circle', { class: m.region === 'nowhere' ? 'dot nowhere' : 'dot', cx: m.cx, cy: m.cy, r: 4 })),
  ], ['When', 'Exercise', 'Came first'], rows);
}
