/**
 * The breath pacer's timing, with no DOM, no timers and no clock of its own: a prescription
 * becomes a frozen timeline of contiguous segments, and any elapsed time (seconds, passed in)
 * maps to the phase, breath, rep, set and time left of that moment.
 *
 * Segment edges are summed once in integer milliseconds and a lookup snaps `t` to whole
 * microseconds, so every comparison is integer-exact: hours into a session a boundary is
 * still exactly where the prescription puts it (no drift from adding 2.3 + 0.7 + …).
 *
 * Lead-in, rest, get-into-position and switch-sides segments name the item, set and side that
 * come *next*, so the view can say "rest — next: set 2 of 3".
 *
 * Every segment carries the cues to show with it (`cues`; `at().cue` is the one showing): a
 * phase's cues take turns over its reps, in the item's order (helpful ones first, prescribe.js),
 * a long phase (a walk) shows the next ones in turn every CUE_SECONDS, and the set-up cues
 * (phase `setup`) show while the person gets into position, switches sides or rests.
 */

export const LEAD_IN_SECONDS = 5;
export const REST_BETWEEN_EXERCISES_SECONDS = 30;
export const SWITCH_SIDES_SECONDS = 3; // when the item's position is unknown, or needs no change
export const COUNT_IN_SECONDS = 3;
/** Steady breathing through a hold: about 2 s in, 3 s out (docs/catalogue.md). */
export const BREATHE_IN_SECONDS = 2;
export const BREATHE_OUT_SECONDS = 3;
/** The cue phase name reserved for cues about getting into position. */
export const SETUP = 'setup';
/** A session starts with the person standing, phone in hand (unless it says `startPosition`). */
export const START_POSITION = 'standing';
/** A long phase shows its cues in turn, each for this long. */
export const CUE_SECONDS = 15;

const KINDS = ['reps', 'hold', 'breath'];
/** `free`: easy breathing, never held, for walking, carries and cycling (no in/out pacing). */
const BREATHS = ['inhale', 'exhale', 'pause', 'breathe', 'free'];
const SIDES = ['working', 'lying'];

// ---------------------------------------------------------------------------------------
// Getting into position

export const POSITIONS = Object.freeze(['supine', 'side-lying', 'prone', 'quadruped', 'kneeling', 'seated', 'standing']);
const LYING = ['supine', 'side-lying', 'prone'];
const ON_KNEES = ['quadruped', 'kneeling'];
const height = (p) => (LYING.includes(p) ? 0 : ON_KNEES.includes(p) ? 1 : p === 'seated' ? 2 : 3);

/**
 * Seconds to get from position `from` to `to` between two exercises: a few seconds to set up
 * in the same position, about 8 s to roll over or come onto the knees, 10–12 s down to the
 * floor or up from it. 0 when either position is unknown (no segment).
 */
export function positionSeconds(from, to) {
  if (!POSITIONS.includes(from) || !POSITIONS.includes(to)) return 0;
  if (from === to) return 3;
  const [low, high] = [height(from), height(to)].sort((a, b) => a - b);
  if (low === 0) return high <= 1 ? 8 : 12; // roll over, or onto the knees; up from (or down to) lying
  if (low === 1) return high === 1 ? 5 : 10; // all fours and kneeling; the knees and a chair or standing
  return 5; // seated and standing
}

/** Seconds to switch sides in `position`: rolling over lying on the side, swapping knees, or a few seconds. */
export function switchSeconds(position) {
  return { 'side-lying': 10, kneeling: 8, quadruped: 6 }[position] ?? SWITCH_SIDES_SECONDS;
}
const US_PER_MS = 1000;
const BREATHE_IN_US = BREATHE_IN_SECONDS * 1e6;
const BREATHE_OUT_US = BREATHE_OUT_SECONDS * 1e6;
const BREATHE_CYCLE_US = BREATHE_IN_US + BREATHE_OUT_US;

// ---------------------------------------------------------------------------------------
// Building the timeline

function show(value) {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** Seconds → whole milliseconds; `optional` lets 0 mean "no such segment" (rests, lead-in). */
function toMs(value, what, optional = false) {
  const kind = optional ? 'zero or a positive' : 'a positive';
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (value === 0 && !optional)) {
    throw new Error(`${what} must be ${kind} number of seconds, got ${show(value)}`);
  }
  const ms = Math.round(value * 1000);
  if (ms === 0 && !optional) throw new Error(`${what} must last at least 1 ms, got ${show(value)}`);
  return ms;
}

