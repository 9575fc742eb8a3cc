/**
 * Help for whoever writes poses: nudge the named angles of one pose until everything listed in
 * its `rests` touches its surface, keeping every joint in range (a small coordinate search).
 *
 *   node scripts/pose-fit.mjs '<poses as JSON>' POSE key[,key...]
 *
 * Keys are a pose's numbers: `knees`, `pitch`, `spine`, or one side's, `left.hip.flex`,
 * `right.knee`. Prints the fitted pose as JSON and what still does not touch.
 */

import { posed, resolve } from '../web/static/js/body.js';
import { groundFaults, rangeFaults } from './figure-check.mjs';

const [json, name, keyList] = process.argv.slice(2);
const poses = JSON.parse(json);
const keys = keyList.split(',');

// A pose's own number for `key`, else the one it inherits through `like` (else 0).
const get = (pose, key) => {
  const path = key.split('.');
  let value = pose;
  for (const step of path) value = value?.[step];
  if (value && typeof value === 'object' && 'flex' in value) return value.flex;
  if (typeof value === 'number') return value;
  return pose.like && poses[pose.like] ? get(poses[pose.like], key) : 0;
};
const set = (pose, key, v) => {
  const path = key.split('.');
  const out = structuredClone(pose);
  let at = out;
  for (const step of path.slice(0, -1)) at = at[step] ??= {};
  at[path.at(-1)] = Math.round(v * 2) / 2;
  return out;
};

function cost(pose) {
  const all = { ...poses, [name]: pose };
  let r;
  try {
    r = resolve(pose, all);
  } catch {
    return Infinity;
  }
  const placed = posed(r);
  let c = placed.gaps.reduce((sum, g) => sum + g.gap ** 2, 0);
  c += rangeFaults(name, r).length * 1e4;
  for (const bone of placed.bones) {
    const low = Math.min(placed.points[bone.from].at[1], placed.points[bone.to].at[1]) - bone.radius;
    if (low < 0) c += 100 * low ** 2;
  }
  return c;
}

let pose = poses[name];
let best = cost(pose);
for (let step = 16; step >= 0.5; step /= 2) {
  for (let improved = true; improved;) {
    improved = false;
    for (const key of keys) {
      for (const dir of [1, -1]) {
        const trial = set(pose, key, get(pose, key) + dir * step);
        const c = cost(trial);
        if (c < best - 1e-9) {
          pose = trial;
          best = c;
          improved = true;
        }
      }
    }
  }
}
const all = { ...poses, [name]: pose };
console.log(JSON.stringify(pose));
console.log(groundFaults(name, posed(resolve(pose, all))).join('\n') || 'all supports touch');
