// Tests for web/static/js/body.js (the figure's body model) and scripts/figure-check.mjs (the
// catalogue's figure rules) — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  LENGTH, RADIUS, between, drawing, frameAt, mirror, posed, prepare, project, resolve, span,
} from '../../web/static/js/body.js';
import { TOUCH, check } from '../../scripts/figure-check.mjs';

const near = (actual, expected, what, tolerance = 1e-6) => {
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tolerance, `${what}: ${actual} is not ${expected}`));
};
const at = (placed, name) => placed.points[name].at;
const STANDING = resolve({ rests: ['feet'] });
const legLength = LENGTH.thigh + LENGTH.shank + LENGTH.ankle;

describe('forward kinematics', () => {
  test('standing tall: hips a leg above the floor, shoulders above the hips, head on top', () => {
    const placed = posed(STANDING);
    assert.equal(at(placed, 'hip.left')[1], legLength);
    assert.equal(at(placed, 'chest')[1], legLength + LENGTH.pelvis + LENGTH.spine.reduce((a, b) => a + b));
    assert.ok(Math.abs(at(placed, 'head')[1] + LENGTH.headRadius - 100) < 2, 'a body is about 100 tall');
    assert.ok(at(placed, 'toes.left')[0] > at(placed, 'heel.left')[0], 'the feet point the way the body faces');
    assert.equal(at(placed, 'hip.left')[2], LENGTH.hipSpan, 'the left hip is on the left (+z)');
  });

  test('hip flexion of 90 swings the thigh forward level with the hip', () => {
    const placed = posed(resolve({ left: { hip: 90 }, rests: ['foot.right'] }));
    const hip = at(placed, 'hip.left');
    near(at(placed, 'knee.left'), [hip[0] + LENGTH.thigh, hip[1], hip[2]], 'knee');
  });

  test('knee flexion of 90 hangs the shank straight down from a level thigh', () => {
    const placed = posed(resolve({ left: { hip: 90, knee: 90 }, rests: ['foot.right'] }));
    const knee = at(placed, 'knee.left');
    near(at(placed, 'ankle.left'), [knee[0], knee[1] - LENGTH.shank, knee[2]], 'ankle');
  });

  test('abduction takes the leg out to its own side', () => {
    const left = posed(resolve({ left: { hip: { abd: 30 } }, rests: ['foot.right'] }));
    const right = posed(resolve({ right: { hip: { abd: 30 } }, rests: ['foot.left'] }));
    assert.ok(at(left, 'knee.left')[2] > LENGTH.hipSpan + 10);
    assert.ok(at(right, 'knee.right')[2] < -LENGTH.hipSpan - 10);
  });

  test('on all fours, wrists at 90 lay the palms flat on the floor, fingers forward', () => {
    const placed = posed(resolve({ pitch: 90, hips: 90, knees: 90, shoulders: 90, wrists: 90, rests: ['knees', 'hands'] }));
    assert.ok(Math.abs(at(placed, 'wrist.left')[1] - at(placed, 'hand.left')[1]) < 1e-9, 'palm level');
    assert.ok(at(placed, 'hand.left')[0] > at(placed, 'wrist.left')[0], 'fingers towards the head');
  });

  test('shoulder flexion of 180 puts the arm overhead', () => {
    const placed = posed(resolve({ shoulders: 180, rests: ['feet'] }));
    assert.ok(at(placed, 'hand.left')[1] > at(placed, 'head')[1]);
  });

  test('lying on the back: the trunk rests on the floor at its own thickness, the face looks up', () => {
    const placed = posed(resolve({ pitch: -90, rests: ['pelvis', 'chest', 'head'] }));
    assert.ok(Math.abs(at(placed, 'chest')[1] - RADIUS.trunk) < 0.6);
    assert.ok(at(placed, 'heel.left')[1] - RADIUS.foot < TOUCH, 'the heels rest on the floor too');
    assert.ok(at(placed, 'face')[1] > at(placed, 'head')[1], 'face up');
    assert.ok(at(placed, 'head')[0] < at(placed, 'pelvis')[0], 'head to the left of the picture');
    for (const gap of placed.gaps) assert.ok(gap.gap < 1, `${gap.part} rests on the floor`);
  });

  test('pitch 90 and roll 90 lay the body on its left side, facing the viewer', () => {
    const placed = posed(resolve({ pitch: -90, roll: 90, rests: ['hip.left', 'shoulder.left'] }));
    assert.ok(at(placed, 'hip.right')[1] > at(placed, 'hip.left')[1] + 2 * LENGTH.hipSpan - 1e-6);
    assert.ok(at(placed, 'face')[2] > at(placed, 'head')[2], 'the face is towards the viewer');
  });

  test('a support placed on a chair rests at the seat height', () => {
    const placed = posed(resolve({ hips: 90, knees: 90, rests: ['feet', 'pelvis@chair'] }));
    const pelvis = placed.gaps.find((g) => g.part === 'pelvis');
    assert.equal(pelvis.surface, 'chair');
    assert.ok(Math.abs(pelvis.gap) < 8, `sitting: the seat carries the pelvis (${pelvis.gap})`);
  });
});

