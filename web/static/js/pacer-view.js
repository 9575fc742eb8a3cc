/**
 * The pacer on screen, made to be read at arm's length from the floor: a shape that grows on
 * the in-breath and shrinks on the out-breath, a big count inside it (the rep, the seconds left
 * of a hold or a rest, minutes:seconds of free breathing), the breath word once, the movement,
 * the cue showing (pacer.js picks it), the set and the time left.
 *
 * One requestAnimationFrame loop reads the timeline at `performance.now()` through the run
 * clock of pacer.js, so the picture never drifts, and a tab that was hidden is simply right
 * again on its first frame back. Only `transform` and `opacity` change per frame (compositor
 * work, no layout); text is written only when it changes. With prefers-reduced-motion the
 * shape gives way to a bar that fills on the in-breath and empties on the out-breath. Free
 * breathing (walking) shows no shape: only the words and the time left. A screen reader hears
 * one short announcement per segment (`announcement`).
 */

import { h } from './dom.js';
import { createFigure } from './figure.js';
import { at, countIn, elapsed, status } from './pacer.js';
import { repWord } from './questions.js';

const SMALL = 0.46; // the shape's scale at empty lungs; 1 at full
const DEFAULT_FRAME_MS = 1000 / 60;

const BREATH_SAYS = { inhale: 'Breathe in', exhale: 'Breathe out', hold: 'Hold' };
const MOVEMENT_BREATH = { inhale: 'inhale', exhale: 'exhale', pause: 'hold', breathe: 'keep breathing' };

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
  return from(); // a pause holds the breath where it was
}

const POSITION_SAYS = {
  supine: 'Lie on your back',
  'side-lying': 'Lie on your side',
  prone: 'Lie face down',
  quadruped: 'Come onto hands and knees',
  kneeling: 'Kneel',
  seated: 'Sit down',
  standing: 'Stand up',
};

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What "left" or "right" means for an item: lying on that side (`sides: 'lying'`), or that
 * side's arm or leg working (the default). '' when the item is not done one side at a time.
 */
export function sideWords(item, side) {
  if (!side) return '';
  return item.sides === 'lying' ? `lying on your ${side} side` : `${side} side working`;
}

function itemLine(state) {
  const side = sideWords(state.item, state.side);
  return state.item.name + (side ? ` · ${side}` : '');
}

const restBeforeItem = (state) => state.type === 'rest' && state.set === 1 && state.itemIndex > 0;

/** The exercise line: "Clamshell · lying on your left side" (with "Next:" in a rest before it). */
export function exerciseLine(state) {
  return restBeforeItem(state) ? `Next: ${itemLine(state)}` : itemLine(state);
}

/** Where to get to: "Lie on your left side", "Stand up". */
function positionWords(state) {
  const { item, side } = state;
  if (item.position === 'side-lying' && item.sides === 'lying' && side) return `Lie on your ${side} side`;
  return POSITION_SAYS[item.position] ?? 'Get into position';
}

/** The words for a state: `{big, movement}`; the breath is said once, in `big`. */
export function wordsFor(state) {
  switch (state.type) {
    case 'lead-in':
      return { big: 'Get ready', movement: state.item.name };
    case 'position':
      return { big: 'Get into position', movement: positionWords(state) };
    case 'switch-sides':
      return { big: 'Switch sides', movement: capital(sideWords(state.item, state.side)) };
    case 'rest':
      // Between brisk bouts of walking the rest is easy walking, not standing still.
      if (state.set > 1 && state.item.pattern === 'gait') {
        return { big: 'Easy walking', movement: `keep walking gently — next: set ${state.set} of ${state.sets}` };
      }
      return {
        big: 'Rest',
        movement: state.set === 1 ? 'breathe easy' : `breathe easy — next: set ${state.set} of ${state.sets}`,
      };
    default:
      if (state.phase.breath === 'free') {
        return { big: 'Easy breathing', movement: `${state.phase.movement} — never hold your breath` };
      }
      return { big: BREATH_SAYS[state.breathing.breath] ?? 'Breathe', movement: state.phase.movement };
  }
}

/** The set line: the set in hand, or during a rest between sets the set just done. */
export function setWords(state) {
  if (state.type === 'rest') return state.set > 1 ? `Set ${state.set - 1} of ${state.sets} done` : '';
  if (state.type === 'position') return '';
  return `Set ${state.set} of ${state.sets}`;
}

const wholeSeconds = (seconds) => Math.max(0, Math.ceil(seconds - 1e-9));

/**
 * The big count, read at arm's length: the rep (or breath) number in a movement, the seconds
 * left of a hold, minutes:seconds left of free breathing, the seconds left of a rest or a change
 * of position. `{big, label}`; `label` says what the number counts ("rep 3 of 12").
 */
