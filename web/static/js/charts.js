/**
 * The History screen's charts as data: sessions and check-ins turned into series, SVG
 * geometry (scales, points, path strings, axis ticks) and weekly adherence. Pure: no DOM and
 * no clock (`today` is passed in), so it is tested without a page (tests/js/charts.test.mjs).
 *
 * Days are local dates ('YYYY-MM-DD'): a session's `day` when it has one, else the local date
 * it started. A session plots the highest pain and the highest effort among its rated
 * exercises; a session with none rated (stopped before the questions) is left out of those
 * charts, though it still counts as a session done that week if work was done in it.
 */

import { dayNumber, dayString, localDay, sessionDay, weekStart } from './days.js';
import { FATIGUE_REGIONS } from './questions.js';

export { dayNumber, dayString, localDay, sessionDay, weekStart };

/** Sessions a week the plan asks for by default. */
export const WEEKLY_TARGET = 3;
/** The drawing boxes, in viewBox units (the SVG scales to the screen's width). */
export const LINE_BOX = Object.freeze({ width: 320, height: 150, left: 22, right: 14, top: 8, bottom: 20 });
export const STRIP_BOX = Object.freeze({ width: 320, height: 164, left: 104, right: 14, top: 4, bottom: 20 });

const round = (v) => Math.round(v * 10) / 10;

/** A session counts once some work was done in it: a set or a rep (not only skipped exercises). */
export function didWork(session) {
  return session.exercises.some((e) => (e.sets_done ?? 0) > 0 || (e.reps_done ?? 0) > 0);
}

/** How many weeks the weekly count shows: from the first week with work done, at most `max`. */
export function weeksToShow(sessions, today, max = 8) {
  const days = sessions.filter(didWork).map((s) => dayNumber(weekStart(sessionDay(s))));
  if (days.length === 0) return 0;
  return Math.min(max, Math.max(1, Math.floor((dayNumber(weekStart(today)) - Math.min(...days)) / 7) + 1));
}

/** A week's count in words: "2 of 3", and past the goal "4, goal 3" (never "4 of 3"). */
export function weekWords(week) {
  return week.sessions > week.target ? `${week.sessions}, goal ${week.target}` : `${week.sessions} of ${week.target}`;
}

/** The weekly count's caption: "Goal of 3 sessions a week: met in 1 of the last 4 weeks". */
export function adherenceCaption(weeks, target = WEEKLY_TARGET) {
  const met = weeks.filter((w) => w.met).length;
  const goal = `Goal of ${target} sessions a week`;
  if (weeks.length === 1) return `${goal}: ` + (weeks[0].met ? 'met this week' : `${weeks[0].sessions} so far this week`);
  return `${goal}: met in ${met} of the last ${weeks.length} weeks`;
}

/** Sessions with work done in each of the `count` weeks up to the one holding `today`, oldest first. */
export function weeklyAdherence(sessions, today, count = 8, target = WEEKLY_TARGET) {
  const done = new Map();
  for (const s of sessions.filter(didWork)) {
    const week = weekStart(sessionDay(s));
    done.set(week, (done.get(week) ?? 0) + 1);
  }
  const last = dayNumber(weekStart(today));
  return Array.from({ length: count }, (_, i) => {
    const start = dayString(last - 7 * (count - 1 - i));
    const n = done.get(start) ?? 0;
    return { start, sessions: n, target, met: n >= target, current: i === count - 1 };
  });
}

/** Where a session sits on the time axis: its day, plus the local time of day it started. */
function timeOf(session) {
  const at = new Date(session.started_at);
  const hours = Number.isNaN(at.getTime()) ? 12 : at.getHours() + at.getMinutes() / 60;
  return dayNumber(sessionDay(session)) + hours / 24;
}

const oldestFirst = (sessions) => sessions.map((s) => ({ s, x: timeOf(s) })).sort((a, b) => a.x - b.x);

/** `{x, day, value, id}` per session for `key` ('pain' or 'effort'), oldest first. */
export function sessionSeries(sessions, key) {
  const points = [];
  for (const { s, x } of oldestFirst(sessions)) {
    const rated = s.exercises.map((e) => e[key]).filter((v) => Number.isFinite(v));
    if (rated.length) points.push({ x, day: sessionDay(s), value: Math.max(...rated), id: s.id });
  }
  return points;
}

/** Morning pain per check-in, oldest first; a check-in sits at the start of its day. */
export function checkinSeries(checkins) {
  return checkins.filter((c) => Number.isFinite(c.pain))
    .map((c) => ({ x: dayNumber(c.day), day: c.day, value: c.pain, id: c.id }))
    .sort((a, b) => a.x - b.x);
}

