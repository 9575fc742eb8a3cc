/**
 * A session in words, before and after: what it needs (time, positions, equipment), what was
 * done (the summary's line), what the plan makes of it, and what Today counts as done. Pure:
 * no DOM, no storage, no clock (`today` is the person's 'YYYY-MM-DD').
 */

import { sessionDay } from './days.js';

const POSITIONS = {
  supine: 'lying on your back',
  'side-lying': 'lying on your side',
  prone: 'lying face down',
  quadruped: 'on hands and knees',
  kneeling: 'kneeling',
  seated: 'sitting',
  standing: 'standing',
};
const EQUIPMENT = { step: 'step or box', band: 'band and anchor', weight: 'kettlebell or dumbbell' };

export const positionWords = (position) => POSITIONS[position] ?? String(position ?? '').replace(/-/g, ' ');
/** A piece of equipment in words (the catalogue's names, as the exercise pages say them). */
export const equipmentWords = (item) => EQUIPMENT[item] ?? item;

const unique = (values) => [...new Set(values.filter(Boolean))];
const counted = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A made-up practice (paced breathing) has no page in the catalogue. */
export const hasPage = (item) => !item.slug.startsWith('paced-breathing-');

/**
 * What a session needs, in words: `{minutes, positions, equipment}`; `equipment` is null when
 * the items do not say (a catalogue from before the field), [] when they need nothing.
 */
export function needs(items, durationSeconds) {
  const said = items.filter((i) => Array.isArray(i.equipment));
  return {
    minutes: Math.max(1, Math.round(durationSeconds / 60)),
    positions: unique(items.map((i) => i.position)).map(positionWords),
    equipment: said.length === 0 ? null : unique(said.flatMap((i) => i.equipment)).map(equipmentWords),
  };
}

/** A session with work done: some set or rep of some exercise (not one only skipped). */
export function worked(session) {
  return (session.exercises ?? []).some((e) => e.sets_done > 0 || e.reps_done > 0);
}

/**
 * What Today says is done: the sessions with work done on `today`, whether one of them was
 * today's (plan) session, and how many sessions with work were done from `weekFrom` (the
 * first day of the week) to `today`.
 */
export function doneSoFar(sessions, today, weekFrom) {
  const mine = sessions.filter(worked);
  const todays = mine.filter((s) => sessionDay(s) === today);
  return {
    today: todays,
    planDone: todays.some((s) => s.kind === 'plan'),
    week: mine.filter((s) => sessionDay(s) >= weekFrom && sessionDay(s) <= today).length,
  };
}

/** Today's "done" note: "Today’s session is done · 2 sessions this week". */
export function doneWords({ today, planDone, week }) {
  if (today.length === 0) return null;
  const what = planDone ? 'Today’s session is done' : `Done today: ${unique(today.map((s) => s.title)).join(', ')}`;
  return { title: what, week: `${counted(week, 'session')} this week` };
}

/** The summary's line of figures: "5 exercises, 12 sets, about 14 min" (breaths for a breath practice). */
export function figuresLine(record, figures) {
  const time = figures.minutes ? `about ${figures.minutes} min` : 'under a minute';
  if (record.kind === 'breath') return `${counted(figures.reps, 'breath')}, ${time}`;
  return `${counted(figures.exercises, 'exercise')}, ${counted(figures.sets, 'set')}, ${time}`;
}

const changeKey = (c) => JSON.stringify([c.day, c.rule, c.reason, c.before?.slug ?? null, c.after?.slug ?? null]);

/**
 * The plan's changes that came with this session: in `after` (GET /api/plan's
 * `recent_changes` once the session reached the server) and not in `before` (the plan as this
 * device kept it beforehand), made on or after the session's day, about one of its exercises.
 */
export function planNews(before, after, record) {
  const known = new Set((before ?? []).map(changeKey));
  const slugs = new Set(record.exercises.map((e) => e.slug));
  return (after ?? []).filter((c) => !known.has(changeKey(c)) && c.day >= record.day
    && (slugs.has(c.before?.slug) || slugs.has(c.after?.slug)));
}

/** How the plan adapts (docs/plan-rules.md), said where nothing changed yet. */
export const PLAN_RULES = 'The plan moves an exercise up after two easy sessions in a row (pain 3 or less, effort 4 or less, and the next morning no worse than usual), holds it at pain 4–5 or effort 5–6, and eases off at once when pain is too much, or after effort 7 or more twice running.';

/**
 * What the summary says the plan does with the session: `{title, lines, signIn}`.
 * `plan`: 'signed-out', 'waiting' (not on the server yet), or 'read' with `news` (planNews).
 */
export function planWords(record, { plan, news = [] }) {
  const breath = record.kind === 'breath';
  if (plan === 'signed-out') {
    return {
      title: 'With an account',
      lines: breath
        ? ['Signed in, your practices are kept with your account and reach your other devices.']
        : ['Without an account, Today keeps to the starter session. Signed in, a plan reads every session.', PLAN_RULES],
      signIn: true,
    };
  }
  if (plan === 'waiting') {
    return {
      title: 'What the plan does with it',
      lines: ['Saved on this device. Once it reaches your account, the plan reads it, and Today shows what changes.'],
      signIn: false,
    };
  }
  if (news.length > 0) return { title: 'What the plan does with it', lines: news.map((c) => c.reason), signIn: false };
  return {
    title: 'What the plan does with it',
    lines: breath
      ? ['Nothing in your plan changes from this practice.']
      : ['Nothing in your plan changes from this session yet.', PLAN_RULES, 'Tomorrow morning’s check-in counts too.'],
    signIn: false,
  };
}
