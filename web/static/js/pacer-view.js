/**
 * The pacer on screen: a shape that grows on the in-breath and shrinks on the out-breath, the
 * breath and movement in words, the cue of this phase, set and rep counters and time left.
 *
 * One requestAnimationFrame loop reads the timeline at `performance.now()` through the run
 * clock of pacer.js, so the picture never drifts, and a tab that was hidden is simply right
 * again on its first frame back. Only `transform` and `opacity` change per frame (compositor
 * work, no layout); text is written only when it changes. With prefers-reduced-motion the
 * shape gives way to a progress bar and the words.
 */

import { h } from './dom.js';
import { at, countIn, elapsed, status } from './pacer.js';
import { repWord } from './questions.js';

const SMALL = 0.46; // the shape's scale at empty lungs; 1 at full
const DEFAULT_FRAME_MS = 1000 / 60;

const BREATH_SAYS = { inhale: 'Breathe in', exhale: 'Breathe out', hold: 'Hold', free: 'Breathe freely' };
const MOVEMENT_BREATH = { inhale: 'inhale', exhale: 'exhale', pause: 'hold', breathe: 'keep breathing', free: 'never hold' };

const ease = (p) => (1 - Math.cos(Math.PI * Math.min(Math.max(p, 0), 1))) / 2;

const PREP_SECONDS = 2; // a rest eases the shape to where the next phase starts, over its last 2 s
const lerp = (a, b, p) => a + (b - a) * ease(p);

/** Where segment `i` leaves the lungs (0 empty – 1 full). */
function endLevel(timeline, i) {
  const segment = timeline.segments[i];
  if (!segment) return 0.5;
  if (segment.type !== 'phase') return prepLevel(timeline, i);
  return lungLevel(timeline, at(timeline, segment.end - 1e-6));
}

/** The level the phase after a rest starts from: full before an out-breath, empty before an in-breath. */
function prepLevel(timeline, i) {
  const next = timeline.segments[i + 1];
  if (!next || next.type !== 'phase') return 0.5;
  return { exhale: 1, inhale: 0, breathe: 0 }[next.breath] ?? 0.5;
}

/**
 * Lung level 0–1 for a pacer state: each breath eases on from where the last one left off
 * (so the shape never jumps), a pause holds, and a rest settles to a neutral size and then
 * prepares the next phase's first breath.
 */
export function lungLevel(timeline, state) {
  const i = state.segmentIndex;
  const segment = timeline.segments[i];
  const into = state.elapsed - segment.start;
  const from = () => endLevel(timeline, i - 1);
  const { breath, progress } = state.breathing;
  if (segment.type !== 'phase') {
    const settled = i === 0 ? 0.5 : lerp(from(), 0.5, into / PREP_SECONDS);
    const left = state.segmentRemaining;
    return left < PREP_SECONDS ? lerp(settled, prepLevel(timeline, i), 1 - left / PREP_SECONDS) : settled;
  }
  // Inside a hold's steady breathing only the first in-breath starts from the previous phase.
  const first = segment.breath !== 'breathe' || into < 2;
  if (breath === 'inhale') return lerp(first ? from() : 0, 1, progress);
  if (breath === 'exhale') return lerp(first && segment.breath !== 'breathe' ? from() : 1, 0, progress);
  if (breath === 'free') return lerp(from(), 0.5, into / PREP_SECONDS); // settles: no pace to follow
  return from(); // a pause holds the breath where it was
}

/** The words for a state: `{big, movement}`. */
export function wordsFor(state, timeline) {
  switch (state.type) {
    case 'lead-in':
      return { big: 'Get ready', movement: `${state.item.name}${state.side ? ` — ${state.side} side first` : ''}` };
    case 'switch-sides':
      return { big: 'Switch sides', movement: `now the ${state.side} side` };
    case 'rest': {
      const first = state.set === 1;
      const next = first ? state.item.name : `set ${state.set} of ${state.sets}`;
      // Between brisk bouts of walking the rest is easy walking, not standing still.
      if (!first && state.item.pattern === 'gait') return { big: 'Easy walking', movement: `keep walking gently — next: ${next}` };
      return { big: 'Rest', movement: `breathe easy — next: ${next}` };
    }
    default: {
      const big = BREATH_SAYS[state.breathing.breath] ?? 'Breathe';
      return { big, movement: `${MOVEMENT_BREATH[state.phase.breath]} — ${state.phase.movement}` };
    }
  }
}

function cueFor(state) {
  const cues = state.item.cues ?? [];
  if (state.type === 'phase') return cues.find((c) => c.phase === state.phase.name)?.text ?? '';
  return cues[0] ? `Tip: ${cues[0].text}` : '';
}

function announcement(state, words) {
  if (state.type !== 'phase') return `${words.big}. ${words.movement}.`;
  const side = state.side ? `, ${state.side} side` : '';
  return `${words.movement}. Set ${state.set} of ${state.sets}, ${repWord(state.item)} ${state.rep} of ${state.reps}${side}.`;
}

/**
 * Mount the pacer into `container`. `hooks.getRun()` returns the current run;
 * `hooks.onSegment(state)`, `hooks.onBreath(breath, state)` and `hooks.onFrame(state, t, now)`
 * are called from the frame loop. Returns `{start, stop, redraw, root}`.
 */
