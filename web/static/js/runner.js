/**
 * The session runner's decisions, pure: which exercise a moment of the session belongs to, how
 * far each exercise really got, and what Next, Previous, Skip phase and End do to the record.
 * No DOM, no clock, no storage: screens/run.js keeps the pacer's run, draws, and stores the
 * session state these functions read and change.
 *
 * The record-keeping parts of the state: `reached` (item key → the session time its phases
 * were played up to), `skips` (item key → start times of movement phases skipped with Skip
 * phase: their reps were not done) and `skipped` (keys of the exercises left before their end
 * with Next). The saved record (questions.js `sessionRecord`) counts an exercise as skipped when
 * it was left that way, or begun and not done to its end (End, a phase skipped, a stop for pain).
 */

import { at, endAtBoundary, itemStart, positionStart } from './pacer.js';
import { progressOf } from './questions.js';

export const RESTART_WINDOW = 3; // "previous" within 3 s of an exercise's start goes to the one before

const ends = new WeakMap();

/** Where each item's last movement phase ends. */
export function itemEnds(timeline) {
  if (!ends.has(timeline)) {
    ends.set(timeline, timeline.items.map((_, i) => timeline.segments
      .findLast((s) => s.type === 'phase' && s.itemIndex === i).end));
  }
  return ends.get(timeline);
}

/** The item a segment belongs to: its phases, its sides, its rests between sets (else null). */
export function ownItem(segment) {
  const own = segment.type === 'phase' || segment.type === 'switch-sides' || (segment.type === 'rest' && segment.set > 1);
  return own ? segment.itemIndex : null;
}

/** The exercise a time belongs to; a rest before the next exercise still belongs to the one
 * just done (null during the lead-in). */
export function activeAt(timeline, t) {
  const s = at(timeline, t);
  return ownItem(s) ?? (s.itemIndex > 0 ? s.itemIndex - 1 : null);
}

export const keyOf = (timeline, i) => timeline.items[i].key;

/** The record-keeping parts of a session state, added to one saved before they existed. */
function record(state) {
  state.skipped ??= [];
  state.skips ??= {};
  state.reached ??= {};
  return state;
}

/** How much of item `i` was done, with the phases skipped taken out. */
export function progress(state, timeline, i) {
  const key = keyOf(timeline, i);
  return progressOf(timeline, i, state.reached?.[key] ?? 0, state.skips?.[key] ?? []);
}

export function begun(state, timeline, i) {
  return progress(state, timeline, i).sets_begun.length > 0;
}

export function asked(state, timeline, i) {
  return state.asked.includes(keyOf(timeline, i));
}

/**
 * Item `i` was played up to session time `t` (never past its own end). An exercise left with
 * Next keeps what it had reached: the rest and the time to get into position after it, which
 * still count as its time, add nothing to it.
 */
export function noteReached(state, timeline, i, t) {
  if (i === null) return;
  const key = keyOf(timeline, i);
  if (record(state).skipped.includes(key)) return;
  const reached = Math.min(t, itemEnds(timeline)[i]);
  if (reached > (record(state).reached[key] ?? 0)) state.reached[key] = reached;
}

function markSkipped(state, timeline, i) {
  const key = keyOf(timeline, i);
  if (!record(state).skipped.includes(key)) state.skipped.push(key);
}

/** Skip phase at `t`: a movement phase skipped is a rep not done (the pacer moves on itself). */
export function skipPhase(state, timeline, t) {
  const s = at(timeline, t);
  if (s.type !== 'phase') return;
  noteReached(state, timeline, s.itemIndex, t);
  const key = keyOf(timeline, s.itemIndex);
  const skips = (record(state).skips[key] ??= []);
  const start = timeline.segments[s.segmentIndex].start;
  if (!skips.includes(start)) skips.push(start);
}

/**
 * Next at `t`: leave the exercise in hand for the next one. Left before its end, it is
 * skipped, with what was reached. It goes to the next one's get-into-position segment (or its
 * first movement when there is none, or when already in it). The answer says what the screen does:
 * `{action: 'finish', item}` (it was the last), `{action: 'ask', item, resumeAt, stopAt}` (ask
 * about it first, then go on) or `{action: 'seek', to}`.
 */
