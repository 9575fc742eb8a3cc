/**
 * The body model behind the figure: a pose (joint angles, in degrees) becomes the points of a
 * simple figure by forward kinematics, placed on the floor (or a chair seat or a step) by the
 * parts the pose says carry it. Pure: no DOM, no clock.
 *
 * The world: x is the way a standing person faces, y is up, z is the person's left. The floor
 * is y = 0 and a body is 100 units tall. Views: `side` sees x across and y up (the person's left
 * side nearest), `front` faces the person (their left on the right), `above` looks down (x
 * across, their right side at the top).
 *
 * A pose, as the catalogue writes it (docs/figure.md):
 *
 *   pitch, roll, yaw    how the whole body is turned: pitch tips it forward (90 face down with the
 *                       head to the right, -90 on the back with the head to the left), then roll
 *                       turns it about the world's x axis towards its left side (pitch -90 and
 *                       roll 90: lying on the left side, facing the viewer), then yaw about the
 *                       vertical
 *   spine, spine_side, spine_twist
 *                       flexion (forward), side bend (to the left) and rotation (the chest turning
 *                       left) of the three spine segments: one number shared between them, or
 *                       three (lumbar, lower and upper thoracic)
 *   neck, head          flexion of the neck and nod of the head
 *   hips, knees, ankles, shoulders, elbows, wrists
 *                       both sides at once; `left` and `right` give one side:
 *                       {hip, knee, ankle, shoulder, elbow, wrist}
 *   a joint             a number (flexion), or {flex, abd, rot} for hips and shoulders: abduction
 *                       away from the body's midline, rotation outwards (external)
 *   rests               what carries the body (SUPPORTS): each must touch its surface, named
 *                       `part` (the floor) or `part@chair` / `part@step`; the first one listed
 *                       is the anchor that stays put on the floor across the exercise's poses
 *   like                the name of another pose to start from (this one's keys win)
 *
 * Knee flexion is 0 straight; hip and shoulder flexion 0 hanging by the side; ankle 0 at a right
 * angle (positive lifts the toes). Everything left out is 0: standing tall, arms by the sides.
 */

// ---------------------------------------------------------------------------------------
// Proportions (fractions of height × 100, after Drillis and Contini's segment lengths as
// tabled in D. A. Winter, Biomechanics and Motor Control of Human Movement, 4th ed., 2009, §4.1)

export const HEIGHT = 100;
export const LENGTH = Object.freeze({
  pelvis: 5, // hip joints' centre to the lumbosacral joint
  spine: [8, 8, 8], // lumbar, lower thoracic, upper thoracic
  shoulderSpan: 9, // each shoulder joint from the top of the spine, sideways
  shoulderDrop: 1.5,
  hipSpan: 5.5, // each hip joint from the pelvis's centre
  neck: 5,
  headRadius: 6.5,
  upperArm: 18.6,
  forearm: 14.6,
  hand: 6,
  thigh: 24.5,
  shank: 24.6,
  ankle: 3.9, // the ankle joint above the sole
  heel: 3,
  toe: 11, // sole length in front of the ankle
});

// Half-thickness of each drawn part (units): what rests on the floor is this far from its line.
export const RADIUS = Object.freeze({
  pelvis: 6.5, trunk: 6, neck: 2.6, head: LENGTH.headRadius,
  upperArm: 3, forearm: 2.4, hand: 2, thigh: 4.4, shank: 3.4, foot: 1.6,
});

// Surfaces a part may rest on: their top's height. An exercise lists the equipment it rests on
// (`chair`, `step`, `bike`: its saddle); a bed is in every home and is never listed.
export const SURFACES = Object.freeze({ floor: 0, chair: 26, step: 10, bike: 49, bed: 30 });
export const UNLISTED_SURFACES = Object.freeze(['floor', 'bed']);

// ---------------------------------------------------------------------------------------
// Normal joint ranges (degrees), the ends of normal adult range: American Academy of
// Orthopaedic Surgeons, Joint Motion: Method of Measuring and Recording (1965), with the
// passive ends that kneeling on the heels, hugging a knee and a prone press-up reach (Norkin
// and White, Measurement of Joint Motion, 5th ed., 2016). Spine and neck ranges are for the
// three segments together.

export const RANGES = Object.freeze({
  'spine.flex': [-40, 85],
  'spine.side': [-35, 35],
  'spine.twist': [-50, 50],
  neck: [-45, 50],
  head: [-30, 30],
  'hip.flex': [-30, 135],
  'hip.abd': [-30, 50],
  'hip.rot': [-45, 50],
  knee: [0, 155],
  ankle: [-50, 25],
  'shoulder.flex': [-60, 180],
  'shoulder.abd': [-45, 180],
  'shoulder.rot': [-70, 90],
  elbow: [0, 150],
  // Extension; 90 is a palm flat under the shoulder on all fours, past the 70 of free movement.
  wrist: [-80, 90],
});

