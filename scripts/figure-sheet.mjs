/**
 * A contact sheet of exercises' figures, for whoever writes poses: each exercise's start pose,
 * the middle and the end of every phase, the other side's mirror, and the faults
 * scripts/figure-check.mjs finds. Reads the catalogue's JSON on stdin, writes HTML.
 *
 *   scripts/figure-sheet glute-bridge bird-dog     (the wrapper renders it to a PNG)
 */

import { between, drawing, extent, posed, prepare } from '../web/static/js/body.js';
import { check } from './figure-check.mjs';

const W = 150;
const H = 110;

function svg(placed, view, label, mirrored = false, box = [-75, -20, 75, 110]) {
  const { bones, head } = drawing(placed, view, mirrored);
  const line = (b) => `<line x1="${b.from[0]}" y1="${-b.from[1]}" x2="${b.to[0]}" y2="${-b.to[1]}" `
    + `stroke-width="${b.radius * 2}" stroke="${b.side === 'right' ? '#9ab' : b.side === 'left' ? '#357' : '#246'}"/>`;
  const far = bones.filter((b) => b.depth <= head.depth);
  const near = bones.filter((b) => b.depth > head.depth);
  const [x0, y0, x1, y1] = box;
  return `<figure><svg viewBox="${x0} ${-y1} ${x1 - x0} ${y1 - y0}" width="${W * 1.6}" height="${H * 1.6}">`
    + `<line x1="${x0}" y1="0" x2="${x1}" y2="0" stroke="#c96" stroke-width="0.6"/>`
    + `<line x1="${x0}" y1="-26" x2="${x0 + 15}" y2="-26" stroke="#ccc" stroke-width="0.4"/>`
    + `<g stroke-linecap="round">${far.map(line).join('')}`
    + `<circle cx="${head.at[0]}" cy="${-head.at[1]}" r="${head.radius}" fill="#246"/>`
    + `<circle cx="${head.face[0]}" cy="${-head.face[1]}" r="1.4" fill="#e80"/>`
    + `${near.map(line).join('')}</g></svg><figcaption>${label}</figcaption></figure>`;
}

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
const exercises = JSON.parse(input);
const parts = ['<!doctype html><meta charset="utf-8"><style>body{font:12px sans-serif}figure{display:inline-block;margin:2px;border:1px solid #ddd}figcaption{text-align:center}.fault{color:#b00}</style>'];
for (const exercise of exercises) {
  parts.push(`<h2>${exercise.slug} (${exercise.position}, ${exercise.kind}${exercise.per_side ? ', one side at a time' : ''})</h2>`);
  if (!exercise.figure) {
    parts.push('<p class="fault">no figure</p>');
    continue;
  }
  const faults = check(exercise);
  parts.push(...faults.map((f) => `<p class="fault">${f}</p>`));
  let prepared;
  try {
    prepared = prepare(exercise.figure, exercise.phases);
  } catch (error) {
    parts.push(`<p class="fault">${error.message}</p>`);
    continue;
  }
  const view = prepared.view;
  const box = extent(prepared);
  const frame = (placed, label, mirrored = false) => svg(placed, view, label, mirrored, box);
  parts.push('<div>');
  parts.push(frame(posed(prepared.start), `start: ${exercise.figure.start}`));
  exercise.phases.forEach((phase, i) => {
    const from = i === 0 ? prepared.start : prepared.ends[i - 1];
    try {
      parts.push(frame(between(from, prepared.ends[i], 0.5), `${phase.name} half way`));
    } catch (error) {
      parts.push(`<p class="fault">${phase.name}: ${error.message}</p>`);
    }
    parts.push(frame(posed(prepared.ends[i]), `${phase.name} end: ${phase.pose}`));
  });
  if (exercise.per_side) parts.push(frame(posed(prepared.ends[0]), 'other side', true));
  parts.push('</div>');
}
process.stdout.write(parts.join('\n'));