export function next(state, timeline, t) {
  const i = activeAt(timeline, t);
  if (i !== null) {
    noteReached(state, timeline, i, t);
    if (t < itemEnds(timeline)[i]) markSkipped(state, timeline, i);
  }
  const target = i === null ? 0 : i + 1;
  if (target >= timeline.items.length) return { action: 'finish', item: i };
  // The rest is skipped, not the time to get into position (unless already in it).
  const setup = positionStart(timeline, target);
  const to = setup !== null && setup > t ? setup : itemStart(timeline, target);
  if (i !== null && begun(state, timeline, i) && !asked(state, timeline, i)) {
    return { action: 'ask', item: i, resumeAt: to, stopAt: t };
  }
  return { action: 'seek', to };
}

/**
 * Previous at `t`: the exercise in hand again from its start, or (within RESTART_WINDOW of its
 * start) the one before. Doing an exercise again starts its record over, questions included.
 */
export function previous(state, timeline, t) {
  const i = activeAt(timeline, t) ?? 0;
  const start = itemStart(timeline, i);
  const target = t - start > RESTART_WINDOW ? i : Math.max(0, i - 1);
  const key = keyOf(timeline, target);
  record(state);
  state.asked = state.asked.filter((k) => k !== key);
  state.skipped = state.skipped.filter((k) => k !== key);
  delete state.skips[key];
  delete state.reached[key];
  return { item: target, to: itemStart(timeline, target) };
}

/**
 * End at `t`. During a movement, the phase in hand finishes first (never mid-breath):
 * `{action: 'wait', endAt}`. Paused, asked a second time, or between movements (lead-in, rest,
 * switching sides), the session ends now, on the boundary where the last movement ended:
 * `{action: 'finish', at, item}`.
 */
export function end(state, timeline, t, paused) {
  const s = at(timeline, t);
  const i = activeAt(timeline, t);
  if (paused || state.endAt !== null) return { action: 'finish', at: t, item: i };
  if (s.type !== 'phase') {
    return { action: 'finish', at: timeline.segments[s.segmentIndex].start, item: i };
  }
  return { action: 'wait', endAt: endAtBoundary(timeline, t) };
}

/**
 * The session stops at `at` while item `i` is in hand: note how far it got, then ask about it
 * (`{action: 'ask', item}`) when it was begun and not yet asked about, else `{action: 'complete'}`.
 */
export function finish(state, timeline, at, i) {
  noteReached(state, timeline, i, at);
  if (i !== null && begun(state, timeline, i) && !asked(state, timeline, i)) return { action: 'ask', item: i };
  return { action: 'complete' };
}

/**
 * A frame at `t`, item `i` in hand (the last whose own segment was shown; `finished`: the run
 * reached the session's end). Notes how far `i` got, then says what happens:
 * `{action: 'finish', at, item}` (End's boundary, or the end of the session), `{action: 'ask',
 * item, resumeAt, stopAt}` (the exercise just ended and was not asked about; `resumeAt` null
 * when it was the last), or null (carry on).
 */
export function frame(state, timeline, i, t, finished) {
  noteReached(state, timeline, i, t);
  const ends = itemEnds(timeline);
  if (state.endAt !== null && t >= state.endAt) return { action: 'finish', at: state.endAt, item: i };
  if (i !== null && t >= ends[i] && !asked(state, timeline, i)) {
    const last = ends[i] >= timeline.duration;
    return { action: 'ask', item: i, resumeAt: last ? null : ends[i], stopAt: ends[i] };
  }
  if (finished) return { action: 'finish', at: timeline.duration, item: i };
  return null;
}

/** "It hurts" at `t`: the questions about the exercise in hand, pain first; then on from `t`. */
export function hurts(timeline, t) {
  return { action: 'ask', item: activeAt(timeline, t) ?? 0, resumeAt: t, stopAt: t, painFirst: true };
}

/**
 * The questions about `state.asking` are done: it counts as asked. `{action: 'complete'}` when
 * the person stopped (`stop`) or it was the last, else `{action: 'continue', at}`.
 */
export function answered(state, stop = false) {
  const { key, resumeAt } = state.asking;
  if (!state.asked.includes(key)) state.asked.push(key);
  state.asking = null;
  return stop || resumeAt === null ? { action: 'complete' } : { action: 'continue', at: resumeAt };
}

/**
 * What a session in progress holds that discarding it would lose: how many exercises have
 * answers, and the highest pain among them (null when none was given).
 */
export function held(state) {
  const answered = Object.values(state.answers ?? {}).filter((a) => a && Object.keys(a).length > 0);
  const pains = answered.map((a) => a.pain).filter(Number.isInteger);
  return { answered: answered.length, maxPain: pains.length ? Math.max(...pains) : null };
}