export const SIDES = Object.freeze(['left', 'right']);
const LIMB_JOINTS = Object.freeze(['hip', 'knee', 'ankle', 'shoulder', 'elbow', 'wrist']);
const BOTH = Object.freeze({
  hips: 'hip', knees: 'knee', ankles: 'ankle', shoulders: 'shoulder', elbows: 'elbow', wrists: 'wrist',
});
const BALL = new Set(['hip', 'shoulder']); // joints with abduction and rotation as well as flexion
export const POSE_KEYS = Object.freeze([
  'like', 'pitch', 'roll', 'yaw', 'spine', 'spine_side', 'spine_twist', 'neck', 'head',
  ...Object.keys(BOTH), 'left', 'right', 'rests',
]);

// ---------------------------------------------------------------------------------------
// Points that can carry the body, each a part of the figure with the radius it rests on.

const SIDED_SUPPORTS = ['heel', 'toes', 'knee', 'hand', 'elbow', 'hip', 'shoulder', 'shin', 'forearm', 'thigh'];
export const SUPPORTS = Object.freeze([
  'head', 'chest', 'back', 'pelvis', 'belly',
  ...SIDED_SUPPORTS.flatMap((part) => SIDES.map((side) => `${part}.${side}`)),
]);
// Names for several supports at once.
const GROUPS = Object.freeze({
  feet: ['heel.left', 'toes.left', 'heel.right', 'toes.right'],
  'foot.left': ['heel.left', 'toes.left'],
  'foot.right': ['heel.right', 'toes.right'],
  heels: ['heel.left', 'heel.right'],
  toes: ['toes.left', 'toes.right'],
  knees: ['knee.left', 'knee.right'],
  hands: ['hand.left', 'hand.right'],
  elbows: ['elbow.left', 'elbow.right'],
  forearms: ['forearm.left', 'forearm.right', 'elbow.left', 'elbow.right'],
  shins: ['shin.left', 'shin.right', 'knee.left', 'knee.right'],
});
export const SUPPORT_NAMES = Object.freeze([...SUPPORTS, ...Object.keys(GROUPS)]);

// ---------------------------------------------------------------------------------------
// Small 3-D algebra: a frame is [front, up, left], three unit vectors in world coordinates.

