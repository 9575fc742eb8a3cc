// Tests for web/static/js/body.js (the figure's body model) and scripts/figure-check.mjs (the
// catalogue's figure rules) — run with `node --test tests/js/`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  BELL_RADIUS, LENGTH, RADIUS, SURFACES, between, drawing, extent, frameAt, held, keyPhase, mirror, posed, prepare, project,
  resolve, scenery, span, torso,
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

describe('breathing, the still and the equipment', () => {
  const crook = { pitch: -90, hips: 50, knees: 108, ankles: -34, rests: ['feet', 'pelvis', 'chest', 'head'] };
  const bridgeFigure = { start: 'crook', poses: { crook, bridge: { like: 'crook', pitch: -118, hips: -6, knees: 105, ankles: -9, neck: 30.5, rests: ['feet', 'chest', 'head'] } } };
  const bridge = prepare(bridgeFigure, [{ pose: 'bridge' }, { pose: 'bridge' }, { pose: 'crook' }]);
  const len = (v) => Math.hypot(v[0], v[1]);

  test('the ribs and belly swell with the lungs, towards the front, and the back stays put', () => {
    const placed = posed(bridge.start);
    const empty = torso(placed, 'side', 0);
    const full = torso(placed, 'side', 1);
    assert.ok(len(full.across) > len(empty.across) * 1.25, 'full lungs are a quarter thicker');
    near(full.along, empty.along, 'the length does not breathe');
    assert.ok(full.across[1] > 0 && full.center[1] > empty.center[1], 'lying on the back, the belly rises (up is the front)');
    // the back edge (centre less the half-thickness) stays where it was
    near(sub(full.center, full.across), sub(empty.center, empty.across), 'back edge', 1e-9);
  });

  test('the still shows the effort phase, else the hold, else the first', () => {
    assert.equal(keyPhase([{ breath: 'inhale' }, { breath: 'exhale', effort: true }]), 1);
    assert.equal(keyPhase([{ breath: 'inhale' }, { breath: 'breathe' }, { breath: 'exhale' }]), 1);
    assert.equal(keyPhase([{ breath: 'inhale' }, { breath: 'exhale' }]), 0);
  });

  test('the box as posed holds every pose; both sides holds the mirror as well', () => {
    const posedBox = extent(bridge, false);
    const both = extent(bridge);
    assert.ok(posedBox[2] - posedBox[0] < both[2] - both[0]);
    assert.equal(both[0], -both[2]);
    const head = drawing(posed(bridge.start), 'side').head.at;
    assert.ok(head[0] > posedBox[0] && head[0] < posedBox[2]);
  });

  test('a mat under the lying body, a wall at its soles; nothing the exercise does not list', () => {
    const things = scenery(bridge, ['mat', 'wall']);
    const mat = things.find((t) => t.kind === 'mat');
    const [lo, hi] = extent(bridge, false).filter((_, i) => i % 2 === 0);
    assert.ok(mat.x[0] <= lo && mat.x[1] >= hi, 'the mat is under the whole body');
    const wall = things.find((t) => t.kind === 'wall');
    const feet = Math.max(...['toes.left', 'heel.left'].map((n) => posed(bridge.start).points[n].at[0]));
    assert.ok(wall.x >= feet && wall.facing === -1, 'lying with the feet to the right, the wall is at the soles');
    assert.deepEqual(scenery(bridge, []), []);
  });

  const sitting = prepare({
    start: 'sit',
    poses: {
      sit: { pitch: 20, hips: 100, knees: 85, ankles: 5, rests: ['feet', 'pelvis@chair'] },
      stand: { rests: ['feet'] },
    },
  }, [{ pose: 'stand' }, { pose: 'sit' }]);

  test('the chair stands under the pose that sits on it, seat at chair height', () => {
    const [chair] = scenery(sitting, ['chair']);
    const seat = posed(sitting.start).gaps.find((g) => g.surface === 'chair');
    assert.equal(chair.kind, 'chair');
    assert.equal(chair.top, SURFACES.chair);
    assert.equal(chair.x, seat.x);
    assert.equal(chair.facing, 1, 'the knees point to +x: the chair back is behind');
    assert.equal(scenery(sitting, ['chair', 'mat']).filter((t) => t.kind === 'chair').length, 1);
  });

  test('a wall behind a standing back', () => {
    const [wall] = scenery(prepare({ start: 's', poses: { s: { rests: ['feet'] } } }, [{ pose: 's' }]), ['wall']);
    const pelvis = posed(resolve({ rests: ['feet'] })).points.pelvis.at[0];
    assert.equal(wall.facing, 1);
    assert.ok(wall.x < pelvis - RADIUS.trunk + 1e-9, 'behind the back');
  });

  test('the step under the foot that stands on it', () => {
    const step = prepare({
      start: 'up',
      poses: {
        up: { left: { hip: 60, knee: 70, ankle: 10 }, rests: ['foot.right', 'foot.left@step'] },
        down: { rests: ['feet'] },
      },
    }, [{ pose: 'down' }, { pose: 'up' }]);
    const [box] = scenery(step, ['step']);
    const foot = posed(step.start).gaps.find((g) => g.surface === 'step');
    assert.equal(box.kind, 'step');
    assert.equal(box.top, SURFACES.step);
    assert.ok(box.x[0] < foot.x && box.x[1] > foot.x);
  });

  test('held things follow the figure: the dowel along the back, the band to the hands, a kettlebell in the hands', () => {
    const standing = posed(resolve({ shoulders: 0, rests: ['feet'] }));
    const hinged = posed(resolve({ pitch: 60, hips: 60, rests: ['feet'] }));
    const upright = held(standing, 'side', ['dowel']).dowel;
    const tipped = held(hinged, 'side', ['dowel']).dowel;
    assert.ok(Math.abs(upright.to[0] - upright.from[0]) < 1, 'standing, the dowel is upright');
    assert.ok(upright.to[0] < standing.points.chest.at[0], 'behind the back');
    assert.ok(tipped.to[0] - tipped.from[0] > 20, 'hinged, it tips forward with the trunk');

    const bells = (placed, accent = []) => held(placed, 'side', ['weight'], { accent }).bells;
    assert.equal(bells(standing).length, 1, 'hands together (seen from the side): one bell');
    const apart = posed(resolve({ left: { shoulder: 90 }, rests: ['feet'] }));
    assert.equal(bells(apart).length, 2, 'hands apart: one each');
    assert.equal(bells(apart, ['arm.left']).length, 1, 'one working arm: one bell');
    const low = posed(resolve({ hips: 120, knees: 130, ankles: -20, rests: ['feet'] }));
    assert.ok(bells(low).every(([, y]) => y >= BELL_RADIUS - 1e-9), 'a bell never goes through the floor');

    const anchor = [60, 40];
    const band = held(standing, 'side', ['band'], { anchor }).band;
    assert.deepEqual(band.from, anchor);
    const hand = standing.points['hand.left'].at;
    assert.ok(Math.abs(band.to[1] - hand[1]) < 1e-9);
    assert.equal(held(standing, 'side', ['band']).band, null, 'no anchor, no band');
  });
});