export function countFor(state) {
  if (state.type !== 'phase') return { big: `${wholeSeconds(state.segmentRemaining)} s`, label: '' };
  const label = `${repWord(state.item)} ${state.rep} of ${state.reps}`;
  if (state.phase.breath === 'free') return { big: formatLeft(state.segmentRemaining), label: state.reps > 1 ? label : '' };
  if (state.phase.breath === 'breathe') return { big: `${wholeSeconds(state.segmentRemaining)} s`, label };
  return { big: String(state.rep), label };
}

/**
 * The one short announcement for a segment's start (a polite live region): the movement on a
 * set's first rep, then only the breath (and the rep number on each rep's first phase), so a
 * screen reader never falls behind the movement.
 */
export function announcement(state) {
  const words = wordsFor(state);
  switch (state.type) {
    case 'lead-in':
      return `Get ready: ${exerciseLine(state)}.`;
    case 'position':
    case 'switch-sides':
      return `${words.big}: ${words.movement}.`;
    case 'rest': {
      const left = `Rest ${wholeSeconds(state.segmentRemaining)} seconds.`;
      return restBeforeItem(state) ? `${left} Next: ${itemLine(state)}.` : `${left} Next: set ${state.set}.`;
    }
    default:
      if (state.phase.breath === 'free') return `${words.big}. ${capital(state.phase.movement)}. ${formatLeft(state.segmentRemaining)} minutes.`;
      if (state.rep === 1) {
        const set = state.phaseIndex === 0 ? `Set ${state.set} of ${state.sets}. ` : '';
        return `${set}${words.big}: ${state.phase.movement}.`;
      }
      return state.phaseIndex === 0 ? `${state.rep}. ${words.big}.` : `${words.big}.`;
  }
}

/**
 * Mount the pacer into `container`. `hooks.getRun()` returns the current run;
 * `hooks.onSegment(state)`, `hooks.onBreath(breath, state)` and `hooks.onFrame(state, t, now)`
 * are called from the frame loop. Returns `{start, stop, redraw, root}`.
 */
