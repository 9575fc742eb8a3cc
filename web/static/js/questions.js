/**
 * The quick questions after each exercise (docs/session.md) and the records they make.
 * Pure: no DOM, no storage; the runner passes in the timeline and what was reached.
 */

import { localDay } from './days.js';

/**
 * Effort from 0 to 10 in the app's own plain words (not a licensed scale's wording); the
 * scale shows the anchors, and each number has a word for the summary and History.
 */
export const EFFORT = Object.freeze([
  'Resting', 'Very easy', 'Easy', 'Easy', 'Steady', 'Working', 'Getting hard', 'Hard', 'Very hard',
  'Hardest you could do', 'Hardest you could do',
].map((words, value) => Object.freeze({ value, words })));
export const EFFORT_ANCHORS = '0 resting · 3 easy · 5 working · 7 hard · 9–10 hardest you could do';

/** Pain-monitoring model (Thomeé): 0–3 safe, 4–5 acceptable, above 5 too much. */
export const PAIN_LIMIT = 5;

export function painBand(pain) {
  if (pain <= 3) return { id: 'safe', words: 'Safe' };
  if (pain <= PAIN_LIMIT) return { id: 'acceptable', words: 'Acceptable' };
  return { id: 'too-much', words: 'Too much' };
}

/** Pain above 5/10 offers, at once, to stop or switch to the regression. */
export function painOffer(pain, item) {
  if (!(pain > PAIN_LIMIT)) return null;
  return { stop: true, regression: item.regression ?? null };
}

export const FATIGUE_REGIONS = Object.freeze([
  Object.freeze({ id: 'lower-back', label: 'Lower back' }),
  Object.freeze({ id: 'hips-glutes', label: 'Hips / glutes' }),
  Object.freeze({ id: 'abdomen', label: 'Abdomen' }),
  Object.freeze({ id: 'upper-back-neck', label: 'Upper back / neck' }),
  Object.freeze({ id: 'legs', label: 'Legs' }),
  Object.freeze({ id: 'nowhere', label: 'Nowhere' }),
]);

/** After a breath practice: how the person feels against before it. */
export const FEELINGS = Object.freeze([
  Object.freeze({ id: 'calmer', label: 'Calmer' }),
  Object.freeze({ id: 'same', label: 'About the same' }),
  Object.freeze({ id: 'less-calm', label: 'Less calm' }),
]);

/** "1 set", "2 sets": a count and its word, singular for one. */
export const counted = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What was done of an exercise, in the words of its kind: "2 sets, 16 reps", "1 set, 18 breaths". */
export function doneText(e, item = {}) {
  return `${counted(e.sets_done ?? 0, 'set')}, ${counted(e.reps_done ?? 0, repWord(item))}`;
}

