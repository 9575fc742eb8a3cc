/**
 * What to run: catalogue exercises (as GET /api/exercises gives them) in, pacer prescriptions
 * out. Pure: no DOM, no storage, no clock.
 *
 * An item is what pacer.js needs (kind, per_side, phases, sets, reps, rest_seconds) plus what
 * the runner shows and records (key, slug, name, cues, regression, the figure). `key` tells items apart
 * when the same exercise appears twice or a regression is swapped in mid-session.
 */

/** Today's default session until the plan exists: one exercise per group, in this order. */
export const TODAY_GROUPS = Object.freeze([
  Object.freeze({ label: 'breath', patterns: ['breath'] }),
  Object.freeze({ label: 'mobility', patterns: ['mobility'] }),
  Object.freeze({ label: 'brace', patterns: ['brace', 'anti-rotation'] }),
  Object.freeze({ label: 'hips', patterns: ['bridge', 'hinge', 'hip'] }),
  Object.freeze({ label: 'squat or lunge', patterns: ['squat', 'lunge'] }),
]);
export const TODAY_MAX_LEVEL = 2;

/** Paced breathing rhythms (seconds in, seconds out): a longer out-breath calms. */
export const RHYTHMS = Object.freeze([
  Object.freeze({ id: '4-6', inhale: 4, exhale: 6, label: 'In 4, out 6', note: 'calming: a longer out-breath' }),
  Object.freeze({ id: '5-5', inhale: 5, exhale: 5, label: 'In 5, out 5', note: 'even, about six breaths a minute' }),
  Object.freeze({ id: '3-5', inhale: 3, exhale: 5, label: 'In 3, out 5', note: 'gentle, for a first try' }),
]);
export const BREATH_MINUTES = Object.freeze([3, 5, 10]);

/**
 * Order cues so the ones the person marked as helpful come first (docs/session.md),
 * keeping the catalogue's order otherwise.
 */
export function orderCues(cues, helpful = []) {
  const liked = new Set(helpful);
  return [...cues.filter((c) => liked.has(c.text)), ...cues.filter((c) => !liked.has(c.text))];
}

/** One catalogue exercise as a runnable item, at its catalogue dose unless `dose` says otherwise. */
export function toItem(exercise, { key, dose = {}, helpfulCues = [] } = {}) {
  const d = { ...exercise.dose, ...dose };
  return {
    key: key ?? exercise.slug,
    slug: exercise.slug,
    name: exercise.name,
    kind: exercise.kind,
    per_side: exercise.per_side === true,
    pattern: exercise.pattern,
    position: exercise.position,
    sides: exercise.sides ?? 'working',
    phases: exercise.phases.map((p) => ({ ...p })),
    sets: d.sets,
    reps: Array.isArray(d.reps) ? [...d.reps] : d.reps,
    rest_seconds: d.rest_seconds,
    cues: orderCues(exercise.cues ?? [], helpfulCues).map((c) => ({ ...c })),
    regression: exercise.regression ?? null,
    ...(Array.isArray(exercise.equipment) ? { equipment: [...exercise.equipment] } : {}),
    ...(exercise.figure ? { figure: structuredClone(exercise.figure) } : {}),
  };
}

function keyed(items) {
  return items.map((item, i) => ({ ...item, key: `${i}-${item.slug}` }));
}

/**
 * Today's session from the catalogue: for each of TODAY_GROUPS the easiest exercise of level
 * ≤ TODAY_MAX_LEVEL (catalogue order breaks ties), so the session covers patterns, not body
 * parts. Groups the catalogue cannot fill are left out. `helpful` maps slug → helpful cue texts;
 * `have`, when given, lists the equipment the person has: only exercises needing nothing else.
 */
export function todaySession(exercises, helpful = {}, have = null) {
  const picked = [];
  const doable = (e) => !have || (e.equipment ?? []).every((item) => have.includes(item));
  for (const group of TODAY_GROUPS) {
    const candidates = exercises.filter(
      (e) => group.patterns.includes(e.pattern) && e.level <= TODAY_MAX_LEVEL && !picked.includes(e) && doable(e),
    );
    if (candidates.length === 0) continue;
    const easiest = candidates.reduce((best, e) => (e.level < best.level ? e : best));
    picked.push(easiest);
  }
  if (picked.length === 0) throw new Error('the catalogue has no exercise of level 1–2 for today');
  return {
    kind: 'today',
    title: 'Today’s session',
    items: keyed(picked.map((e) => toItem(e, { helpfulCues: helpful[e.slug] }))),
  };
}