function toCount(value, what) {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${what} must be a whole number of at least 1, got ${show(value)}`);
  }
  return value;
}

/** Check one prescribed item and return it frozen, with its per-set reps and phase lengths. */
function normaliseItem(raw, index) {
  const where = `items[${index}]` + (typeof raw?.slug === 'string' ? ` (${raw.slug})` : '');
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where} must be an object`);
  if (!KINDS.includes(raw.kind)) {
    throw new Error(`${where}.kind must be one of ${KINDS.join(', ')}, got ${show(raw.kind)}`);
  }
  if (raw.per_side !== undefined && typeof raw.per_side !== 'boolean') {
    throw new Error(`${where}.per_side must be true or false, got ${show(raw.per_side)}`);
  }
  if (raw.sides !== undefined && raw.sides !== null && !SIDES.includes(raw.sides)) {
    throw new Error(`${where}.sides must be one of ${SIDES.join(', ')}, got ${show(raw.sides)}`);
  }
  if (!Array.isArray(raw.phases) || raw.phases.length === 0) {
    throw new Error(`${where}.phases must list at least one phase`);
  }
  const sets = toCount(raw.sets, `${where}.sets`);
  let repsPerSet;
  if (Array.isArray(raw.reps)) {
    if (raw.reps.length !== sets) {
      throw new Error(`${where}.reps lists ${raw.reps.length} counts for ${sets} sets`);
    }
    repsPerSet = raw.reps.map((reps, set) => toCount(reps, `${where}.reps[${set}]`));
  } else {
    repsPerSet = new Array(sets).fill(toCount(raw.reps, `${where}.reps`));
  }
  const restMs = toMs(raw.rest_seconds, `${where}.rest_seconds`, true);

  raw.phases.forEach((phase, j) => {
    if (!phase || typeof phase !== 'object') throw new Error(`${where}.phases[${j}] must be an object`);
    if (!BREATHS.includes(phase.breath)) {
      throw new Error(
        `${where}.phases[${j}].breath must be one of ${BREATHS.join(', ')}, got ${show(phase.breath)}`,
      );
    }
  });
  let holdIndex = -1;
  if (raw.hold_seconds !== undefined && raw.hold_seconds !== null) {
    const holds = raw.phases.flatMap((phase, j) => (phase.breath === 'breathe' || phase.breath === 'free' ? [j] : []));
    if (holds.length !== 1) {
      throw new Error(`${where}.hold_seconds needs exactly one 'breathe' or 'free' phase, found ${holds.length}`);
    }
    toMs(raw.hold_seconds, `${where}.hold_seconds`);
    holdIndex = holds[0];
  }
  // Copies, so freezing the timeline never freezes (or changes) the caller's objects.
  const phases = raw.phases.map((phase, j) =>
    Object.freeze(j === holdIndex ? { ...phase, seconds: raw.hold_seconds } : { ...phase }),
  );
  const phaseMs = phases.map((phase, j) => toMs(phase.seconds, `${where}.phases[${j}].seconds`));
  const item = Object.freeze({
    ...raw, per_side: raw.per_side === true, sides: raw.sides ?? 'working', phases: Object.freeze(phases),
  });
  return { item, sets, repsPerSet, restMs, phaseMs, cues: cuePlan(raw.cues) };
}

/** An item's cues: the set-up ones in one line, and each phase's in turn (in the given order). */
function cuePlan(cues) {
  const setup = [];
  const byPhase = new Map();
  for (const cue of Array.isArray(cues) ? cues : []) {
    if (!cue || typeof cue.text !== 'string') continue;
    if (cue.phase === SETUP) setup.push(cue.text);
    else byPhase.set(cue.phase, [...(byPhase.get(cue.phase) ?? []), cue.text]);
  }
  return { setup: setup.join(' '), byPhase };
}

/**
 * Turn a prescription `{leadIn?, restBetweenExercises?, startPosition?, items}` into a frozen
 * `{duration, segments, items}`; throws an Error naming the field of the first bad input.
 */