/** A name for a slug the catalogue does not hold: "paced-breathing-4-6" → "Paced breathing 4-6". */
export function slugName(slug) {
  const words = slug.replace(/(?<!\d)-|-(?!\d)/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What one rep is called for this kind of exercise. */
export function repWord(item) {
  return { hold: 'hold', breath: 'breath' }[item.kind] ?? 'rep';
}

/**
 * How much of item `itemIndex` was done once the session reached time `reached`: whole sets
 * and reps (a per-side rep counts once both sides are done), and which sets were begun. A rep
 * with a phase in `skips` (the start times of phases skipped) was not done.
 */
export function progressOf(timeline, itemIndex, reached, skips = []) {
  const sides = timeline.items[itemIndex].per_side ? 2 : 1;
  const reps = new Map(); // "set/side/rep" → done?
  const begun = new Set();
  for (const s of timeline.segments) {
    if (s.itemIndex !== itemIndex || s.type !== 'phase') continue;
    const id = `${s.set}/${s.side}/${s.rep}`;
    if (s.start < reached) begun.add(s.set);
    reps.set(id, (reps.get(id) ?? true) && s.end <= reached && !skips.includes(s.start));
  }
  const perSet = new Map();
  for (const [id, done] of reps) {
    const set = Number(id.split('/')[0]);
    const tally = perSet.get(set) ?? { done: 0, all: 0 };
    tally.all += 1;
    if (done) tally.done += 1;
    perSet.set(set, tally);
  }
  let sideReps = 0;
  let setsDone = 0;
  for (const { done, all } of perSet.values()) {
    sideReps += done;
    if (done === all) setsDone += 1;
  }
  return {
    sets_done: setsDone,
    reps_done: Math.floor(sideReps / sides),
    sets_begun: [...begun].sort((a, b) => a - b),
  };
}

/**
 * The choices for "when did fatigue appear": each set begun, with its rep count; given how far
 * the session `reached`, only the reps begun (fatigue cannot come in a rep never started).
 */
export function onsetChoices(timeline, itemIndex, progress, reached = Infinity) {
  const item = timeline.items[itemIndex];
  const sets = progress.sets_begun.length > 0 ? progress.sets_begun : [1];
  return sets.map((set) => {
    const planned = Array.isArray(item.reps) ? item.reps[set - 1] : item.reps;
    const begun = timeline.segments.filter((s) => s.type === 'phase' && s.itemIndex === itemIndex
      && s.set === set && s.start < reached).map((s) => s.rep);
    return { set, reps: Math.min(planned, Math.max(0, ...begun)) };
  });
}

/** Asked after an exercise, not a breath practice; optional (no answer is no). */
export const SPREAD_QUESTION = 'Did pain, tingling or numbness spread into a buttock or leg, or a leg feel weak?';
export const SPREAD_CHOICES = [{ value: false, label: 'No' }, { value: true, label: 'Yes, it spread' }];

/**
 * Effort, pain and where are needed; "when" (a set) too unless fatigue came nowhere: fatigue
 * felt somewhere appeared at some point, and "nowhere" is the answer for "it did not". After a
 * breath practice (`breath`), how the person feels and pain.
 */
export function isComplete(answers, breath = false) {
  return missingAnswers(answers, breath).length === 0;
}

/** The questions still unanswered, in words, in the order they are asked. */
export function missingAnswers(answers, breath = false) {
  const { effort, pain, feeling, fatigue_region: region, fatigue_onset: onset } = answers ?? {};
  const missing = [];
  if (breath && !FEELINGS.some((f) => f.id === feeling)) missing.push('how you feel');
  if (!breath && !Number.isInteger(effort)) missing.push('effort');
  if (!Number.isInteger(pain)) missing.push('pain');
  if (breath) return missing;
  if (!region) missing.push('where fatigue came first');
  else if (region !== 'nowhere' && !Number.isInteger(onset?.set)) missing.push('when it appeared');
  return missing;
}

/** Why Save waits, said next to it: "To save, answer effort and pain." ('' when nothing is missing). */
export function toSave(missing) {
  if (missing.length === 0) return '';
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
  return `To save, answer ${list}.`;
}

/**
 * One exercise of the saved session, as POST /api/sync takes it: `fatigue_onset` is
 * `{set, rep}` (rep may be null), or "did-not" exactly when fatigue came nowhere; an answer
 * not given (the session stopped first) is null. `skipped`: left before its end. A breath
 * practice's answers are `feeling` and pain (its effort and fatigue are not asked: null).
 */
export function exerciseRecord(item, progress, answers = {}, skipped = false) {
  const region = answers.fatigue_region ?? null;
  return {
    slug: item.slug,
    sets_done: progress.sets_done,
    reps_done: progress.reps_done,
    skipped,
    effort: answers.effort ?? null,
    pain: answers.pain ?? null,
    fatigue_region: region,
    fatigue_onset: region === 'nowhere' ? 'did-not' : (answers.fatigue_onset ?? null),
    ...(answers.feeling ? { feeling: answers.feeling } : {}),
    symptoms_spread: answers.symptoms_spread === true,
    helpful_cues: [...(answers.helpful_cues ?? [])],
    notes: answers.notes ?? '',
  };
}

/** The server's name for each kind of session the app runs (today's comes from the plan). */
export const SESSION_KINDS = Object.freeze({ today: 'plan', single: 'single', breath: 'breath' });

/**
 * The saved session, as POST /api/sync takes it: `{id, started_at, ended_at, kind, title,
 * exercises, updated_at}`, one exercise per item that was begun, answered or skipped, in
 * session order. Skipped: left with Next (`state.skipped`), or begun and not done to its end.
 */
export function sessionRecord(state, timeline, endedAt) {
  const exercises = [];
  timeline.items.forEach((item, i) => {
    const reached = state.reached?.[item.key] ?? 0;
    const answers = state.answers?.[item.key];
    const progress = progressOf(timeline, i, reached, state.skips?.[item.key] ?? []);
    const begun = progress.sets_begun.length > 0;
    const skipped = (state.skipped ?? []).includes(item.key) || (begun && progress.sets_done < item.sets);
    if (!begun && !answers && !skipped) return;
    exercises.push(exerciseRecord(item, progress, answers, skipped));
  });
  return {
    id: state.id,
    day: localDay(new Date(state.started_at ?? endedAt)), // the person's own date
    started_at: state.started_at,
    ended_at: endedAt,
    kind: SESSION_KINDS[state.kind] ?? state.kind,
    title: state.title,
    exercises,
    updated_at: endedAt,
  };
}

/** An exercise's answers in words: "effort 4 (steady) · pain 2 (safe)", or what
 * there is of them (a skipped exercise may have a pain and no effort), or "not rated". */
export function answersText(e) {
  const parts = [];
  const feeling = FEELINGS.find((f) => f.id === e.feeling);
  if (feeling) parts.push(feeling.label.toLowerCase());
  if (Number.isInteger(e.effort)) {
    parts.push(`effort ${e.effort} (${EFFORT[e.effort].words.toLowerCase()})`);
  }
  if (Number.isInteger(e.pain)) parts.push(`pain ${e.pain} (${painBand(e.pain).words.toLowerCase()})`);
  if (e.symptoms_spread === true) parts.push('symptoms spread');
  return parts.length ? parts.join(' · ') : 'not rated';
}

/** The figures the summary shows. */
export function summarise(record) {
  const answered = record.exercises.filter((e) => e.effort !== null);
  const max = (key) => {
    const values = record.exercises.map((e) => e[key]).filter((v) => v !== null);
    return values.length ? Math.max(...values) : null;
  };
  const minutes = (Date.parse(record.ended_at) - Date.parse(record.started_at)) / 60000;
  return {
    exercises: record.exercises.length,
    sets: record.exercises.reduce((n, e) => n + e.sets_done, 0),
    reps: record.exercises.reduce((n, e) => n + e.reps_done, 0),
    maxEffort: max('effort'),
    maxPain: max('pain'),
    minutes: Number.isFinite(minutes) ? Math.max(0, Math.round(minutes)) : null,
    fatigue: answered.filter((e) => e.fatigue_region && e.fatigue_region !== 'nowhere')
      .map((e) => ({ slug: e.slug, region: e.fatigue_region, onset: e.fatigue_onset })),
  };
}