/**
 * Today's session from the plan (a session of GET /api/plan): each planned exercise at the
 * plan's dose. Exercises this device's catalogue lacks are left out (an old cache after a
 * deploy); `helpful` maps slug → helpful cue texts.
 */
export function planSession(exercises, session, helpful = {}) {
  const bySlug = new Map(exercises.map((e) => [e.slug, e]));
  const items = session.exercises.filter((x) => bySlug.has(x.slug))
    .map((x) => toItem(bySlug.get(x.slug), { dose: x.dose, helpfulCues: helpful[x.slug] }));
  if (items.length === 0) throw new Error('none of the planned exercises is in the catalogue');
  return { kind: 'today', title: 'Today’s session', items: keyed(items) };
}

/** A dose in words: "2 sets of 10 reps each side, 45 s rest". */
export function doseWords(exercise, dose = exercise.dose) {
  const count = Array.isArray(dose.reps) ? dose.reps.join('-') : dose.reps;
  const one = count === 1;
  const what = { reps: one ? 'rep' : 'reps', hold: one ? 'hold' : 'holds', breath: one ? 'breath' : 'breaths' }[exercise.kind];
  return `${dose.sets} ${dose.sets === 1 ? 'set' : 'sets'} of ${count} ${what}${exercise.per_side ? ' each side' : ''}, ${dose.rest_seconds} s rest`;
}

/** A session of one catalogue exercise. */
export function singleSession(exercise, helpful = {}) {
  return {
    kind: 'single',
    title: exercise.name,
    leadIn: 5,
    items: keyed([toItem(exercise, { helpfulCues: helpful[exercise.slug] })]),
  };
}

/** Slow paced breathing at `rhythmId` for about `minutes` (whole breaths, never cut short). */
export function pacedBreathing(rhythmId, minutes) {
  const rhythm = RHYTHMS.find((r) => r.id === rhythmId);
  if (!rhythm) throw new Error(`unknown rhythm ${JSON.stringify(rhythmId)}`);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error('minutes must be a positive number');
  const cycle = rhythm.inhale + rhythm.exhale;
  const breaths = Math.max(1, Math.round((minutes * 60) / cycle));
  const slug = `paced-breathing-${rhythm.id}`;
  return {
    kind: 'breath',
    title: `Paced breathing, ${rhythm.label.toLowerCase()}`,
    startPosition: 'seated', // chosen sitting on the Breathe screen: no time to get into position
    items: keyed([{
      slug,
      name: `Paced breathing ${rhythm.id}`,
      kind: 'breath',
      per_side: false,
      position: 'seated',
      phases: [
        { name: 'in', movement: 'breathe in through the nose, ribs widening', breath: 'inhale', seconds: rhythm.inhale },
        { name: 'out', movement: 'breathe out slowly, shoulders soft', breath: 'exhale', seconds: rhythm.exhale },
      ],
      sets: 1,
      reps: breaths,
      rest_seconds: 0,
      cues: [
        { text: 'Let the belly and lower ribs move, not the shoulders.', phase: 'in' },
        { text: 'Out-breath through soft lips, as if cooling a drink.', phase: 'out' },
      ],
      regression: null,
    }]),
  };
}

/** A breath-only session of one catalogue breathing exercise (90/90, crocodile, …). */
export function breathPractice(exercise, helpful = {}) {
  return { ...singleSession(exercise, helpful), kind: 'breath' };
}

/** The catalogue's breathing practices, easiest first. */
export function breathExercises(exercises) {
  return exercises
    .filter((e) => e.pattern === 'breath' || e.kind === 'breath')
    .sort((a, b) => a.level - b.level);
}

/**
 * Swap in `regression` (a catalogue exercise) right after item `itemIndex`, at the same dose,
 * for the pain > 5 path; returns a new prescription and the new item's index.
 */
export function withRegression(prescription, itemIndex, regression) {
  const current = prescription.items[itemIndex];
  if (!current) throw new RangeError(`no item ${itemIndex}`);
  const item = toItem(regression, {
    key: `${prescription.items.length}-${regression.slug}`,
    dose: { sets: current.sets, rest_seconds: current.rest_seconds },
  });
  // The catalogue dose's reps can be a per-set list; keep it only if the set count still fits.
  if (Array.isArray(item.reps) && item.reps.length !== item.sets) item.reps = Math.max(...item.reps);
  const items = [...prescription.items];
  items.splice(itemIndex + 1, 0, item);
  return { prescription: { ...prescription, items }, index: itemIndex + 1 };
}