export function buildTimeline(prescription) {
  if (!prescription || typeof prescription !== 'object') throw new Error('prescription must be an object');
  const leadInMs = toMs(prescription.leadIn ?? LEAD_IN_SECONDS, 'leadIn', true);
  const restBetweenMs = toMs(
    prescription.restBetweenExercises ?? REST_BETWEEN_EXERCISES_SECONDS,
    'restBetweenExercises',
    true,
  );
  if (!Array.isArray(prescription.items) || prescription.items.length === 0) {
    throw new Error('prescription.items must list at least one exercise');
  }
  const plans = prescription.items.map(normaliseItem);

  const segments = [];
  let ms = 0; // the running sum stays an integer, so each start is exact however long the session
  const push = (lengthMs, fields) => {
    segments.push(Object.freeze({ start: ms / 1000, end: (ms + lengthMs) / 1000, ...fields }));
    ms += lengthMs;
  };
  // A lead-in, rest, get-into-position or switch-sides: zero length means the segment is left out.
  const gap = (type, lengthMs, itemIndex, set, side, extra = {}) => {
    if (lengthMs === 0) return;
    const plan = plans[itemIndex];
    push(lengthMs, {
      type, itemIndex, item: plan.item, set, sets: plan.sets, rep: null,
      reps: plan.repsPerSet[set - 1], side, phaseIndex: null, phase: null, breath: 'rest',
      cues: plan.cues.setup ? [plan.cues.setup] : [], ...extra,
    });
  };

  plans.forEach((plan, itemIndex) => {
    const sides = plan.item.per_side ? ['left', 'right'] : [null];
    const to = plan.item.position;
    if (itemIndex === 0) {
      gap('lead-in', leadInMs, itemIndex, 1, sides[0]);
      const from = prescription.startPosition ?? START_POSITION;
      if (to !== from) gap('position', positionSeconds(from, to) * 1000, itemIndex, 1, sides[0], { from, to });
    } else {
      gap('rest', restBetweenMs, itemIndex, 1, sides[0]);
      const from = plans[itemIndex - 1].item.position;
      gap('position', positionSeconds(from, to) * 1000, itemIndex, 1, sides[0], { from, to });
    }
    const turns = plan.item.phases.map(() => 0); // how often each phase has been shown: its cue's turn
    for (let set = 1; set <= plan.sets; set += 1) {
      if (set > 1) gap('rest', plan.restMs, itemIndex, set, sides[0]);
      const reps = plan.repsPerSet[set - 1];
      sides.forEach((side, k) => {
        if (k > 0) gap('switch-sides', switchSeconds(to) * 1000, itemIndex, set, side);
        for (let rep = 1; rep <= reps; rep += 1) {
          plan.item.phases.forEach((phase, phaseIndex) => {
            const all = plan.cues.byPhase.get(phase.name) ?? [];
            const shown = Math.min(all.length, Math.max(1, Math.floor(plan.phaseMs[phaseIndex] / (CUE_SECONDS * 1000))));
            const cues = Array.from({ length: shown }, (_, k) => all[(turns[phaseIndex] + k) % all.length]);
            turns[phaseIndex] += shown;
            push(plan.phaseMs[phaseIndex], {
              type: 'phase', itemIndex, item: plan.item, set, sets: plan.sets, rep, reps,
              side, phaseIndex, phase, breath: phase.breath, cues: Object.freeze(cues),
            });
          });
        }
      });
    }
  });

  return Object.freeze({
    duration: ms / 1000,
    segments: Object.freeze(segments),
    items: Object.freeze(plans.map((plan) => plan.item)),
  });
}

// ---------------------------------------------------------------------------------------
// Reading the timeline

// Starts are ms/1000 rounded to the nearest double, so rounding back recovers the integer.
const startUs = (segment) => Math.round(segment.start * 1000) * US_PER_MS;
const endUs = (segment) => Math.round(segment.end * 1000) * US_PER_MS;

function needTime(t, what = 't') {
  if (typeof t !== 'number' || Number.isNaN(t)) {
    throw new TypeError(`${what} must be a number of seconds, got ${show(t)}`);
  }
}

/** `t` clamped to the session and snapped to whole microseconds (sub-µs float noise goes). */
function instantUs(timeline, t) {
  needTime(t);
  return Math.round(Math.min(Math.max(t, 0), timeline.duration) * 1e6);
}