/** `v ↦` the linear map of [d0, d1] onto [r0, r1]. */
export function scale(d0, d1, r0, r1) {
  return (v) => r0 + ((v - d0) * (r1 - r0)) / (d1 - d0);
}

/** An SVG path through the points, in order. */
export function path(points) {
  return points.map((p, i) => `${i ? 'L' : 'M'}${p.cx} ${p.cy}`).join('');
}

/**
 * The time axis over these positions: whole days from the first to the last, and ticks on
 * days (a span of ten days or less) or on Mondays, at most about five of them.
 */
export function timeAxis(xs, box) {
  const d0 = Math.floor(Math.min(...xs));
  const d1 = Math.max(d0 + 1, Math.ceil(Math.max(...xs)));
  const last = Math.floor(Math.max(...xs)); // no tick on a day after the data (a future date)
  const x = scale(d0, d1, box.left, box.width - box.right);
  const unit = d1 - d0 > 10 ? 7 : 1;
  const step = unit * Math.ceil((d1 - d0) / unit / 5);
  const ticks = [];
  for (let t = unit === 7 ? d0 + ((7 - ((d0 + 3) % 7)) % 7) : d0; t <= last; t += step) {
    ticks.push({ day: dayString(t), x: round(x(t)) });
  }
  return { x, ticks };
}

/**
 * A 0–10 line chart of several series on one time axis: per series its points (with `cx`,
 * `cy`) and path `d`; the 0–10 scale `y`; the ticks of both axes.
 */
export function lineChart(series, box = LINE_BOX) {
  const { x, ticks } = timeAxis(series.flat().map((p) => p.x), box);
  const y = scale(0, 10, box.height - box.bottom, box.top);
  const lines = series.map((points) => {
    const placed = points.map((p) => ({ ...p, cx: round(x(p.x)), cy: round(y(p.value)) }));
    return { points: placed, d: path(placed) };
  });
  return { lines, y, xTicks: ticks, yTicks: [0, 5, 10].map((value) => ({ value, y: round(y(value)) })) };
}

/**
 * Where fatigue came first: one row per region, one mark per answered exercise at its
 * session's time. Repeats of a region in one session sit side by side, not on top.
 */
export function fatigueChart(sessions, box = STRIP_BOX) {
  const rowHeight = (box.height - box.top - box.bottom) / FATIGUE_REGIONS.length;
  const rows = FATIGUE_REGIONS.map((r, i) => ({ ...r, y: round(box.top + (i + 0.5) * rowHeight), count: 0 }));
  const marks = [];
  for (const { s, x } of oldestFirst(sessions)) {
    const seen = new Map();
    for (const e of s.exercises) {
      const row = rows.find((r) => r.id === e.fatigue_region);
      if (!row) continue;
      row.count += 1;
      const nth = seen.get(row.id) ?? 0;
      seen.set(row.id, nth + 1);
      marks.push({ x, nth, day: sessionDay(s), slug: e.slug, region: row.id, cy: row.y, session: s.id });
    }
  }
  if (marks.length === 0) return { rows, marks, xTicks: [], sessions: 0 };
  const { x, ticks } = timeAxis(marks.map((m) => m.x), box);
  for (const m of marks) m.cx = round(x(m.x) + 5 * m.nth);
  return { rows, marks, xTicks: ticks, sessions: new Set(marks.map((m) => m.session)).size };
}

/**
 * What a screen reader hears of a line: how many, the range and the first and latest value,
 * so a rise in between is never hidden: "Pain during exercise over 6 sessions: between 1 and
 * 5, 3 at first and 2 at the latest".
 */
export function describeSeries(name, points, unit = 'sessions') {
  if (points.length === 0) return `${name}: none yet`;
  const n = points.length;
  const values = points.map((p) => p.value);
  const first = values[0];
  const latest = values[n - 1];
  const low = Math.min(...values);
  const high = Math.max(...values);
  const over = `${name} over ${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
  if (n === 1) return `${over}: ${first}`;
  if (low === high) return `${over}: ${first} each time`;
  return `${over}: between ${low} and ${high}, ${first} at first and ${latest} at the latest`;
}

/** "Where fatigue came first, 7 answers over 6 sessions: lower back 2, hips / glutes 3, …". */
export function describeFatigue(chart) {
  const counts = chart.rows.filter((r) => r.count).map((r) => `${r.label.toLowerCase()} ${r.count}`);
  return `Where fatigue came first, ${chart.marks.length} answers over ${chart.sessions} sessions: ${counts.join(', ')}`;
}
