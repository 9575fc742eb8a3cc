/**
 * The figure on screen (docs/figure.md): an inline SVG built once per exercise from body.js's
 * model, then moved by transforms only. Each bone is a unit line (0,0)–(1,0) with round caps
 * and a stroke that does not scale (`vector-effect`), placed by a `matrix(...)`; the head, the
 * ribs and belly and the kettlebells are unit shapes placed the same way. Its thickness follows
 * the drawing's size through one CSS variable (`--u`, CSS pixels per body unit), set when the
 * drawing is resized, never per frame. The working limbs take the accent colour; the far
 * side's limbs are drawn softer; each layer of the body has an outline in the background's
 * colour so a limb stays readable across the trunk.
 */

import { svg } from './dom.js';
import {
  BELL_RADIUS, RADIUS, between, drawing, extent, held, keyPhase, posed, posedOnce, prepare, scenery, span,
  torso,
} from './body.js';

const prepared = new WeakMap();

/** The exercise's figure made ready (cached), or null when it has none. */
export function figureFor(item) {
  const figure = item?.figure;
  if (!figure) return null;
  if (!prepared.has(figure)) {
    let ready = null;
    try {
      ready = prepare(figure, item.phases);
    } catch (error) {
      console.warn(`no figure for ${item.slug}:`, error.message);
    }
    prepared.set(figure, ready);
  }
  return prepared.get(figure);
}

const LIMBS = {
  'arm.left': ['upperArm.left', 'forearm.left', 'hand.left'],
  'arm.right': ['upperArm.right', 'forearm.right', 'hand.right'],
  'leg.left': ['thigh.left', 'shank.left', 'foot.left'],
  'leg.right': ['thigh.right', 'shank.right', 'foot.right'],
};
const TRUNK = ['pelvis', 'waist', 'ribs', 'chest', 'neck'];
const OUTLINE = 1.4; // units of outline round each layer
const PAD = 3;

const n = (v) => Math.round(v * 100) / 100;
const matrix = (a, b, c, d, e, f) => `matrix(${n(a)} ${n(b)} ${n(c)} ${n(d)} ${n(e)} ${n(f)})`;
/** A unit line's transform onto a bone from `from` to `to`. */
export const boneTransform = (from, to) => {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  return matrix(dx, dy, -dy, dx, from[0], from[1]);
};

const resizing = typeof ResizeObserver === 'function' ? new ResizeObserver((entries) => {
  for (const { target, contentRect } of entries) {
    const { width, height } = target.viewBox.baseVal;
    if (width && contentRect.width) target.style.setProperty('--u', Math.min(contentRect.width / width, contentRect.height / height).toFixed(3));
  }
}) : null;

/** Set a transform only when it changes (a hold writes nothing). */
const place = (el, transform) => {
  if (el.placed !== transform) {
    el.setAttribute('transform', transform);
    el.placed = transform;
  }
};

const line = (cls, width) => {
  const el = svg('line', { class: cls, x2: 1, 'vector-effect': 'non-scaling-stroke' });
  el.style.strokeWidth = `calc(var(--u) * ${n(width)}px)`;
  return el;
};

/** The fixed scenery as SVG (screen units, y up). */
function sceneryShapes(shapes, box) {
  const out = [svg('line', { class: 'fig-floor', x1: box[0] - 400, x2: box[2] + 400, y1: 0, y2: 0, 'vector-effect': 'non-scaling-stroke' })];
  for (const s of shapes) {
    if (s.kind === 'mat') out.push(svg('rect', { class: 'fig-mat', x: s.x[0], y: -2.2, width: s.x[1] - s.x[0], height: 2.2, rx: 1 }));
    if (s.kind === 'wall') {
      out.push(svg('rect', { class: 'fig-thing', x: s.facing > 0 ? s.x - 3 : s.x, y: 0, width: 3, height: box[3] - PAD }));
    }
    if (s.kind === 'step') out.push(svg('rect', { class: 'fig-thing', x: s.x[0], y: 0, width: s.x[1] - s.x[0], height: s.top, rx: 1 }));
    if (s.kind === 'bed') {
      const [a, b] = s.x;
      out.push(svg('rect', { class: 'fig-thing', x: a, y: 0, width: 2, height: s.top + 4 }),
        svg('rect', { class: 'fig-thing', x: b - 2, y: 0, width: 2, height: s.top - 6 }),
        svg('rect', { class: 'fig-mat', x: a, y: s.top - 7, width: b - a, height: 7, rx: 2 }));
    }
    if (s.kind === 'chair') {
      out.push(svg('g', { class: 'fig-thing', transform: matrix(s.facing, 0, 0, 1, s.x, 0) },
        svg('rect', { x: -13, y: s.top - 3, width: 22, height: 3, rx: 1 }),
        svg('rect', { x: -13, y: 0, width: 1.8, height: s.top + 28, rx: 0.9 }),
        svg('rect', { x: 7.2, y: 0, width: 1.8, height: s.top - 3 })));
    }
    if (s.kind === 'bike') {
      const [sx, sy] = s.saddle;
      const [cx, cy] = s.crank;
      out.push(svg('g', { class: 'fig-bike' },
        svg('circle', { cx, cy, r: 9, 'vector-effect': 'non-scaling-stroke' }),
        svg('path', { d: `M${n(sx)} ${n(sy - 2)}L${n(cx)} ${n(cy)}L${n(cx + s.facing * 20)} ${n(sy + 12)}M${n(cx - 16)} 0.5H${n(cx + s.facing * 26)}M${n(cx)} ${n(cy)}V0.5`, 'vector-effect': 'non-scaling-stroke' })),
      svg('rect', { class: 'fig-thing', x: sx - 5, y: sy - 2, width: 10, height: 2.5, rx: 1 }));
    }
    if (s.kind === 'anchor') {
      out.push(svg('rect', { class: 'fig-thing', x: s.at[0] - 1, y: 0, width: 2, height: s.at[1] + 8 }),
        svg('circle', { class: 'fig-thing', cx: s.at[0], cy: s.at[1], r: 2 }));
    }
  }
  return out;
}