/** Binary search: the last segment starting at or before `us`. */
function indexAtUs(timeline, us) {
  const { segments } = timeline;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (startUs(segments[mid]) <= us) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Index of the segment that holds elapsed time `t` (clamped; a start belongs to its segment). */
export function segmentIndexAt(timeline, t) {
  return indexAtUs(timeline, instantUs(timeline, t));
}

/** In/out within a `breathe` hold: 2 s in, 3 s out from the phase start, the last cycle cut short. */
function breatheCycle(intoUs, lengthUs) {
  let position = intoUs % BREATHE_CYCLE_US;
  // At the very end of the session, report the breath that was finishing, not a new one.
  const atEnd = intoUs >= lengthUs;
  if (atEnd && position === 0) position = BREATHE_CYCLE_US;
  if (position < BREATHE_IN_US || (atEnd && position === BREATHE_IN_US)) {
    return { breath: 'inhale', progress: position / BREATHE_IN_US };
  }
  return { breath: 'exhale', progress: (position - BREATHE_IN_US) / BREATHE_OUT_US };
}

function breathingAt(segment, intoUs, lengthUs) {
  const progress = intoUs / lengthUs;
  switch (segment.breath) {
    case 'inhale':
    case 'exhale':
      return { breath: segment.breath, progress };
    case 'pause':
      return { breath: 'hold', progress };
    case 'breathe':
      return breatheCycle(intoUs, lengthUs);
    case 'free':
      return { breath: 'free', progress };
    default:
      return { breath: 'rest', progress };
  }
}

/** The cue showing `intoUs` into a segment: its cues in turn, CUE_SECONDS each, round again ('' for none). */
function cueAt(segment, intoUs) {
  const { cues } = segment;
  if (cues.length === 0) return '';
  return cues[Math.floor(intoUs / (CUE_SECONDS * 1e6)) % cues.length];
}

/** The pacer's state at elapsed time `t` seconds (clamped to [0, duration]). */
export function at(timeline, t) {
  const us = instantUs(timeline, t);
  const segmentIndex = indexAtUs(timeline, us);
  const segment = timeline.segments[segmentIndex];
  const fromUs = startUs(segment);
  const toUs = endUs(segment);
  const durationUs = Math.round(timeline.duration * 1000) * US_PER_MS;
  return {
    type: segment.type,
    itemIndex: segment.itemIndex,
    item: segment.item,
    phaseIndex: segment.phaseIndex,
    phase: segment.phase,
    breath: segment.breath,
    progress: (us - fromUs) / (toUs - fromUs),
    set: segment.set,
    sets: segment.sets,
    rep: segment.rep,
    reps: segment.reps,
    side: segment.side,
    cue: cueAt(segment, us - fromUs),
    segmentIndex,
    segmentRemaining: (toUs - us) / 1e6,
    elapsed: us / 1e6,
    remaining: (durationUs - us) / 1e6,
    done: us >= durationUs,
    breathing: breathingAt(segment, us - fromUs, toUs - fromUs),
  };
}

/** Segment starts in [from, to) as `{time, segmentIndex, segment}`, for audio scheduled ahead. */
export function boundaries(timeline, from, to) {
  needTime(from, 'from');
  needTime(to, 'to');
  const fromUs = Math.round(from * 1e6);
  const toUs = Math.round(to * 1e6);
  const { segments } = timeline;
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (startUs(segments[mid]) < fromUs) lo = mid + 1;
    else hi = mid;
  }
  const found = [];
  for (let i = lo; i < segments.length && startUs(segments[i]) < toUs; i += 1) {
    found.push({ time: segments[i].start, segmentIndex: i, segment: segments[i] });
  }
  return found;
}

/**
 * Every change of breath in [from, to): each segment start, plus the in/out turns inside a
 * `breathe` hold (2 s in, 3 s out from the phase start). `{time, breath, segmentIndex, segment,
 * segmentStart}`, where `breath` is as in `at().breathing` ('inhale', 'exhale', 'hold', 'free', 'rest'),
 * so tones and vibration can follow a hold's breathing as well as the phases.
 */
export function breathChanges(timeline, from, to) {
  needTime(from, 'from');
  needTime(to, 'to');
  const fromUs = Math.round(Math.max(from, 0) * 1e6);
  const toUs = Math.round(Math.min(to, timeline.duration) * 1e6);
  const found = [];
  if (toUs <= fromUs) return found;
  const { segments } = timeline;
  for (let i = indexAtUs(timeline, fromUs); i < segments.length && startUs(segments[i]) < toUs; i += 1) {
    const segment = segments[i];
    const s = startUs(segment);
    const e = endUs(segment);
    const turns = [[s, breathingAt(segment, 0, e - s).breath]];
    if (segment.breath === 'breathe') {
      for (let c = s; c < e; c += BREATHE_CYCLE_US) {
        if (c > s) turns.push([c, 'inhale']);
        if (c + BREATHE_IN_US < e) turns.push([c + BREATHE_IN_US, 'exhale']);
      }
    }
    for (const [us, breath] of turns) {
      if (us >= fromUs && us < toUs) {
        found.push({ time: us / 1e6, breath, segmentIndex: i, segment, segmentStart: us === s });
      }
    }
  }
  return found;
}