export function createPacerView(container, timeline, hooks) {
  const el = {
    exercise: h('p', { class: 'pacer-exercise' }),
    orb: h('div', { class: 'orb', 'aria-hidden': 'true' }),
    big: h('p', { class: 'breath-word' }),
    overlay: h('p', { class: 'pacer-overlay', 'aria-hidden': 'true' }),
    barFill: h('div', { class: 'bar-fill' }),
    movement: h('p', { class: 'movement' }),
    cue: h('p', { class: 'cue' }),
    set: h('span', { class: 'set-count' }),
    rep: h('span', { class: 'rep-count' }),
    phaseLeft: h('span', { class: 'phase-left' }),
    sessionLeft: h('span', { class: 'session-left' }),
    announce: h('p', { class: 'sr-only announce', role: 'status', 'aria-live': 'polite' }),
  };
  const root = h('section', { class: 'pacer', 'aria-label': 'Breath pacer' },
    el.exercise,
    h('div', { class: 'pacer-stage' },
      h('div', { class: 'orb-wrap' }, h('div', { class: 'orb-guide', 'aria-hidden': 'true' }), el.orb),
      el.overlay,
      h('div', { class: 'bar', 'aria-hidden': 'true' }, el.barFill)),
    el.big,
    el.movement,
    el.cue,
    h('p', { class: 'counters' }, el.set, el.rep, el.phaseLeft, el.sessionLeft),
    el.announce);
  container.append(root);

  const motion = matchMedia('(prefers-reduced-motion: reduce)');
  const bench = globalThis.__spinewiseBench; // set by bench/pacer_timing.py only

  let frame = 0;
  let lastTs = null;
  const intervals = [];
  let frameMs = DEFAULT_FRAME_MS;
  let shown = { segmentIndex: -1, breath: null, status: null, countIn: -1, text: {} };

  const setText = (key, node, text) => {
    if (shown.text[key] !== text) {
      node.textContent = text;
      shown.text[key] = text;
    }
  };

  function draw(now) {
    const run = hooks.getRun();
    const clock = now / 1000;
    const runStatus = status(run, clock);
    // Each frame shows the timeline half a frame ahead: the frame drawn now is on screen until
    // the next, so a boundary lands on the frame nearest to it, never more than half a frame off.
    const lead = runStatus === 'running' ? frameMs / 2000 : 0;
    const t = elapsed(run, clock + lead);
    const state = at(timeline, t);

    if (state.segmentIndex !== shown.segmentIndex) {
      const words = wordsFor(state, timeline);
      root.dataset.type = state.type;
      root.dataset.segment = String(state.segmentIndex);
      setText('exercise', el.exercise, state.item.name + (state.side ? ` · ${state.side} side` : ''));
      setText('movement', el.movement, words.movement);
      setText('cue', el.cue, cueFor(state));
      setText('set', el.set, `Set ${state.set} of ${state.sets}`);
      setText('rep', el.rep, state.rep ? `${repWord(state.item)} ${state.rep} of ${state.reps}` : '');
      el.announce.textContent = announcement(state, words);
      if (bench) {
        bench.changes.push({
          segmentIndex: state.segmentIndex,
          boundary: state.segmentIndex === 0 ? null : (run.origin + timeline.segments[state.segmentIndex].start - run.base) * 1000,
          changedAt: performance.now(),
          status: runStatus,
        });
      }
      const first = shown.segmentIndex === -1;
      shown.segmentIndex = state.segmentIndex;
      shown.breath = state.breathing.breath;
      if (!first && runStatus === 'running') hooks.onSegment?.(state);
    } else if (state.breathing.breath !== shown.breath) {
      shown.breath = state.breathing.breath;
      if (runStatus === 'running') hooks.onBreath?.(state.breathing.breath, state);
    }
    root.dataset.breath = state.breathing.breath;
    setText('big', el.big, wordsFor(state, timeline).big);

    const count = countIn(run, clock);
    if (runStatus !== shown.status || count !== shown.countIn) {
      root.dataset.status = runStatus;
      const overlay = runStatus === 'counting-in' ? String(count) : runStatus === 'paused' ? 'Paused' : '';
      setText('overlay', el.overlay, overlay);
      if (runStatus === 'counting-in') el.announce.textContent = `Resuming in ${count}`;
      if (runStatus === 'paused' && shown.status && shown.status !== 'paused') el.announce.textContent = 'Paused';
      shown.status = runStatus;
      shown.countIn = count;
    }
    setText('phaseLeft', el.phaseLeft, `${Math.ceil(state.segmentRemaining - 1e-9)} s to go`);
    setText('sessionLeft', el.sessionLeft, `${formatLeft(state.remaining)} left`);

    if (motion.matches) {
      el.barFill.style.transform = `scaleX(${state.progress.toFixed(4)})`;
    } else {
      const level = lungLevel(timeline, state);
      el.orb.style.transform = `scale(${(SMALL + (1 - SMALL) * level).toFixed(4)})`;
      el.orb.style.opacity = (0.55 + 0.45 * level).toFixed(3);
    }
    hooks.onFrame?.(state, t, now, runStatus);
  }

  function tick(ts) {
    frame = requestAnimationFrame(tick);
    if (lastTs !== null) {
      intervals.push(ts - lastTs);
      if (intervals.length > 30) intervals.shift();
      const sorted = [...intervals].sort((a, b) => a - b);
      frameMs = Math.min(Math.max(sorted[sorted.length >> 1], 4), 50);
    }
    lastTs = ts;
    if (bench) bench.frames.push(ts);
    draw(performance.now());
  }

  return {
    root,
    start() {
      if (frame) return;
      frame = requestAnimationFrame(tick);
      draw(performance.now()); // the words are there at once, not one frame later
    },
    stop() {
      cancelAnimationFrame(frame);
      frame = 0;
      lastTs = null;
    },
    /** Draw now (after a control changed the run), without waiting for the next frame. */
    redraw() {
      draw(performance.now());
    },
  };
}

function formatLeft(seconds) {
  const s = Math.max(0, Math.ceil(seconds - 1e-9));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