/**
 * The box the drawing needs (every pose, the scenery and a band's anchor), as posed: the other
 * side is drawn mirrored about the box's middle, so it needs no more room.
 */
function boxOf(ready, shapes) {
  const box = extent(ready, false);
  const grow = (...xs) => {
    for (const x of xs) {
      box[0] = Math.min(box[0], x);
      box[2] = Math.max(box[2], x);
    }
  };
  for (const s of shapes) {
    if (s.kind === 'anchor') grow(s.at[0] - 2, s.at[0] + 2);
    if (s.kind === 'bike') grow(s.crank[0] - 16, s.crank[0] + s.facing * 26);
    if (s.kind === 'chair') grow(s.x - 14, s.x + 14);
    if (s.kind === 'wall') grow(s.x - 3, s.x + 3);
    if (s.kind === 'step' || s.kind === 'bed') grow(...s.x);
    if (s.kind === 'bed') box[3] = Math.max(box[3], s.top + 4);
    if (s.kind === 'chair') box[3] = Math.max(box[3], s.top + 28);
  }
  return [box[0] - PAD, Math.min(box[1], -2.2) - 1, box[2] + PAD, box[3] + PAD];
}

/**
 * Build the figure of `item` (a catalogue exercise or a pacer item; null when it has no
 * figure). `label` is its accessible name; `small` draws a still without the outline. Returns
 * `{svg, prepared, pose(placed, level, flip), frame(state, level), still(index)}`.
 */
