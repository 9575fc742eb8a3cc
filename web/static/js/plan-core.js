/**
 * Today's part of the plan, from the plan as GET /api/plan gives it and the records on this
 * device. Pure: no DOM, no storage, no clock (`today` is the person's 'YYYY-MM-DD').
 */

import { addDays, dayNumber, sessionDay } from './days.js';

/** The seasons in plain words (the API keeps its values: control, build, consolidate). */
export const SEASON_NAMES = Object.freeze({ control: 'Settling in', build: 'Building', consolidate: 'Making it stick' });

/** The first day of the plan week holding `today` (plan weeks count from the plan's start). */
export function planWeekStart(plan, today) {
  const weeks = Math.max(0, Math.floor((dayNumber(today) - dayNumber(plan.started_on)) / 7));
  return addDays(plan.started_on, weeks * 7);
}

/**
 * Which of the week's sessions is today's: the one after the plan sessions done this plan
 * week (on this device or pulled from the account), starting over once all are done.
 */
export function nextSession(plan, sessions, today) {
  const from = planWeekStart(plan, today);
  const done = sessions.filter((s) => s.kind === 'plan' && sessionDay(s) >= from && sessionDay(s) <= today).length;
  const count = plan.sessions.length;
  return { session: plan.sessions[done % count], number: (done % count) + 1, done, count };
}

/** The morning after a session with no check-in yet: time to ask how the back feels. */
export function checkinDue(sessions, checkins, today) {
  const yesterday = addDays(today, -1);
  return sessions.some((s) => sessionDay(s) === yesterday && s.exercises.length > 0)
    && !checkins.some((c) => c.day === today);
}

/**
 * The plan's place in its season, in plain words: "Building, week 2 of 4"; from the second
 * time through the seasons (the plan's cycle), "· round 2".
 */
export function seasonWords(plan) {
  const weeks = Math.round((dayNumber(plan.season_ends_on) - dayNumber(plan.season_started_on)) / 7);
  const round = plan.cycle > 1 ? ` · round ${plan.cycle}` : '';
  return `${SEASON_NAMES[plan.season] ?? plan.season}, week ${plan.season_week} of ${weeks}${round}`;
}

/** Whether a plan kept on this device is from an earlier plan week than `today`'s. */
export function isBehind(plan, today) {
  return planWeekStart(plan, today) > plan.week_starts_on;
}

/** The daily walk in words; null without one. */
export const walkWords = (minutes) => (minutes > 0 ? `and a walk of ${Math.round(minutes)} minutes each day` : null);

/** Ask the red flags again for plan advice not yet acted on (`acted`); `acted` to keep next. */
export function redFlagRecheck(plan, acted = []) {
  if (!plan?.recheck_red_flags) return { ask: false, acted: [] };
  const advice = plan.advice ?? [];
  const ask = advice.some((a) => !acted.includes(a));
  return { ask, acted: ask ? [...advice] : acted };
}

// --- When the red-flag questions come again (docs/safety.md; the questions: red-flags.js) ---

/** The weeks of one plan cycle (Control 2, Build 4, Consolidate 2): without a plan, the
 * questions come again after as long. */
export const CYCLE_WEEKS = 8;

/** The latest time a check-in or an exercise said symptoms spread (or numbness, weakness came). */
export function lastSpread(checkins = [], sessions = []) {
  const times = [
    ...checkins.filter((c) => c.symptoms_spread === true).map((c) => c.updated_at),
    ...sessions.filter((s) => (s.exercises ?? []).some((e) => e.symptoms_spread === true)).map((s) => s.ended_at ?? s.updated_at),
  ].filter(Boolean).sort();
  return times.at(-1) ?? null;
}

/** On how many mornings from `from` to `to` ('YYYY-MM-DD') symptoms spread. */
export function spreadMornings(checkins, from, to) {
  return new Set(checkins.filter((c) => c.symptoms_spread === true && c.day >= from && c.day <= to).map((c) => c.day)).size;
}

/**
 * Why the questions must be asked again, or null: 'first' (never answered), 'cycle' (a new
 * plan cycle, or without a plan a cycle's weeks since the answer), 'spread' (symptoms spread
 * after the answer). `now` and `spreadAt` are ISO times; `cycle` the plan's (null: no plan;
 * undefined: not known yet, so no cycle check).
 */
export function dueAgain(screening, { cycle, spreadAt = null, now }) {
  if (!screening) return 'first';
  const at = Date.parse(screening.answered_at);
  if (spreadAt && Date.parse(spreadAt) > at) return 'spread';
  if (cycle && cycle > (screening.cycle ?? 1)) return 'cycle';
  if (cycle === null && Date.parse(now) - at >= CYCLE_WEEKS * 7 * 86_400_000) return 'cycle';
  return null;
}