describe('poses', () => {
  test('like starts from another pose, and both-side keys give way to one side', () => {
    const named = { base: { pitch: -90, knees: 90, rests: ['pelvis'] }, one: { like: 'base', right: { knee: 10 } } };
    const pose = resolve(named.one, named);
    assert.equal(pose.pitch, -90);
    assert.equal(pose.left.knee.flex, 90);
    assert.equal(pose.right.knee.flex, 10);
    assert.deepEqual(pose.rests, [{ part: 'pelvis', surface: 'floor' }]);
  });

  test('a loop of likes is refused', () => {
    const named = { a: { like: 'b' }, b: { like: 'a' } };
    assert.throws(() => resolve(named.a, named), /own like/);
  });
});

describe('between two poses', () => {
  const a = resolve({ rests: ['feet'] });
  // A squat with the feet flat: the ankles bend as far as the knees bend beyond the hips.
  const b = resolve({ hips: 90, knees: 100, ankles: 10, spine: 20, rests: ['feet'] });

  test('progress 0 and 1 give the two poses exactly', () => {
    const start = between(a, b, 0);
    const end = between(a, b, 1);
    for (const name of ['head', 'knee.left', 'hand.right']) {
      near(at(start, name), at(posed(a), name), `${name} at 0`);
      near(at(end, name), at(posed(b), name), `${name} at 1`);
    }
  });

  test('half way is eased: exactly between in angle, and the planted feet stay put', () => {
    const half = between(a, b, 0.5);
    const heel = half.gaps.find((g) => g.part === 'heel.left');
    assert.ok(Math.abs(heel.x) < 1e-9 && Math.abs(heel.gap) < 1e-9, 'the anchor foot does not slide or lift');
    const early = between(a, b, 0.1);
    const hipA = at(posed(a), 'hip.left')[1];
    const hipB = at(posed(b), 'hip.left')[1];
    assert.ok(at(early, 'hip.left')[1] - hipB > 0.9 * (hipA - hipB), 'slow out of the start');
  });
});

describe('views and mirroring', () => {
  test('side view keeps x and y; front view puts the left side on the right; above looks down', () => {
    assert.deepEqual(project([1, 2, 3], 'side'), [1, 2, 3]);
    assert.deepEqual(project([1, 2, 3], 'front'), [3, 2, 1]);
    assert.deepEqual(project([1, 2, 3], 'above'), [1, -3, 2]);
  });

  test('the other side is the mirror image', () => {
    const placed = posed(resolve({ left: { hip: 60, knee: 60 }, rests: ['foot.right'] }));
    const one = drawing(placed, 'side');
    const other = drawing(placed, 'side', true);
    one.bones.forEach((bone, i) => {
      assert.deepEqual(other.bones[i].from, [-bone.from[0], bone.from[1]]);
      assert.deepEqual(other.bones[i].to, [-bone.to[0], bone.to[1]]);
    });
    assert.deepEqual(mirror([3, 4, 5]), [-3, 4, 5]);
  });

  test('drawn farthest first: in the side view the left (near) leg comes after the right', () => {
    const { bones } = drawing(posed(STANDING), 'side');
    const names = bones.map((b) => b.name);
    assert.ok(names.indexOf('thigh.left') > names.indexOf('thigh.right'));
  });
});

describe('an exercise over its timeline', () => {
  const figure = {
    start: 'down',
    poses: {
      down: { pitch: -90, hips: 50, knees: 108, ankles: -34, rests: ['feet', 'pelvis', 'chest', 'head'] },
      up: { like: 'down', pitch: -118, hips: -6, knees: 105, ankles: -9, neck: 30.5, rests: ['feet', 'chest', 'head'] },
      walk1: { rests: ['feet'] },
      walk2: { left: { hip: 20 }, rests: ['foot.right'] },
    },
  };
  const phases = [{ pose: 'up' }, { pose: 'up' }, { pose: 'down' }];
  const prepared = prepare(figure, phases);

  test('rests and getting into position wait in the start pose', () => {
    for (const type of ['rest', 'position', 'lead-in', 'switch-sides']) {
      const { from, to } = span(prepared, { type, phaseIndex: null, progress: 0.3 });
      assert.equal(from, prepared.start);
      assert.equal(to, prepared.start);
    }
  });

  test('each phase moves from the pose before it to its own', () => {
    assert.deepEqual(span(prepared, { type: 'phase', phaseIndex: 0, progress: 0.4 }), { from: prepared.start, to: prepared.ends[0], k: 0.4 });
    assert.deepEqual(span(prepared, { type: 'phase', phaseIndex: 2, progress: 1 }), { from: prepared.ends[1], to: prepared.ends[2], k: 1 });
    near(at(frameAt(prepared, { type: 'phase', phaseIndex: 2, progress: 1 }), 'head'), at(posed(prepared.start), 'head'), 'a rep ends where it began');
  });

  test('a cycling phase goes round whole rounds and ends on its own pose', () => {
    const walking = prepare(figure, [{ pose: 'walk1', cycle: { poses: ['walk1', 'walk2'], seconds: 0.5 } }]);
    const state = (progress) => ({ type: 'phase', phaseIndex: 0, progress, seconds: 10 });
    assert.equal(span(walking, state(0)).from, walking.start);
    assert.equal(span(walking, state(0.025)).to, walking.get('walk2'));
    const last = span(walking, state(0.9999));
    assert.equal(last.to, walking.get('walk1'));
    assert.ok(last.k > 0.99);
  });
});

