// Tests for web/static/js/cues.js with stand-ins for Web Audio, speech and vibration.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { Cues, LOOKAHEAD_SECONDS, speechFor, toneFor, VIBRATIONS, vibrationFor } from '../../web/static/js/cues.js';
import { at, breathChanges, buildTimeline, createRun, pause, resume, start } from '../../web/static/js/pacer.js';

/** A stand-in AudioContext that records when each oscillator starts and how its pitch moves. */
class FakeAudioContext {
  constructor() {
    this.currentTime = 10;
    this.state = 'running';
    this.started = [];
    this.destination = {};
    FakeAudioContext.last = this;
  }
  createOscillator() {
    const ctx = this;
    const osc = {
      frequency: { setValueAtTime(v) { osc.from = v; }, exponentialRampToValueAtTime(v) { osc.to = v; } },
      connect: (node) => node,
      start(time) { osc.at = time; ctx.started.push(osc); },
      stop() { osc.stopped = true; },
    };
    return osc;
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (node) => node };
  }
  getOutputTimestamp() { return { contextTime: this.currentTime, performanceTime: this.perfMs }; }
  resume() { this.state = 'running'; return Promise.resolve(); }
  close() { this.state = 'closed'; return Promise.resolve(); }
}

function fakeEnv() {
  const env = {
    AudioContext: FakeAudioContext,
    navigator: { audioSession: { type: 'auto' }, vibrate(pattern) { env.buzzes.push(pattern); } },
    speechSynthesis: { cancel() {}, speak(u) { env.said.push(u.text); } },
    SpeechSynthesisUtterance: class { constructor(text) { this.text = text; } },
    buzzes: [],
    said: [],
  };
  return env;
}

const bridge = {
  slug: 'glute-bridge', name: 'Glute bridge', kind: 'reps',
  phases: [
    { name: 'lift', movement: 'drive the hips up', breath: 'exhale', seconds: 2, effort: true },
    { name: 'top', movement: 'hold the top', breath: 'pause', seconds: 1 },
    { name: 'lower', movement: 'lower slowly', breath: 'inhale', seconds: 3 },
  ],
  sets: 2, reps: 2, rest_seconds: 10,
};
const timeline = buildTimeline({ leadIn: 5, items: [bridge] }); // lift 5, top 7, lower 8, lift 11, …

describe('what each change sounds and feels like', () => {
  test('rising tone in, falling out, silence for holds and rests', () => {
    assert.ok(toneFor({ breath: 'inhale' }).to > toneFor({ breath: 'inhale' }).from);
    assert.ok(toneFor({ breath: 'exhale' }).to < toneFor({ breath: 'exhale' }).from);
    assert.equal(toneFor({ breath: 'hold' }), null);
    assert.equal(toneFor({ breath: 'rest' }), null);
  });

  test('vibration patterns tell inhale from exhale, and the end is long', () => {
    const inhale = vibrationFor('phase', 'inhale');
    const exhale = vibrationFor('phase', 'exhale');
    assert.notDeepEqual(inhale, exhale);
    assert.ok(exhale.reduce((a, b) => a + b) > inhale.reduce((a, b) => a + b));
    assert.ok(vibrationFor('end')[0] >= 2 * Math.max(...exhale));
    assert.deepEqual(vibrationFor('switch-sides'), VIBRATIONS['switch-sides']);
    assert.equal(vibrationFor('phase', 'rest'), null);
  });

  test('the voice says short phase names', () => {
    assert.equal(speechFor(at(timeline, 0)), 'Get ready: Glute bridge');
    assert.equal(speechFor(at(timeline, 5)), 'Breathe out. lift');
    assert.equal(speechFor(at(timeline, 7)), 'Hold. top');
    assert.equal(speechFor(at(timeline, 18)), 'Rest');
  });

  test('getting into position, rolling over, and free breathing say so', () => {
    const clam = {
      slug: 'clam', name: 'Clamshell', kind: 'reps', per_side: true, sides: 'lying', position: 'side-lying',
      phases: [{ name: 'open', movement: 'open', breath: 'exhale', seconds: 2 }], sets: 1, reps: 1, rest_seconds: 0,
    };
    const walk = {
      slug: 'walk', name: 'Walking', kind: 'hold', position: 'standing',
      phases: [{ name: 'walk', movement: 'walk', breath: 'free', seconds: 60 }], sets: 1, reps: 1, rest_seconds: 0,
    };
    const t = buildTimeline({ items: [clam, walk, { ...clam, sides: 'working' }] });
    const said = (type, i) => speechFor(at(t, t.segments.find((s) => s.type === type && s.itemIndex === i).start));
    assert.equal(said('position', 0), 'Get into position: Clamshell');
    assert.equal(said('switch-sides', 0), 'Roll onto your right side');
    assert.equal(said('switch-sides', 2), 'Switch sides: right side working');
    assert.equal(said('phase', 1), 'Easy breathing. walk');
    const walking = t.segments.find((s) => s.breath === 'free');
    assert.deepEqual(breathChanges(t, walking.start, walking.end).map(toneFor), [null]);
  });
});