export function createFigure(item, { label = item?.name ?? '', className = '' } = {}) {
  const ready = figureFor(item);
  if (!ready) return null;
  const { view } = ready;
  const equipment = item.equipment ?? [];
  const shapes = scenery(ready, equipment);
  const anchor = shapes.find((s) => s.kind === 'anchor')?.at ?? null;
  const box = boxOf(ready, shapes);
  const accent = new Set(ready.accent);
  const middle = (box[0] + box[2]) / 2; // the other side is mirrored about it

  // Layers, farthest first, as the start pose stands: limbs behind the trunk drawn softer.
  const first = drawing(posed(ready.start), view);
  const depthOf = (name) => first.bones.find((b) => b.name === name).depth;
  const trunkDepth = depthOf('pelvis');
  const layers = [
    ...Object.entries(LIMBS).map(([limb, names]) => ({ limb, names, depth: depthOf(names[0]) })),
    { limb: 'trunk', names: TRUNK, depth: trunkDepth },
  ].sort((a, b) => a.depth - b.depth);

  const bones = new Map(); // name → [halo, line]
  let head;
  let nose;
  let belly;
  const groups = layers.map(({ limb, names, depth }) => {
    const cls = ['fig-layer', accent.has(limb) ? 'accent' : '', limb !== 'trunk' && depth < trunkDepth - 1 ? 'far' : ''].join(' ').trim();
    const halos = [];
    const lines = [];
    for (const name of names) {
      const r = first.bones.find((b) => b.name === name).radius;
      const pair = [line('fig-halo', 2 * r + 2 * OUTLINE), line('fig-bone', 2 * r)];
      pair[1].dataset.bone = name;
      bones.set(name, pair);
      halos.push(pair[0]);
      lines.push(pair[1]);
    }
    if (limb === 'trunk') {
      const headHalo = svg('circle', { class: 'fig-halo-fill', r: RADIUS.head + OUTLINE });
      const bellyHalo = svg('ellipse', { class: 'fig-halo-fill', rx: 1, ry: 1 });
      head = [headHalo, svg('circle', { class: 'fig-fill', r: RADIUS.head })];
      belly = [bellyHalo, svg('ellipse', { class: 'fig-fill belly', rx: 1, ry: 1 })];
      nose = svg('circle', { class: 'fig-fill', r: 1.3 });
      halos.push(headHalo, bellyHalo);
      lines.push(belly[1], head[1], nose);
    }
    return svg('g', { class: cls }, halos, lines);
  });
  const dowel = equipment.includes('dowel') ? line('fig-held', 2) : null;
  const band = equipment.includes('band') && anchor ? line('fig-band', 1.2) : null;
  const bells = [];
  const bellGroup = equipment.includes('weight') ? svg('g', { class: 'fig-bells' }) : null;

  const scene = svg('g', { class: 'fig-scene', transform: matrix(1, 0, 0, -1, 0, 0) },
    sceneryShapes(shapes, box), band, groups, dowel, bellGroup);
  const root = svg('svg', {
    class: `figure ${className}`.trim(),
    viewBox: `${n(box[0])} ${n(-box[3])} ${n(box[2] - box[0])} ${n(box[3] - box[1])}`,
    preserveAspectRatio: 'xMidYMax meet',
    role: 'img',
    'aria-label': label,
    dataset: { view },
  }, scene);
  resizing?.observe(root);

  let flipShown = 1;
  let placedShown = null;
  const bellsTo = (count) => {
    while (bells.length < count) {
      const bell = svg('g', {}, svg('circle', { class: 'fig-bell', r: BELL_RADIUS }),
        svg('circle', { class: 'fig-bell-handle', cy: BELL_RADIUS, r: BELL_RADIUS * 0.55, 'vector-effect': 'non-scaling-stroke' }));
      bells.push(bell);
      bellGroup.append(bell);
    }
    bells.forEach((b, i) => b.setAttribute('visibility', i < count ? 'visible' : 'hidden'));
  };

  /** Draw a placed figure: lungs at `level` (0–1), `flip` 1 as posed, -1 mirrored (between: turning). */
  function pose(placed, level = 0.5, flip = 1) {
    if (placed !== placedShown) bodyAt(placed);
    placedShown = placed;
    const { center, along, across } = torso(placed, view, level);
    const outline = Math.hypot(across[0], across[1]);
    const k = (outline + OUTLINE) / outline;
    place(belly[1], matrix(along[0], along[1], across[0], across[1], center[0], center[1]));
    place(belly[0], matrix(along[0] * k, along[1] * k, across[0] * k, across[1] * k, center[0], center[1]));
    if (flip !== flipShown) {
      place(scene, matrix(flip, 0, 0, -1, (1 - flip) * middle, 0));
      flipShown = flip;
    }
  }

  /** The bones, the head and what the hands hold, for a placed figure. */
  function bodyAt(placed) {
    const drawn = drawing(placed, view);
    for (const bone of drawn.bones) {
      const pair = bones.get(bone.name);
      const t = boneTransform(bone.from, bone.to);
      place(pair[0], t);
      place(pair[1], t);
    }
    const at = `translate(${n(drawn.head.at[0])} ${n(drawn.head.at[1])})`;
    place(head[0], at);
    place(head[1], at);
    const [hx, hy] = drawn.head.at;
    const [fx, fy] = drawn.head.face;
    place(nose, `translate(${n(hx + (fx - hx) * 0.95)} ${n(hy + (fy - hy) * 0.95)})`);
    if (dowel || band || bellGroup) {
      const things = held(placed, view, equipment, { accent: ready.accent, anchor });
      if (dowel) place(dowel, boneTransform(things.dowel.from, things.dowel.to));
      if (band) place(band, boneTransform(things.band.from, things.band.to));
      if (bellGroup) {
        bellsTo(things.bells.length);
        things.bells.forEach(([x, y], i) => place(bells[i], `translate(${n(x)} ${n(y)})`));
      }
    }
  }

  return {
    svg: root,
    prepared: ready,
    pose,
    /**
     * Draw a pacer state (`at(timeline, t)`): the phase's movement, the right side mirrored, a
     * switch of sides turning the figure over.
     */
    frame(state, level) {
      const side = state.side === 'right' ? -1 : 1;
      let flip = side;
      if (state.type === 'switch-sides') flip = -side * Math.cos(Math.PI * Math.min(Math.max(state.progress, 0), 1));
      const { from, to, k } = span(ready, { ...state, seconds: state.phase?.seconds });
      pose(from === to ? posedOnce(from) : between(from, to, k), level, n(flip) || 0.01);
    },
    /** Still: the end of phase `index` (the key phase when left out; -1 the start pose). */
    still(index = keyPhase(item.phases), flip = 1) {
      pose(posedOnce(index < 0 ? ready.start : ready.ends[index]), 0.5, flip);
    },
    /** Still: the start (k 0) or end (k 1) of phase `index` (-1: the start pose). */
    stillAt(index, k, flip = 1) {
      if (index < 0) return pose(posedOnce(ready.start), 0.5, flip);
      const from = index > 0 ? ready.ends[index - 1] : ready.start;
      return pose(between(from, ready.ends[index], k), 0.5, flip);
    },
  };
}

/** A small still of an exercise (its effort phase's end, or its hold) to sit beside its name; null without a figure. */
export function stillOf(exercise) {
  const figure = createFigure(exercise, { className: 'still' });
  if (!figure) return null;
  figure.still();
  figure.svg.removeAttribute('role');
  figure.svg.setAttribute('aria-hidden', 'true'); // the name beside it says what it is
  return figure.svg;
}