/** End of the segment holding `t`: where a session stopped at `t` should end (never mid-breath). */
export function endAtBoundary(timeline, t) {
  return timeline.segments[segmentIndexAt(timeline, t)].end;
}

/** Start of item `itemIndex`'s first movement phase (not the rest before it): next/previous exercise. */
export function itemStart(timeline, itemIndex) {
  const segment = timeline.segments.find((s) => s.type === 'phase' && s.itemIndex === itemIndex);
  if (!segment) throw new RangeError(`no item ${show(itemIndex)} in this timeline`);
  return segment.start;
}

/** Start of the get-into-position segment before item `itemIndex`, or null when it has none. */
export function positionStart(timeline, itemIndex) {
  return timeline.segments.find((s) => s.type === 'position' && s.itemIndex === itemIndex)?.start ?? null;
}

/** The count-in a resume at session time `t` needs: 3-2-1 into a movement, none into a rest. */
export function countInFor(timeline, t) {
  return timeline.segments[segmentIndexAt(timeline, t)].type === 'phase' ? COUNT_IN_SECONDS : 0;
}

// ---------------------------------------------------------------------------------------
// The run clock: plain numbers only, so a run survives JSON and a reload.
//
//   duration      the session's length (s)
//   base          session time (s) reached at clock time `origin`; while paused, the paused time
//   origin        clock time (s) from which session time runs on from `base`; null until start.
//                 Resume puts it a count-in (COUNT_IN_SECONDS, or none) ahead of `now`.
//   pausedAt      clock time of the pause, or null while running
//
// Every function returns a new run (or the same one when nothing changes) and never mutates.

/** A new, not yet started run over `timeline` (elapsed 0 until `start`). */
export function createRun(timeline) {
  return { duration: timeline.duration, base: 0, origin: null, pausedAt: null };
}

const isRunning = (run) => run.origin !== null && run.pausedAt === null;

/** Start the clock at `now` (no count-in: the timeline's lead-in plays that part). */
export function start(run, now) {
  needTime(now, 'now');
  if (run.origin !== null) return run;
  return { ...run, origin: now, pausedAt: null };
}

/** Session time (s) at clock time `now`: fixed while paused and during the count-in. */
export function elapsed(run, now) {
  needTime(now, 'now');
  if (!isRunning(run)) return run.base;
  return Math.min(run.duration, run.base + Math.max(0, now - run.origin));
}

/** Pause at `now`; pausing a paused or unstarted run changes nothing. */
export function pause(run, now) {
  if (!isRunning(run)) return run;
  return { ...run, base: elapsed(run, now), pausedAt: now };
}

/**
 * Resume a paused run at `now`, after a count-in of `lead` whole seconds (COUNT_IN_SECONDS
 * unless told: `countInFor` gives none into a rest); throws if never started.
 */
export function resume(run, now, lead = COUNT_IN_SECONDS) {
  needTime(now, 'now');
  if (run.origin === null) throw new Error('this run has not started: call start(run, now)');
  if (!Number.isInteger(lead) || lead < 0) throw new Error(`lead must be a whole number of seconds, got ${show(lead)}`);
  if (run.pausedAt === null) return run;
  return { ...run, origin: now + lead, pausedAt: null };
}

/** The count-in to show at `now`: 3, 2, 1 after a resume, else 0. */
export function countIn(run, now) {
  needTime(now, 'now');
  if (!isRunning(run)) return 0;
  const leftUs = Math.round((run.origin - now) * 1e6); // µs snap, so 1 s after resume reads 2, not 3
  return leftUs > 0 ? Math.ceil(leftUs / 1e6) : 0;
}

/** 'ready' | 'paused' | 'counting-in' | 'running' | 'finished' at `now`. */
export function status(run, now) {
  if (run.origin === null) return 'ready';
  if (elapsed(run, now) >= run.duration) return 'finished';
  if (run.pausedAt !== null) return 'paused';
  return countIn(run, now) > 0 ? 'counting-in' : 'running';
}

/** Move session time to `t` (clamped) at `now`, keeping paused/running and any count-in. */
export function seek(run, now, t) {
  needTime(now, 'now');
  needTime(t);
  const base = Math.min(Math.max(t, 0), run.duration);
  if (!isRunning(run)) return { ...run, base };
  return { ...run, base, origin: Math.max(now, run.origin) };
}

/** Jump to the start of the next segment of `timeline` (the session's end from the last one). */
export function skip(run, now, timeline) {
  const i = segmentIndexAt(timeline, elapsed(run, now));
  const next = timeline.segments[i + 1];
  return seek(run, now, next ? next.start : timeline.duration);
}