export function createPacerView(container, timeline, hooks) {
  const el = {
    stage: null,
    countBox: null,
    headline: null,
    exercise: h('p', { class: 'pacer-exercise' }),
    orb: h('div', { class: 'orb', 'aria-hidden': 'true' }),
    count: h('p', { class: 'count-big' }),
    rep: h('p', { class: 'rep-count' }),
    big: h('p', { class: 'breath-word' }),
    overlay: h('p', { class: 'pacer-overlay', 'aria-hidden': 'true' }),
    barFill: h('div', { class: 'bar-fill' }),
    movement: h('p', { class: 'movement' }),
    cue: h('p', { class: 'cue' }),
    set: h('span', { class: 'set-count' }),
    sessionLeft: h('span', { class: 'session-left' }),
    announce: h('p', { class: 'sr-only announce', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' }),
  };
  // The count and the words are read from the page; the live region says each segment once.
  const root = h('section', { class: 'pacer', 'aria-label': 'Breath pacer' },
    el.exercise,
    el.stage = h('div', { class: 'pacer-stage' },
      h('div', { class: 'orb-wrap', 'aria-hidden': 'true' }, h('div', { class: 'orb-guide' }), el.orb),
      el.countBox = h('div', { class: 'count' }, el.count, el.rep),
      el.overlay),
    h('div', { class: 'bar', 'aria-hidden': 'true' }, h('span', {}, 'out'), h('div', { class: 'bar-track' }, el.barFill), h('span', {}, 'in')),
    el.headline = h('div', { class: 'headline' }, el.big),
    el.movement,
    el.cue,
    h('p', { class: 'counters' }, el.set, el.sessionLeft),
    el.announce);
  container.append(root);

  const motion = matchMedia('(prefers-reduced-motion: reduce)');
  const bench = globalThis.__spinewiseBench; // set by bench/pacer_timing.py only

  let frame = 0;
  let lastTs = null;
  const intervals = [];
  let frameMs = DEFAULT_FRAME_MS;
  let shown = { segmentIndex: -1, breath: null, status: null, countIn: -1, text: {} };

  // The figure: built once per exercise, moved by the same state as the breath shape. With
  // reduced motion: the phase's start and end, still, with their names, drawn once a phase.
  let fig = { item: undefined, box: null, views: [], key: null, label: '' };

  function buildFigure(item, still) {
    fig.box?.remove();
    fig = { item, still, box: null, views: [], key: null, label: '' };
    // bench/pacer_timing.py can leave the figure out, to compare with it drawn
    const first = bench?.noFigure ? null : createFigure(item, { className: still ? 'still-frame' : 'pacer-figure' });
    root.classList.toggle('with-figure', Boolean(first));
    // With a figure the count stands beside the breath word, leaving the stage to the figure.
    if (first) el.headline.prepend(el.countBox);
    else el.stage.insertBefore(el.countBox, el.overlay);
    if (!first) return;
    if (!still) {
      fig.views = [{ view: first }];
      fig.box = first.svg;
    } else {
      const second = createFigure(item, { className: 'still-frame' });
      second.svg.removeAttribute('role');
      second.svg.setAttribute('aria-hidden', 'true');
      fig.views = [first, second].map((view) => {
        const name = h('span', { class: 'still-name' });
        return { view, name, node: h('div', { class: 'figure-still' }, view.svg, name) };
      });
      fig.box = h('div', { class: 'figure-stills' }, fig.views.map((v) => v.node));
    }
    el.stage.insertBefore(fig.box, el.stage.firstChild.nextSibling); // over the breath shape
  }

  function showFigure(state, level, still) {
    if (state.item !== fig.item || still !== fig.still) buildFigure(state.item, still);
    if (fig.views.length === 0) return;
    const label = figureLabel(state);
    if (label !== fig.label) {
      fig.views[0].view.svg.setAttribute('aria-label', label);
      fig.label = label;
    }
    if (!still) {
      fig.views[0].view.frame(state, level);
      return;
    }
    const key = `${state.type}:${state.phaseIndex}:${state.side}`;
    if (key === fig.key) return;
    fig.key = key;
    const [from, to] = fig.views;
    const flip = state.side === 'right' ? -1 : 1;
    const moving = state.type === 'phase';
    from.view.stillAt(moving ? state.phaseIndex : -1, 0, flip);
    to.view.stillAt(moving ? state.phaseIndex : -1, 1, flip);
    from.name.textContent = moving ? `Start of ${state.phase.name}` : 'Starting position';
    to.name.textContent = moving ? `End of ${state.phase.name}` : '';
    to.node.hidden = !moving;
  }

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

    const firstDraw = shown.segmentIndex === -1; // a reload comes back paused, and quiet
    const newSegment = state.segmentIndex !== shown.segmentIndex;
    if (newSegment) {
      const words = wordsFor(state);
      root.dataset.type = state.type;
      root.dataset.segment = String(state.segmentIndex);
      root.dataset.effort = String(state.phase?.effort === true);
      setText('exercise', el.exercise, exerciseLine(state));
      setText('movement', el.movement, words.movement);
      setText('set', el.set, setWords(state));
      if (bench) {
        bench.changes.push({
          segmentIndex: state.segmentIndex,
          boundary: state.segmentIndex === 0 ? null : (run.origin + timeline.segments[state.segmentIndex].start - run.base) * 1000,
          changedAt: performance.now(),
          status: runStatus,
        });
      }
      shown.segmentIndex = state.segmentIndex;
      shown.breath = state.breathing.breath;
      if (!firstDraw && runStatus === 'running') hooks.onSegment?.(state);
    } else if (state.breathing.breath !== shown.breath) {
      shown.breath = state.breathing.breath;
      if (runStatus === 'running') hooks.onBreath?.(state.breathing.breath, state);
    }
    root.dataset.breath = state.breathing.breath;
    setText('big', el.big, wordsFor(state).big);
    setText('cue', el.cue, state.cue);
    const counted = countFor(state);
    setText('count', el.count, counted.big);
    setText('rep', el.rep, counted.label);

    const count = countIn(run, clock);
    const statusChanged = runStatus !== shown.status;
    if (statusChanged || count !== shown.countIn) {
      root.dataset.status = runStatus;
      const overlay = runStatus === 'counting-in' ? String(count) : runStatus === 'paused' ? 'Paused' : '';
      setText('overlay', el.overlay, overlay);
    }
    // One announcement per segment, and one per change of state (paused, resuming): never one
    // a second, so nothing queues behind the movement.
    if (runStatus === 'paused' && statusChanged && shown.status) el.announce.textContent = 'Paused';
    else if (runStatus === 'counting-in' && statusChanged) el.announce.textContent = `Resuming in ${count}. ${announcement(state)}`;
    else if (newSegment && !(firstDraw && runStatus === 'paused')) el.announce.textContent = announcement(state);
    shown.status = runStatus;
    shown.countIn = count;
    setText('sessionLeft', el.sessionLeft, `${formatLeft(state.remaining)} left`);

    // The breath's level: the shape's size, or (reduced motion) how full the bar is, so the
    // bar too fills on the in-breath and empties on the out-breath.
    const level = lungLevel(timeline, state);
    if (motion.matches) {
      el.barFill.style.transform = `scaleX(${level.toFixed(4)})`;
    } else {
      el.orb.style.transform = `scale(${(SMALL + (1 - SMALL) * level).toFixed(4)})`;
      el.orb.style.opacity = (0.55 + 0.45 * level).toFixed(3);
    }
    if (bench) {
      const before = performance.now();
      showFigure(state, level, motion.matches);
      bench.figure.push(performance.now() - before);
    } else {
      showFigure(state, level, motion.matches);
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

/** The figure's accessible name: the exercise, the side, and the movement of the phase. */
export function figureLabel(state) {
  const side = sideWords(state.item, state.side);
  const who = state.item.name + (side ? `, ${side}` : '');
  if (state.type === 'phase') return `${who}: ${state.phase.movement}`;
  if (state.type === 'switch-sides') return `${who}: turning to the other side`;
  return `${who}: the starting position`;
}

function formatLeft(seconds) {
  const s = Math.max(0, Math.ceil(seconds - 1e-9));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