const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];

describe('saddle and bed', () => {
  test('the bike stands under what rests on its saddle, the cranks below and in front', () => {
    const cycling = prepare({
      start: 'a',
      poses: {
        a: { pitch: 15, shoulders: 60, left: { hip: 74, knee: 66 }, right: { hip: 56, knee: 82 }, rests: ['pelvis@bike'] },
        b: { like: 'a', left: { hip: 56, knee: 82 }, right: { hip: 74, knee: 66 } },
      },
    }, [{ pose: 'b' }, { pose: 'a' }]);
    const [bike] = scenery(cycling, ['bike']);
    const seat = posed(cycling.start).gaps.find((g) => g.surface === 'bike');
    assert.equal(bike.kind, 'bike');
    assert.deepEqual(bike.saddle, [seat.x, SURFACES.bike]);
    assert.ok(bike.crank[1] < SURFACES.bike && bike.crank[0] > seat.x, 'the cranks below and ahead of the saddle');
    assert.deepEqual(scenery(cycling, []), [], 'a bike the exercise does not list is not drawn');
  });

  test('a bed under whatever lies on it, though no exercise lists one', () => {
    const lying = prepare({ start: 'a', poses: { a: { pitch: -90, roll: 90, hips: 45, knees: 90, rests: ['hip.left@bed', 'shoulder.left@bed'] } } }, [{ pose: 'a' }]);
    const [bed] = scenery(lying, []);
    assert.equal(bed.kind, 'bed');
    assert.equal(bed.top, SURFACES.bed);
    const [lo, hi] = extent(lying, false).filter((_, i) => i % 2 === 0);
    assert.ok(bed.x[0] <= lo && bed.x[1] > lo && bed.x[1] <= hi + 8);
  });
});

test('seen end on, the ribs are round and never undefined', () => {
  // lying on the back seen from the feet: the spine points at the viewer
  const placed = posed(resolve({ pitch: -90, rests: ['pelvis', 'chest', 'head', 'heels'] }));
  for (const level of [0, 1]) {
    const { center, along, across } = torso(placed, 'front', level);
    for (const v of [...center, ...along, ...across]) assert.ok(Number.isFinite(v));
    assert.ok(Math.hypot(...along) > 0 && Math.hypot(...across) > 0);
  }
});