describe('the catalogue rules (scripts/figure-check.mjs)', () => {
  const bridge = () => ({
    slug: 'bridge', kind: 'reps', position: 'supine', per_side: false, equipment: ['mat'],
    phases: [
      { name: 'lift', breath: 'exhale', effort: true, pose: 'up' },
      { name: 'top', breath: 'pause', pose: 'up' },
      { name: 'lower', breath: 'inhale', pose: 'down' },
    ],
    figure: {
      view: 'side', start: 'down',
      poses: {
        down: { pitch: -90, hips: 50, knees: 108, ankles: -34, rests: ['feet', 'pelvis', 'chest', 'head'] },
        up: { like: 'down', pitch: -118, hips: -6, knees: 105, ankles: -9, neck: 30.5, rests: ['feet', 'chest', 'head'] },
      },
    },
  });
  const faultsWith = (change) => {
    const exercise = bridge();
    change(exercise);
    return check(exercise);
  };

  test('a well-made exercise passes', () => {
    assert.deepEqual(check(bridge()), []);
  });

  const broken = [
    ['no figure at all', (e) => { delete e.figure; }, /no figure/],
    ['a knee bent backwards', (e) => { e.figure.poses.up.knees = -20; }, /knee -20° is outside/],
    ['a hip beyond its range', (e) => { e.figure.poses.down.hips = 150; }, /hip\.flex 150° is outside/],
    ['a spine twisted past its range', (e) => { e.figure.poses.up.spine_twist = 80; }, /spine\.twist 80° is outside/],
    ['a support that does not touch', (e) => { e.figure.poses.up.rests.push('pelvis'); }, /pelvis is .* above the floor/],
    ['a body sunk into the floor', (e) => { e.figure.poses.down.rests = ['heels']; e.figure.poses.down.pitch = -100; }, /below the floor/],
    ['an effort that does not move', (e) => { e.figure.poses.up = { like: 'down' }; }, /effort phase lift moves no joint/],
    ['a hold that moves', (e) => { e.phases[1].breath = 'breathe'; e.phases[1].pose = 'down'; }, /hold phase top moves/],
    ['a repetition that ends elsewhere', (e) => { e.phases[2].pose = 'up'; }, /not where a repetition starts/],
    ['two poses in a row that share no support', (e) => { e.figure.poses.up.rests = ['head']; e.figure.poses.down.rests = ['feet']; }, /no support stays down/],
    ['a floor exercise standing on its feet', (e) => { e.figure.poses.down.rests = ['feet']; }, /starts resting on the floor/],
    ['an unknown support', (e) => { e.figure.poses.up.rests = ['wing']; }, /no support named wing/],
    ['a chair the exercise does not list', (e) => { e.figure.poses.down.rests = ['pelvis@chair', 'feet']; }, /chair the exercise does not list/],
    ['a one-side exercise with no working limb', (e) => { e.per_side = true; }, /working limb/],
  ];
  for (const [what, change, fault] of broken) {
    test(`refuses ${what}`, () => {
      const faults = faultsWith(change);
      assert.ok(faults.some((f) => fault.test(f)), `expected ${fault} in ${JSON.stringify(faults)}`);
    });
  }

  test('standing: both feet carry the body unless a pose lifts one clear', () => {
    const stand = (pose) => ({
      slug: 'march', kind: 'reps', position: 'standing', per_side: false, equipment: [],
      phases: [{ name: 'lift', breath: 'exhale', effort: true, pose: 'up' }, { name: 'lower', breath: 'inhale', pose: 'down' }],
      figure: { start: 'down', poses: { down: { rests: ['feet'] }, up: pose } },
    });
    assert.deepEqual(check(stand({ left: { hip: 60, knee: 60 }, rests: ['foot.right'] })), []);
    const faults = check(stand({ left: { hip: 10, knee: 10 }, rests: ['foot.right'] }));
    assert.ok(faults.some((f) => /left foot neither stands/.test(f)), JSON.stringify(faults));
  });
});