describe('Cues', () => {
  test('the audio context closing after the session is left is no error', () => {
    const cues = new Cues({ tones: true, voice: false, vibration: false }, fakeEnv());
    cues.unlock();
    const ctx = FakeAudioContext.last;
    cues.close();
    ctx.onstatechange(); // the browser reports 'closed' a moment later
    ctx.state = 'suspended';
    assert.doesNotThrow(() => ctx.onstatechange());
  });

  test('unlock asks Safari for playback audio and makes one audio context', () => {
    const env = fakeEnv();
    const cues = new Cues({ tones: true, voice: false, vibration: true }, env);
    cues.unlock();
    cues.unlock();
    assert.equal(env.navigator.audioSession.type, 'playback');
    assert.ok(cues.ctx instanceof FakeAudioContext);
  });

  test('tones are scheduled ahead on the audio clock at exactly the timeline’s breath changes', () => {
    const env = fakeEnv();
    const cues = new Cues({ tones: true, voice: false, vibration: false }, env);
    cues.unlock();
    const ctx = cues.ctx;
    // The run started at clock time 100 s; it is now 104.5 s (session time 4.5), audio time 10.
    const run = start(createRun(timeline), 100);
    ctx.perfMs = 104500;
    const perfAt = (t) => run.origin + t - run.base;
    cues.schedule(timeline, run, 4.5, 104.5, perfAt);
    // Within 1.5 s ahead: lift (exhale) at 5 → audio 10.5. The pause at 7 is silent and beyond.
    assert.deepEqual(ctx.started.map((o) => [o.at, o.from > o.to ? 'falling' : 'rising']), [[10.5, 'falling']]);
    // A second call at the same moment adds nothing; later calls add only what is new.
    cues.schedule(timeline, run, 4.5, 104.5, perfAt);
    assert.equal(ctx.started.length, 1);
    ctx.currentTime = 12.4;
    ctx.perfMs = 106900;
    cues.schedule(timeline, run, 6.9, 106.9, perfAt);
    // [6.9, 8.4): the pause at 7 is silent; the inhale at 8 rises at audio 12.4 + 1.1.
    assert.deepEqual(ctx.started.map((o) => [Number(o.at.toFixed(6)), o.from < o.to ? 'rising' : 'falling']), [
      [10.5, 'falling'], [13.5, 'rising'],
    ]);
  });

  test('a pause silences what was scheduled; a resume ticks 3-2-1 and schedules from the new origin', () => {
    const env = fakeEnv();
    const cues = new Cues({ tones: true, voice: false, vibration: false }, env);
    cues.unlock();
    const ctx = cues.ctx;
    let run = start(createRun(timeline), 100);
    ctx.perfMs = 104500;
    cues.schedule(timeline, run, 4.5, 104.5, (t) => run.origin + t - run.base);
    run = pause(run, 104.6);
    cues.cancel();
    assert.ok(ctx.started.every((o) => o.stopped));
    // Resumed at clock 200 (audio 20): count-in until 203, then session time 4.6 runs on.
    run = resume(run, 200);
    ctx.currentTime = 20;
    ctx.perfMs = 200000;
    const before = ctx.started.length;
    cues.schedule(timeline, run, 4.6, 200, (t) => run.origin + t - run.base);
    assert.deepEqual(ctx.started.slice(before).map((o) => Number(o.at.toFixed(6))), [20, 21, 22, 23.4]);
  });

  test('voice and vibration follow their switches', () => {
    const env = fakeEnv();
    const cues = new Cues({ tones: false, voice: true, vibration: true }, env);
    cues.segment(at(timeline, 5));
    cues.breath('inhale');
    cues.end();
    assert.deepEqual(env.said, ['Breathe out. lift', 'Session complete. Well done.']);
    assert.deepEqual(env.buzzes, [[250], [60], [900]]);
    cues.setSwitch('vibration', false);
    cues.setSwitch('voice', false);
    cues.segment(at(timeline, 8));
    assert.equal(env.buzzes.length, 3);
    assert.equal(env.said.length, 2);
    cues.unlock();
    assert.equal(cues.ctx, null, 'no audio context while tones are off');
  });
});
