/**
 * The figure's rules for the catalogue, checked with the body model the app draws with
 * (web/static/js/body.js), so what passes here is what a person sees. Run over the whole
 * catalogue by tests/test_figures.py; docs/figure.md explains each rule.
 *
 *   node scripts/figure-check.mjs < catalogue.json     one line per fault; exit 1 if any
 *
 * `check(exercise)` returns the faults of one exercise (the catalogue's JSON form: slug, kind,
 * position, equipment, phases with `pose`, and `figure`), [] when it passes.
 */

import {
  POSE_KEYS, RADIUS, RANGES, SUPPORT_NAMES, SURFACES, UNLISTED_SURFACES, between, posed, resolve,
} from '../web/static/js/body.js';

export const TOUCH = 2.5; // a support this close to its surface touches it (units of a 100-tall body)
export const SINK = 1; // nothing goes further than this below the floor
export const LIFTED = 3; // a foot this far off the floor is lifted
const MOVES = 10; // an effort phase turns some joint at least this many degrees
const STILL = 0.5; // a hold's breathing phase turns no joint more than this
const SAMPLES = [0.25, 0.5, 0.75]; // points checked inside each movement
const FLOOR_POSITIONS = new Set(['supine', 'prone', 'side-lying', 'quadruped', 'kneeling']);
const FEET = { left: ['heel.left', 'toes.left'], right: ['heel.right', 'toes.right'] };
const LIMB_KEYS = new Set(['hip', 'knee', 'ankle', 'shoulder', 'elbow', 'wrist']);
const JOINT_KEYS = new Set(['flex', 'abd', 'rot']);
const ACCENTS = new Set(['arm.left', 'arm.right', 'leg.left', 'leg.right']);

/** Keys and names a pose may use, before any geometry. */
function shapeFaults(name, pose) {
  const faults = [];
  for (const [key, value] of Object.entries(pose)) {
    if (!POSE_KEYS.includes(key)) faults.push(`pose ${name}: unknown key ${key}`);
    if (key === 'left' || key === 'right') {
      for (const [limb, angle] of Object.entries(value ?? {})) {
        if (!LIMB_KEYS.has(limb)) faults.push(`pose ${name}: unknown joint ${key}.${limb}`);
        if (angle && typeof angle === 'object') {
          for (const k of Object.keys(angle)) if (!JOINT_KEYS.has(k)) faults.push(`pose ${name}: unknown angle ${key}.${limb}.${k}`);
        }
      }
    }
  }
  for (const support of pose.rests ?? []) {
    const [part, surface = 'floor'] = String(support).split('@');
    if (!SUPPORT_NAMES.includes(part)) faults.push(`pose ${name}: no support named ${part}`);
    if (!(surface in SURFACES)) faults.push(`pose ${name}: no surface named ${surface}`);
  }
  return faults;
}

/** Each joint of a resolved pose inside RANGES. */
export function rangeFaults(name, pose) {
  const faults = [];
  const inside = (what, value) => {
    const [lo, hi] = RANGES[what];
    if (value < lo - 1e-9 || value > hi + 1e-9) faults.push(`pose ${name}: ${what} ${round(value)}° is outside ${lo}° to ${hi}°`);
  };
  const sum = (values) => values.reduce((a, b) => a + b, 0);
  inside('spine.flex', sum(pose.spine));
  inside('spine.side', sum(pose.spine_side));
  inside('spine.twist', sum(pose.spine_twist));
  inside('neck', pose.neck);
  inside('head', pose.head);
  for (const side of ['left', 'right']) {
    const limb = pose[side];
    for (const ball of ['hip', 'shoulder']) {
      for (const axis of ['flex', 'abd', 'rot']) inside(`${ball}.${axis}`, limb[ball][axis]);
    }
    for (const hinge of ['knee', 'ankle', 'elbow', 'wrist']) inside(hinge, limb[hinge].flex);
  }
  return faults;
}

const round = (v) => Math.round(v * 10) / 10;

/** What touches and what sinks, for a placed figure. */
export function groundFaults(label, placed) {
  const faults = [];
  for (const g of placed.gaps) {
    if (g.gap > TOUCH) faults.push(`${label}: ${g.part} is ${round(g.gap)} above the ${g.surface}, not resting on it`);
  }
  for (const bone of placed.bones) {
    const low = Math.min(placed.points[bone.from].at[1], placed.points[bone.to].at[1]) - bone.radius;
    if (low < -SINK) faults.push(`${label}: ${bone.name} goes ${round(-low)} below the floor`);
  }
  const head = placed.points.head.at[1] - RADIUS.head;
  if (head < -SINK) faults.push(`${label}: the head goes ${round(-head)} below the floor`);
  return faults;
}

/** Largest change of any angle between two resolved poses (degrees). */
export function largestTurn(a, b) {
  let most = Math.max(Math.abs(a.pitch - b.pitch), Math.abs(a.roll - b.roll), Math.abs(a.yaw - b.yaw),
    Math.abs(a.neck - b.neck), Math.abs(a.head - b.head));
  for (const key of ['spine', 'spine_side', 'spine_twist']) {
    a[key].forEach((v, i) => { most = Math.max(most, Math.abs(v - b[key][i])); });
  }
  for (const side of ['left', 'right']) {
    for (const [joint, angles] of Object.entries(a[side])) {
      for (const axis of ['flex', 'abd', 'rot']) most = Math.max(most, Math.abs(angles[axis] - b[side][joint][axis]));
    }
  }
  return most;
}