const RAD = Math.PI / 180;
const add = (a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (a, k) => [a[0] * k, a[1] * k, a[2] * k];
const along = (origin, axis, length) => add(origin, scale(axis, length));
const mix = (a, b, cos, sin) => [a[0] * cos + b[0] * sin, a[1] * cos + b[1] * sin, a[2] * cos + b[2] * sin];

/** Turn axis `a` towards axis `b` by `deg` (and `b` away from `a`), in frame `f`. */
function turn(f, a, b, deg) {
  if (!deg) return f;
  const cos = Math.cos(deg * RAD);
  const sin = Math.sin(deg * RAD);
  const out = [...f];
  out[a] = mix(f[a], f[b], cos, sin);
  out[b] = mix(f[b], f[a], cos, -sin);
  return out;
}
const FRONT = 0;
const UP = 1;
const LEFT = 2;

const WORLD = Object.freeze([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);

/** Turn a whole frame about a world axis (the body's pitch, roll, yaw). */
function turnWorld(f, axis, deg) {
  if (!deg) return f;
  const c = Math.cos(deg * RAD);
  const s = Math.sin(deg * RAD);
  const [i, j] = { x: [1, 2], y: [2, 0], z: [0, 1] }[axis];
  return f.map((v) => {
    const out = [...v];
    out[i] = v[i] * c - v[j] * s;
    out[j] = v[i] * s + v[j] * c;
    return out;
  });
}

// ---------------------------------------------------------------------------------------
// Reading a pose

const NEUTRAL_JOINT = Object.freeze({ flex: 0, abd: 0, rot: 0 });

function joint(value) {
  if (value === undefined) return NEUTRAL_JOINT;
  if (typeof value === 'number') return { ...NEUTRAL_JOINT, flex: value };
  return { ...NEUTRAL_JOINT, ...value };
}

function threeWay(value) {
  if (value === undefined) return [0, 0, 0];
  return Array.isArray(value) ? value : [value / 3, value / 3, value / 3];
}

/**
 * Every angle of a pose, with defaults filled in, as flat numbers: {pitch, roll, yaw,
 * spine: [3], spine_side: [3], spine_twist: [3], neck, head, left: {hip: {flex, abd, rot}, …},
 * right: {…}, rests: [{part, surface}]}. `named` resolves `like`.
 */
export function resolve(pose, named = {}) {
  return full(resolvedKeys(pose, named, []));
}

/** A pose's own keys over those of the poses it is `like`, down the chain. */
function resolvedKeys(pose, named, seen) {
  if (pose.like === undefined) return pose;
  if (seen.includes(pose.like)) throw new Error(`pose ${pose.like} is its own like`);
  if (!named[pose.like]) throw new Error(`no pose named ${pose.like}`);
  return mergeKeys(resolvedKeys(named[pose.like], named, [...seen, pose.like]), pose);
}

function mergeKeys(base, pose) {
  const out = { ...base };
  for (const [key, value] of Object.entries(pose)) {
    if (key === 'like' || value === null || value === undefined) continue;
    if (key in BOTH) {
      // a both-sides key overrides what the base said for either side
      for (const side of SIDES) {
        if (out[side]?.[BOTH[key]] !== undefined) out[side] = { ...out[side], [BOTH[key]]: undefined };
      }
    }
    out[key] = key === 'left' || key === 'right' ? { ...out[key], ...value } : value;
  }
  return out;
}

function full(keys) {
  const side = (name) => Object.fromEntries(LIMB_JOINTS.map((j) => {
    const own = keys[name]?.[j];
    const both = Object.entries(BOTH).find(([, one]) => one === j)[0];
    return [j, joint(own !== undefined ? own : keys[both])];
  }));
  return {
    pitch: keys.pitch ?? 0,
    roll: keys.roll ?? 0,
    yaw: keys.yaw ?? 0,
    spine: threeWay(keys.spine),
    spine_side: threeWay(keys.spine_side),
    spine_twist: threeWay(keys.spine_twist),
    neck: keys.neck ?? 0,
    head: keys.head ?? 0,
    left: side('left'),
    right: side('right'),
    rests: expandSupports(keys.rests ?? []),
  };
}

/** Support names (groups spread, `@surface` kept) as [{part, surface}], each part once. */
export function expandSupports(on) {
  const out = [];
  for (const entry of on) {
    const [name, surface = 'floor'] = String(entry).split('@');
    for (const part of GROUPS[name] ?? [name]) {
      if (!out.some((s) => s.part === part)) out.push({ part, surface });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Blending two poses

/** Ease in and out: 0 → 0, 1 → 1, gentle at both ends. */
export const ease = (k) => (1 - Math.cos(Math.PI * Math.min(Math.max(k, 0), 1))) / 2;
const lerp = (a, b, k) => a + (b - a) * k;

/** The pose `k` (0–1, already eased) of the way from resolved pose `a` to `b`; supports are those both share. */
export function blend(a, b, k) {
  if (k <= 0) return a;
  if (k >= 1) return b;
  const limbs = (side) => Object.fromEntries(LIMB_JOINTS.map((j) => [j, {
    flex: lerp(a[side][j].flex, b[side][j].flex, k),
    abd: lerp(a[side][j].abd, b[side][j].abd, k),
    rot: lerp(a[side][j].rot, b[side][j].rot, k),
  }]));
  const three = (key) => a[key].map((v, i) => lerp(v, b[key][i], k));
  return {
    pitch: lerp(a.pitch, b.pitch, k),
    roll: lerp(a.roll, b.roll, k),
    yaw: lerp(a.yaw, b.yaw, k),
    spine: three('spine'),
    spine_side: three('spine_side'),
    spine_twist: three('spine_twist'),
    neck: lerp(a.neck, b.neck, k),
    head: lerp(a.head, b.head, k),
    left: limbs('left'),
    right: limbs('right'),
    rests: b.rests.filter((s) => a.rests.some((t) => t.part === s.part)),
  };
}

// ---------------------------------------------------------------------------------------
// Forward kinematics

/**
 * The figure's joints in body coordinates (the pelvis's centre at the origin): a map from
 * part name to {at: [x, y, z], frame} for every joint and segment end, and `bones`: the
 * segments to draw, [{name, from, to, radius, side}].
 */
export function skeleton(pose) {
  const L = LENGTH;
  let body = WORLD;
  // Pitch tips the front down: the up axis turns towards the front.
  body = turnWorld(body, 'z', -pose.pitch);
  body = turnWorld(body, 'x', pose.roll);
  body = turnWorld(body, 'y', pose.yaw);
  const points = {};
  const bones = [];
  const origin = [0, 0, 0];
  points.pelvis = { at: origin, frame: body };

  // The spine: pelvis, then three segments, each flexing, bending and turning on the last.
  let frame = body;
  let at = along(origin, frame[UP], L.pelvis);
  points.sacrum = { at, frame };
  bones.push({ name: 'pelvis', from: 'pelvis', to: 'sacrum', radius: RADIUS.pelvis });
  const spineNames = ['waist', 'ribs', 'chest'];
  for (let i = 0; i < 3; i += 1) {
    frame = turn(frame, UP, FRONT, pose.spine[i]);
    frame = turn(frame, UP, LEFT, pose.spine_side[i]);
    frame = turn(frame, FRONT, LEFT, pose.spine_twist[i]);
    const next = along(at, frame[UP], L.spine[i]);
    points[spineNames[i]] = { at: next, frame };
    bones.push({ name: spineNames[i], from: i === 0 ? 'sacrum' : spineNames[i - 1], to: spineNames[i], radius: RADIUS.trunk });
    at = next;
  }
  const chest = frame;
  let neck = turn(chest, UP, FRONT, pose.neck);
  points.neck = { at: along(at, neck[UP], L.neck), frame: neck };
  bones.push({ name: 'neck', from: 'chest', to: 'neck', radius: RADIUS.neck });
  neck = turn(neck, UP, FRONT, pose.head);
  points.head = { at: along(points.neck.at, neck[UP], L.headRadius), frame: neck };
  points.face = { at: along(points.head.at, neck[FRONT], L.headRadius), frame: neck };

  for (const side of SIDES) {
    const s = side === 'left' ? 1 : -1;
    const limb = pose[side];
    // Shoulder: the arm hangs down; flexion swings it forward, abduction out to the side.
    const shoulderAt = along(along(points.chest.at, chest[LEFT], s * L.shoulderSpan), chest[UP], -L.shoulderDrop);
    points[`shoulder.${side}`] = { at: shoulderAt, frame: chest };
    let arm = turn(chest, UP, FRONT, -limb.shoulder.flex);
    arm = turn(arm, UP, LEFT, -s * limb.shoulder.abd);
    arm = turn(arm, FRONT, LEFT, s * limb.shoulder.rot);
    const elbow = along(shoulderAt, arm[UP], -L.upperArm);
    points[`elbow.${side}`] = { at: elbow, frame: arm };
    const forearm = turn(arm, UP, FRONT, -limb.elbow.flex);
    const wrist = along(elbow, forearm[UP], -L.forearm);
    points[`wrist.${side}`] = { at: wrist, frame: forearm };
    // The wrist turns the hand forward, the way the elbow bends: a palm flat on the floor.
    const hand = turn(forearm, UP, FRONT, -limb.wrist.flex);
    points[`hand.${side}`] = { at: along(wrist, hand[UP], -L.hand), frame: hand };
    bones.push(
      { name: `upperArm.${side}`, from: `shoulder.${side}`, to: `elbow.${side}`, radius: RADIUS.upperArm, side },
      { name: `forearm.${side}`, from: `elbow.${side}`, to: `wrist.${side}`, radius: RADIUS.forearm, side },
      { name: `hand.${side}`, from: `wrist.${side}`, to: `hand.${side}`, radius: RADIUS.hand, side },
    );

    // Hip: the thigh hangs down; flexion swings it forward, abduction out, rotation outwards.
    const hipAt = along(origin, body[LEFT], s * L.hipSpan);
    points[`hip.${side}`] = { at: hipAt, frame: body };
    let thigh = turn(body, UP, FRONT, -limb.hip.flex);
    thigh = turn(thigh, UP, LEFT, -s * limb.hip.abd);
    thigh = turn(thigh, FRONT, LEFT, s * limb.hip.rot);
    const knee = along(hipAt, thigh[UP], -L.thigh);
    points[`knee.${side}`] = { at: knee, frame: thigh };
    const shank = turn(thigh, UP, FRONT, limb.knee.flex);
    const ankle = along(knee, shank[UP], -L.shank);
    points[`ankle.${side}`] = { at: ankle, frame: shank };
    const foot = turn(shank, FRONT, UP, limb.ankle.flex);
    const sole = along(ankle, foot[UP], -(L.ankle - RADIUS.foot));
    points[`heel.${side}`] = { at: along(sole, foot[FRONT], -L.heel), frame: foot };
    points[`toes.${side}`] = { at: along(sole, foot[FRONT], L.toe), frame: foot };
    bones.push(
      { name: `thigh.${side}`, from: `hip.${side}`, to: `knee.${side}`, radius: RADIUS.thigh, side },
      { name: `shank.${side}`, from: `knee.${side}`, to: `ankle.${side}`, radius: RADIUS.shank, side },
      { name: `foot.${side}`, from: `heel.${side}`, to: `toes.${side}`, radius: RADIUS.foot, side },
    );
  }
  return { points, bones };
}

/**
 * Where each support touches: the lowest point of the part it names, as {x, y} with y already
 * the bottom of the part (its line's height less its radius).
 */
function contact(points, part) {
  const [name, side] = part.split('.');
  const lowest = (...ends) => {
    let best = null;
    for (const [point, radius] of ends) {
      const at = points[point].at;
      const bottom = at[1] - radius;
      if (!best || bottom < best.y) best = { x: at[0], y: bottom, z: at[2] };
    }
    return best;
  };
  switch (name) {
    case 'head': return lowest(['head', RADIUS.head]);
    case 'chest': return lowest(['ribs', RADIUS.trunk], ['chest', RADIUS.trunk]);
    case 'back': return lowest(['waist', RADIUS.trunk], ['ribs', RADIUS.trunk]);
    case 'pelvis': return lowest(['pelvis', RADIUS.pelvis], ['sacrum', RADIUS.pelvis]);
    case 'belly': return lowest(['sacrum', RADIUS.trunk], ['waist', RADIUS.trunk]);
    case 'heel': return lowest([`heel.${side}`, RADIUS.foot]);
    case 'toes': return lowest([`toes.${side}`, RADIUS.foot]);
    case 'knee': return lowest([`knee.${side}`, RADIUS.shank]);
    case 'shin': return lowest([`ankle.${side}`, RADIUS.shank]);
    case 'thigh': return lowest([`knee.${side}`, RADIUS.thigh], [`hip.${side}`, RADIUS.thigh]);
    case 'hand': return lowest([`hand.${side}`, RADIUS.hand], [`wrist.${side}`, RADIUS.hand]);
    case 'elbow': return lowest([`elbow.${side}`, RADIUS.forearm]);
    case 'forearm': return lowest([`wrist.${side}`, RADIUS.forearm]);
    case 'hip': return lowest([`hip.${side}`, RADIUS.pelvis]);
    case 'shoulder': return lowest([`shoulder.${side}`, RADIUS.trunk]);
    default: throw new Error(`no support named ${part}`);
  }
}

/**
 * Lift a skeleton so its supports rest on their surfaces (the one that needs it most touches
 * exactly; the others are as far off as the pose makes them) and slide it so the anchor (the
 * first support) is at `anchorX`. Returns the placed points and each support's gap (units
 * above its surface; 0 touching).
 */
export function place(skeletonOf, supports, anchorX = 0) {
  const { points, bones } = skeletonOf;
  if (supports.length === 0) throw new Error('a pose needs at least one support (rests)');
  const touches = supports.map((s) => ({ ...s, at: contact(points, s.part) }));
  const dy = Math.max(...touches.map((t) => SURFACES[t.surface] - t.at.y));
  const dx = anchorX - touches[0].at.x;
  const placed = {};
  for (const [name, { at, frame }] of Object.entries(points)) {
    placed[name] = { at: [at[0] + dx, at[1] + dy, at[2]], frame };
  }
  const gaps = touches.map((t) => ({
    part: t.part, surface: t.surface, x: t.at.x + dx, z: t.at.z, gap: t.at.y + dy - SURFACES[t.surface],
  }));
  return { points: placed, bones, gaps };
}

/** A resolved pose placed in the world, anchored where its first support touches x = anchorX. */
export function posed(pose, anchorX = 0) {
  return place(skeleton(pose), pose.rests, anchorX);
}

// A resolved pose placed once (the figure asks for the same poses every frame); not to be changed.
const placedMemo = new WeakMap();
export function posedOnce(pose) {
  if (!placedMemo.has(pose)) placedMemo.set(pose, posed(pose));
  return placedMemo.get(pose);
}
const gapsOf = (pose) => posedOnce(pose).gaps;

/**
 * The figure `k` (0–1, not yet eased) of the way from resolved pose `a` to `b`, placed: angles
 * blend, the supports the two share carry it, and the first shared one slides from where it
 * stood in `a` to where it stands in `b` (so a planted foot stays planted).
 */
export function between(a, b, k) {
  const e = ease(k);
  const pose = blend(a, b, e);
  if (pose.rests.length === 0) throw new Error('two poses in a row share no support');
  const anchor = pose.rests[0].part;
  const xa = gapsOf(a).find((g) => g.part === anchor)?.x ?? 0;
  const xb = gapsOf(b).find((g) => g.part === anchor)?.x ?? 0;
  return place(skeleton(pose), pose.rests, lerp(xa, xb, e));
}

// ---------------------------------------------------------------------------------------
// Views and mirroring

/** World point → screen point [x, y (up), depth (towards the viewer)] for `view`. */
export function project([x, y, z], view) {
  if (view === 'front') return [z, y, x];
  if (view === 'above') return [x, -z, y];
  return [x, y, z];
}

/** The other side's figure: the drawing flipped left to right about x = 0. */
export const mirror = ([x, y, depth]) => [-x, y, depth];

// ---------------------------------------------------------------------------------------
// An exercise's figure over its timeline

/**
 * An exercise's figure made ready to draw: every pose resolved once. `figure` is the
 * catalogue's {view, accent, start, poses}; `phases` the exercise's phases, each naming the
 * pose it ends in (`pose`) and, for walking or pedalling, the poses it cycles through
 * (`cycle: {poses, seconds}`).
 */
export function prepare(figure, phases) {
  const named = figure.poses;
  const cache = new Map();
  const get = (name) => {
    if (!cache.has(name)) {
      if (!named[name]) throw new Error(`no pose named ${name}`);
      cache.set(name, resolve(named[name], named));
    }
    return cache.get(name);
  };
  const start = get(figure.start);
  const ends = phases.map((phase) => get(phase.pose));
  const cycles = phases.map((phase) => (phase.cycle ? {
    poses: phase.cycle.poses.map(get), seconds: phase.cycle.seconds,
  } : null));
  return { view: figure.view ?? 'side', accent: figure.accent ?? [], start, ends, cycles, get };
}

/** The pose a phase starts from: the end of the phase before, or the start pose. */
const before = (prepared, phaseIndex) => (phaseIndex > 0 ? prepared.ends[phaseIndex - 1] : prepared.start);

/**
 * The two poses and the eased-in fraction between them for a pacer state: `type` (a timeline
 * segment's), `phaseIndex`, `progress` 0–1 and, for a cycling phase, `seconds` (its length).
 * Outside a phase (lead-in, rest, getting into position, switching sides) the figure waits in
 * its start pose.
 */
export function span(prepared, { type, phaseIndex, progress, seconds }) {
  if (type !== 'phase' || phaseIndex === null || phaseIndex === undefined) {
    return { from: prepared.start, to: prepared.start, k: 1 };
  }
  const from = before(prepared, phaseIndex);
  const to = prepared.ends[phaseIndex];
  const cycle = prepared.cycles[phaseIndex];
  if (!cycle || !(seconds > 0)) return { from, to, k: progress };
  // Whole rounds of the cycle, so the phase ends on its own pose (the cycle's first).
  const n = cycle.poses.length;
  const rounds = Math.max(1, Math.round(seconds / (cycle.seconds * n)));
  const steps = rounds * n;
  const at = Math.min(progress, 1) * steps;
  const j = Math.min(Math.floor(at), steps - 1);
  return {
    from: j === 0 ? from : cycle.poses[j % n],
    to: cycle.poses[(j + 1) % n],
    k: at - j,
  };
}

/** The placed figure for a pacer state (see `span`). */
export function frameAt(prepared, state) {
  const { from, to, k } = span(prepared, state);
  return between(from, to, k);
}

// ---------------------------------------------------------------------------------------
// What to draw

/**
 * A placed figure as flat shapes in screen units (y up), farthest first: `bones`
 * [{name, side, from: [x, y], to: [x, y], radius, depth}] and the head {at, radius, face}
 * (`face`: the point the face looks towards). `mirrored` draws the other side's figure.
 */
export function drawing(placed, view, mirrored = false) {
  const screen = (name) => {
    const p = project(placed.points[name].at, view);
    return mirrored ? mirror(p) : p;
  };
  const bones = placed.bones.map((bone) => {
    const from = screen(bone.from);
    const to = screen(bone.to);
    return {
      name: bone.name, side: bone.side ?? null, radius: bone.radius,
      from: [from[0], from[1]], to: [to[0], to[1]], depth: (from[2] + to[2]) / 2,
    };
  });
  bones.sort((a, b) => a.depth - b.depth);
  const head = screen('head');
  const face = screen('face');
  return { bones, head: { at: [head[0], head[1]], radius: RADIUS.head, face: [face[0], face[1]], depth: head[2] } };
}

/**
 * The box [minX, minY, maxX, maxY] (screen units, y up) that holds every pose of a prepared
 * figure, both sides (mirrored about x = 0), or with `bothSides` false only as posed.
 */
export function extent(prepared, bothSides = true) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const poses = [prepared.start, ...prepared.ends, ...prepared.cycles.flatMap((c) => (c ? c.poses : []))];
  for (const pose of poses) {
    const { bones, head } = drawing(posed(pose), prepared.view);
    const shapes = [...bones.flatMap((b) => [[b.from, b.radius], [b.to, b.radius]]), [head.at, head.radius]];
    for (const [[x, y], r] of shapes) {
      box[0] = Math.min(box[0], x - r, bothSides ? -x - r : Infinity);
      box[2] = Math.max(box[2], x + r, bothSides ? -x + r : -Infinity);
      box[1] = Math.min(box[1], y - r);
      box[3] = Math.max(box[3], y + r);
    }
  }
  box[1] = Math.min(box[1], 0);
  return box;
}

// ---------------------------------------------------------------------------------------
// Breathing, equipment and the still

const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];
const unit2 = ([x, y]) => {
  const n = Math.hypot(x, y);
  return n > 1e-9 ? [x / n, y / n] : [0, 0];
};
const flat = (point, view) => {
  const [x, y] = project(point, view);
  return [x, y];
};

/**
 * The ribs and belly (screen units, y up): an ellipse over the lower spine whose thickness
 * follows the lungs, `level` 0 (empty) to 1 (full), swelling towards the front, so a hold is
 * still apart from breathing. `{center, along, across}`: the centre and the two half-axes as
 * vectors (`across` points to the front).
 */
export function torso(placed, view, level) {
  const low = placed.points.sacrum.at;
  const high = placed.points.ribs.at;
  const waist = placed.points.waist;
  const span = sub(flat(high, view), flat(low, view));
  // Seen end on (the spine pointing at the viewer) the ribs are round: any axis will do.
  const axis = Math.hypot(span[0], span[1]) > 1e-6 ? unit2(span) : [0, 1];
  let front = flat(waist.frame[FRONT], view);
  // Across the spine, on its front side (straight across when the front faces the viewer).
  let across = [-axis[1], axis[0]];
  if (across[0] * front[0] + across[1] * front[1] < 0) across = [-across[0], -across[1]];
  front = Math.hypot(front[0], front[1]); // how much of the front the view shows
  const l = Math.min(Math.max(level, 0), 1);
  // The back stays where it is; the front rises by up to a third of the trunk's thickness.
  const half = RADIUS.trunk * (0.98 + 0.3 * l);
  const shift = (half - RADIUS.trunk * 0.98) * front;
  const mid = flat(waist.at, view);
  // As long as the lower spine looks, at most 11 units either way, and never thinner than thick.
  const length = Math.min(Math.max(Math.hypot(span[0], span[1]) * 0.55, half), 11);
  return {
    center: [mid[0] + across[0] * shift, mid[1] + across[1] * shift],
    along: [axis[0] * length, axis[1] * length],
    across: [across[0] * half, across[1] * half],
  };
}

/** The phase whose end pose stands for the exercise in a still: the effort, else the hold, else the first. */
export function keyPhase(phases) {
  const effort = phases.findIndex((p) => p.effort);
  if (effort >= 0) return effort;
  const hold = phases.findIndex((p) => p.breath === 'breathe' || p.breath === 'pause');
  return Math.max(hold, 0);
}

/** Every pose an exercise's figure takes, placed (start first). */
function allPlaced(prepared) {
  return [prepared.start, ...prepared.ends, ...prepared.cycles.flatMap((c) => (c ? c.poses : []))].map((p) => posed(p));
}

/** The x-range [min, max] (screen units, as posed, not mirrored) of a placed figure. */
function xRange(placed, view) {
  const { bones, head } = drawing(placed, view);
  let lo = head.at[0] - head.radius;
  let hi = head.at[0] + head.radius;
  for (const b of bones) {
    lo = Math.min(lo, b.from[0] - b.radius, b.to[0] - b.radius);
    hi = Math.max(hi, b.from[0] + b.radius, b.to[0] + b.radius);
  }
  return [lo, hi];
}

/**
 * Where the equipment an exercise lists stands, as shapes in screen units (y up, as posed:
 * mirroring flips them with the figure): the mat under the body, the wall behind a standing
 * back or at the soles of a lying body, the chair under the pose that rests `@chair`, the step
 * under what rests `@step`, the bike's saddle under what rests `@bike` and its cranks between
 * the feet, the bed under what lies `@bed` (never listed: every home has one),
 * a band's anchor level with the hands. The held things (dowel, band, weight) follow the
 * figure every frame: see `held`. Pieces no pose uses (a chair only to rest by) are not drawn.
 */
export function scenery(prepared, equipment = []) {
  const has = new Set(equipment);
  const { view } = prepared;
  const placed = allPlaced(prepared);
  const start = placed[0];
  const out = [];
  const ranges = placed.map((p) => xRange(p, view));
  const lo = Math.min(...ranges.map((r) => r[0]));
  const hi = Math.max(...ranges.map((r) => r[1]));
  const resting = (surface) => placed.flatMap((p) => p.gaps.filter((g) => g.surface === surface && g.gap < 3));
  if (has.has('mat') && view !== 'above') out.push({ kind: 'mat', x: [lo - 4, hi + 4] });
  if (has.has('wall') && view === 'side') {
    const upright = start.points.chest.at[1] - start.points.pelvis.at[1] > 15;
    if (upright) {
      // behind the back: the rearmost point of the trunk and head
      const back = Math.min(...['pelvis', 'sacrum', 'waist', 'ribs', 'chest'].map((n) => flat(start.points[n].at, view)[0] - RADIUS.pelvis),
        flat(start.points.head.at, view)[0] - RADIUS.head);
      out.push({ kind: 'wall', x: back, facing: 1 });
    } else {
      const soles = ['toes.left', 'toes.right', 'heel.left', 'heel.right'].map((n) => flat(start.points[n].at, view)[0]);
      const head = flat(start.points.head.at, view)[0];
      const feetRight = Math.max(...soles) > head;
      out.push(feetRight
        ? { kind: 'wall', x: Math.max(...soles) + RADIUS.foot, facing: -1 }
        : { kind: 'wall', x: Math.min(...soles) - RADIUS.foot, facing: 1 });
    }
  }
  const facing = flat(start.points['knee.left'].at, view)[0] >= flat(start.points.pelvis.at, view)[0] ? 1 : -1;
  const seat = resting('chair')[0];
  if (seat && has.has('chair')) out.push({ kind: 'chair', x: seat.x, top: SURFACES.chair, facing });
  const saddle = resting('bike')[0];
  if (saddle && has.has('bike')) out.push(bike(saddle, placed, view, facing));
  const bed = resting('bed');
  if (bed.length) {
    const xs = bed.map((g) => g.x);
    // the bed runs under all that lies on it, its edge a little past the knees
    const edge = Math.max(...xs, flat(start.points['knee.left'].at, view)[0]) + 4;
    out.push({ kind: 'bed', x: [Math.min(...xs, lo) - 4, edge], top: SURFACES.bed });
  }
  const steps = resting('step');
  if (steps.length && has.has('step')) {
    const xs = steps.map((g) => flat([g.x, 0, g.z], view)[0]);
    out.push({ kind: 'step', x: [Math.min(...xs) - 8, Math.max(...xs) + 8], top: SURFACES.step });
  }
  if (has.has('band')) {
    const hands = midHands(start, view);
    const body = flat(start.points.chest.at, view);
    const dir = hands[0] >= body[0] ? 1 : -1;
    const edge = dir > 0 ? Math.max(hands[0], body[0]) : Math.min(hands[0], body[0]);
    out.push({ kind: 'anchor', at: [edge + dir * 26, hands[1]] });
  }
  return out;
}

function bike(seat, placed, view, facing) {
  // The cranks turn about the middle of where the feet go.
  const feet = placed.flatMap((p) => ['ankle.left', 'ankle.right'].map((n) => flat(p.points[n].at, view)));
  const xs = feet.map((f) => f[0]);
  const ys = feet.map((f) => f[1]);
  const crank = [(Math.min(...xs) + Math.max(...xs)) / 2, Math.max((Math.min(...ys) + Math.max(...ys)) / 2, 12)];
  return { kind: 'bike', saddle: [seat.x, SURFACES.bike], crank, facing };
}

const midHands = (placed, view) => {
  const a = flat(placed.points['hand.left'].at, view);
  const b = flat(placed.points['hand.right'].at, view);
  return [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
};

export const BELL_RADIUS = 4.5;

/**
 * The held equipment for a placed figure (screen units, y up, as posed): the dowel along the
 * back from the sacrum past the head, the band from its anchor (`scenery`) to the hands, the
 * kettlebell(s) hanging from the hands: one between them when they are together, else one in
 * the working hand (`accent` names an arm), else one in each. `{dowel, band, bells}`.
 */
export function held(placed, view, equipment = [], { accent = [], anchor = null } = {}) {
  const has = new Set(equipment);
  const out = { dowel: null, band: null, bells: [] };
  const p = placed.points;
  if (has.has('dowel')) {
    const back = (name, r) => {
      const f = p[name].frame[FRONT];
      return flat([p[name].at[0] - f[0] * r, p[name].at[1] - f[1] * r, p[name].at[2] - f[2] * r], view);
    };
    const low = back('sacrum', RADIUS.pelvis);
    const top = back('head', RADIUS.head);
    const dir = unit2(sub(top, low));
    out.dowel = { from: [low[0] - dir[0] * 6, low[1] - dir[1] * 6], to: [top[0] + dir[0] * 5, top[1] + dir[1] * 5] };
  }
  if (has.has('band') && anchor) out.band = { from: anchor, to: midHands(placed, view) };
  if (has.has('weight')) {
    const a = flat(p['hand.left'].at, view);
    const b = flat(p['hand.right'].at, view);
    const hang = ([x, y]) => [x, Math.max(y - BELL_RADIUS - 1, BELL_RADIUS)];
    const arms = accent.filter((a) => a.startsWith('arm.')).map((a) => a.slice(4));
    if (Math.hypot(a[0] - b[0], a[1] - b[1]) < 10) out.bells.push(hang([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2]));
    else if (arms.length === 1) out.bells.push(hang(arms[0] === 'left' ? a : b));
    else out.bells.push(hang(a), hang(b));
  }
  return out;
}