const footLifted = (placed, side) => FEET[side].every((part) => {
  const point = placed.points[part].at;
  return point[1] - RADIUS.foot > LIFTED;
});

/** The faults of one exercise's figure; [] when it passes every rule. */
export function check(exercise) {
  const where = exercise.slug;
  const figure = exercise.figure;
  if (!figure || !figure.poses) return [`${where}: no figure`];
  const faults = [];
  const add = (list) => faults.push(...list.map((f) => `${where}: ${f}`));
  const resolved = {};
  for (const [name, pose] of Object.entries(figure.poses)) {
    add(shapeFaults(name, pose));
    try {
      resolved[name] = resolve(pose, figure.poses);
    } catch (error) {
      add([`pose ${name}: ${error.message}`]);
      continue;
    }
    if (resolved[name].rests.length === 0) add([`pose ${name}: nothing carries it (rests)`]);
  }
  if (faults.length) return faults;
  for (const [name, pose] of Object.entries(resolved)) {
    add(rangeFaults(name, pose));
    add(groundFaults(`pose ${name}`, posed(pose)));
    for (const { surface } of pose.rests) {
      if (!UNLISTED_SURFACES.includes(surface) && !(exercise.equipment ?? []).includes(surface)) {
        add([`pose ${name}: rests on a ${surface} the exercise does not list`]);
      }
    }
  }
  for (const accent of figure.accent ?? []) if (!ACCENTS.has(accent)) add([`accent ${accent} is not an arm or a leg`]);
  if (exercise.per_side && !(figure.accent ?? []).length) add(['a one-side exercise shows its working limb (accent)']);
  if (!resolved[figure.start]) return [...faults, `${where}: no start pose ${figure.start}`];

  // The poses in the order the figure moves through them: start, each phase's end, and for
  // repeated movements back to the start.
  const chain = [[figure.start, resolved[figure.start]]];
  for (const phase of exercise.phases) {
    if (!resolved[phase.pose]) {
      add([`phase ${phase.name}: no pose ${phase.pose}`]);
      continue;
    }
    const steps = phase.cycle ? [...phase.cycle.poses.slice(1), phase.cycle.poses[0]] : [phase.pose];
    if (phase.cycle && phase.cycle.poses[0] !== phase.pose) add([`phase ${phase.name}: a cycle starts and ends on the phase's pose`]);
    if (phase.cycle && phase.breath !== 'free') add([`phase ${phase.name}: only free-breathing phases (walking, pedalling) cycle`]);
    for (const step of steps) {
      if (!resolved[step]) add([`phase ${phase.name}: no pose ${step}`]);
      else chain.push([step, resolved[step]]);
    }
  }
  if (faults.length) return faults;
  const ends = chain.at(-1);
  if (exercise.kind === 'reps' || exercise.kind === 'breath') {
    if (largestTurn(ends[1], chain[0][1]) > STILL) add([`the last phase ends in ${ends[0]}, not where a repetition starts (${figure.start})`]);
  }
  for (let i = 1; i < chain.length; i += 1) {
    const [nameA, a] = chain[i - 1];
    const [nameB, b] = chain[i];
    const shared = b.rests.filter((s) => a.rests.some((t) => t.part === s.part));
    if (shared.length === 0) {
      add([`from ${nameA} to ${nameB}: no support stays down through the movement`]);
      continue;
    }
    for (const k of SAMPLES) add(groundFaults(`from ${nameA} to ${nameB} at ${k * 100}%`, between(a, b, k)));
  }

  // What each phase does: an effort moves, a held breath holds still.
  exercise.phases.forEach((phase, i) => {
    const from = i === 0 ? resolved[figure.start] : resolved[exercise.phases[i - 1].pose];
    const to = resolved[phase.pose];
    if (exercise.kind === 'reps' && phase.effort && largestTurn(from, to) < MOVES) {
      add([`effort phase ${phase.name} moves no joint ${MOVES}° or more`]);
    }
    if (phase.breath === 'breathe' && largestTurn(from, to) > STILL) {
      add([`hold phase ${phase.name} moves: a hold is still apart from the breath`]);
    }
  });

  // Where the body is: on the floor, standing on its feet, or sitting.
  const start = resolved[figure.start];
  const startParts = start.rests.map((s) => s.part);
  if (FLOOR_POSITIONS.has(exercise.position) && startParts.every((p) => /^(heel|toes)\./.test(p))) {
    add([`a ${exercise.position} exercise starts resting on the floor, not on its feet alone`]);
  }
  if (exercise.position === 'seated' && !startParts.includes('pelvis')) {
    add(['a seated exercise starts sitting (pelvis on a chair or the floor)']);
  }
  if (exercise.position === 'standing') {
    for (const [name, pose] of chain) {
      const placed = posed(pose);
      for (const side of ['left', 'right']) {
        const carried = pose.rests.some((s) => FEET[side].includes(s.part));
        if (!carried && !footLifted(placed, side)) {
          add([`pose ${name}: the ${side} foot neither stands on the ground nor is lifted clear of it`]);
        }
      }
    }
  }
  return [...new Set(faults)];
}

// Run as a script: the catalogue's JSON (a list of exercises) on stdin.
if (import.meta.url === `file://${process.argv[1]}`) {
  let input = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) input += chunk;
  const exercises = JSON.parse(input);
  const faults = exercises.flatMap(check);
  for (const fault of faults) console.log(fault);
  process.exitCode = faults.length ? 1 : 0;
}
