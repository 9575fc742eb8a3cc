/**
 * Sound, voice and touch cues that follow the pacer's timeline (docs/session.md).
 *
 * Tones are scheduled ahead on the audio clock: every breath change in the next LOOKAHEAD
 * seconds (from pacer.js `breathChanges`, the same timeline the picture reads) becomes an
 * oscillator started at the matching `AudioContext` time, so sound and picture never part
 * even when the page's timers are late. Voice and vibration cannot be scheduled ahead; they
 * fire when the view sees the change. No DOM here.
 */

import { breathChanges } from './pacer.js';

export const LOOKAHEAD_SECONDS = 1.5; // longer than a background tab's 1 s timer throttling
const LATE_TOLERANCE = 0.05; // a tone more than 50 ms late is dropped, not played off the beat
const GAIN = 0.12;

/** Rising for inhale, falling for exhale (Hz over `seconds`); a soft tick for the count-in. */
export const TONES = Object.freeze({
  inhale: Object.freeze({ from: 294, to: 440, seconds: 0.7 }),
  exhale: Object.freeze({ from: 440, to: 294, seconds: 0.7 }),
  tick: Object.freeze({ from: 523, to: 523, seconds: 0.08 }),
  end: Object.freeze({ from: 392, to: 587, seconds: 1.2 }),
});

/** Vibration patterns (ms on, off, on…): one short pulse in, one long out, a long one at the end. */
export const VIBRATIONS = Object.freeze({
  inhale: Object.freeze([60]),
  exhale: Object.freeze([250]),
  hold: Object.freeze([30, 80, 30]),
  'switch-sides': Object.freeze([80, 120, 80, 120, 80]),
  end: Object.freeze([900]),
});

const BREATH_WORDS = { inhale: 'Breathe in', exhale: 'Breathe out', hold: 'Hold', free: 'Easy breathing' };

/** The tone for a breath change (from `breathChanges`), or null (rests, holds and free breathing are silent). */
export function toneFor(change) {
  return change.breath === 'inhale' || change.breath === 'exhale' ? TONES[change.breath] : null;
}

/** The vibration for a change of segment or breath, or null. */
export function vibrationFor(type, breath) {
  if (type === 'switch-sides') return VIBRATIONS['switch-sides'];
  if (type === 'end') return VIBRATIONS.end;
  return VIBRATIONS[breath] ?? null;
}

/** What the voice says when a segment starts (`state` from pacer.js `at`): short, so it fits the phase. */
export function speechFor(state) {
  switch (state.type) {
    case 'lead-in':
      return `Get ready: ${state.item.name}`;
    case 'rest':
      return state.itemIndex > 0 && state.set === 1 ? `Rest. Next: ${state.item.name}` : 'Rest';
    case 'position':
      return `Get into position: ${state.item.name}`;
    case 'switch-sides':
      return state.item.sides === 'lying' ? `Roll onto your ${state.side} side` : `Switch sides: ${state.side} side working`;
    default: {
      const breath = BREATH_WORDS[state.breathing.breath] ?? 'Breathe';
      return `${breath}. ${state.phase.name.replace(/-/g, ' ')}`;
    }
  }
}

/**
 * The cue player. `switches` is `{tones, voice, vibration}`; `env` stands in for the browser in
 * tests (`AudioContext`, `navigator`, `speechSynthesis`, `SpeechSynthesisUtterance`, `now()`).
 */
export class Cues {
  constructor(switches, env = globalThis) {
    this.switches = { ...switches };
    this.env = env;
    this.ctx = null;
    this.scheduled = []; // {node, at}: oscillators not yet finished, so a pause can silence them
    this.scheduledTo = null; // session time up to which tones are scheduled
    this.ticksFor = null; // the run origin whose count-in ticks are scheduled
  }

  setSwitch(name, on) {
    this.switches[name] = on;
    if (name === 'tones' && !on) this.cancel();
    if (name === 'voice' && !on) this.env.speechSynthesis?.cancel();
  }

  /** Call from the Start tap (and any later tap): makes, or wakes, the audio context. */
  unlock() {
    const { env } = this;
    // Safari: play through the speaker like media, even with the ring/silent switch on.
    if (env.navigator?.audioSession) {
      try { env.navigator.audioSession.type = 'playback'; } catch { /* not allowed here */ }
    }
    const AudioContextClass = env.AudioContext ?? env.webkitAudioContext;
    if (!this.ctx && AudioContextClass && this.switches.tones) {
      try {
        this.ctx = new AudioContextClass({ latencyHint: 'interactive' });
      } catch {
        return; // no audio device, or too many contexts: the session runs on without tones
      }
      // iOS moves the context to 'interrupted' for a call or Siri, and 'suspended' on lock:
      // try to come back by ourselves; a later tap (unlock again) is the fallback.
      const { ctx } = this;
      // The context's own state: once closed (the session left) `this.ctx` is null.
      ctx.onstatechange = () => {
        if (ctx.state === 'interrupted' || ctx.state === 'suspended') this.wake();
      };
    }
    this.wake();
  }

  /** Resume the audio context if the system stopped it (on return to the page, or a tap). */
  wake() {
    if (this.ctx && this.ctx.state !== 'running' && this.ctx.state !== 'closed') {
      this.ctx.resume().catch(() => {});
      this.cancel(); // times scheduled against a stopped clock are stale
    }
  }

  /**
   * Schedule tones for the breath changes of the next LOOKAHEAD seconds. `perfAt(t)` gives the
   * clock time (s, performance.now() / 1000) when session time `t` will be reached; `nowT` is the
   * session time now. Call it every frame and from a timer; it only adds what is missing.
   */
  schedule(timeline, run, nowT, perfNow, perfAt) {
    const { ctx } = this;
    if (!this.switches.tones || !ctx || ctx.state !== 'running') return;
    // Map clock time to audio time through the output timestamp where the browser gives one,
    // so a tone is heard (not merely started) when the picture changes.
    const stamp = ctx.getOutputTimestamp?.();
    const [audioRef, perfRef] = stamp && stamp.performanceTime > 0
      ? [stamp.contextTime, stamp.performanceTime / 1000]
      : [ctx.currentTime, perfNow];
    const audioAt = (t) => audioRef + (perfAt(t) - perfRef);

    // Count-in ticks: 3, 2, 1 before a resume.
    if (run.origin > perfNow && this.ticksFor !== run.origin) {
      this.ticksFor = run.origin;
      for (let k = 3; k >= 1; k -= 1) this.play(TONES.tick, audioRef + (run.origin - k - perfRef));
    }
    const from = this.scheduledTo === null ? nowT : Math.max(this.scheduledTo, nowT);
    const to = nowT + LOOKAHEAD_SECONDS;
    if (to <= from) return;
    for (const change of breathChanges(timeline, from, to)) {
      const tone = toneFor(change);
      if (tone) this.play(tone, audioAt(change.time));
    }
    if (timeline.duration >= from && timeline.duration < to) this.play(TONES.end, audioAt(timeline.duration));
    this.scheduledTo = to;
  }

  play(tone, at) {
    const { ctx } = this;
    if (at < ctx.currentTime - LATE_TOLERANCE) return;
    const start = Math.max(at, ctx.currentTime);
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(tone.from, start);
    osc.frequency.exponentialRampToValueAtTime(tone.to, start + tone.seconds);
    // A soft swell and fade, so a tone never clicks.
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(GAIN, start + Math.min(0.08, tone.seconds / 3));
    gain.gain.exponentialRampToValueAtTime(0.0001, start + tone.seconds);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + tone.seconds + 0.02);
    const entry = { node: osc, at: start };
    this.scheduled.push(entry);
    osc.onended = () => { this.scheduled = this.scheduled.filter((e) => e !== entry); };
  }

  /** Silence everything scheduled (pause, skip, seek): the next `schedule` starts afresh. */
  cancel() {
    for (const { node } of this.scheduled) {
      try { node.stop(); } catch { /* already stopped */ }
    }
    this.scheduled = [];
    this.scheduledTo = null;
    this.ticksFor = null;
  }

  /** A new segment began: say it and buzz it. */
  segment(state) {
    if (this.switches.voice) this.say(speechFor(state));
    if (state.type === 'switch-sides' || state.type === 'position') this.buzz(vibrationFor('switch-sides'));
    else if (state.type === 'phase') this.buzz(vibrationFor(state.type, state.breathing.breath));
  }

  /** A breath turned inside a hold (no new segment): buzz it. */
  breath(breath) {
    this.buzz(vibrationFor('phase', breath));
  }

  /** The session is over. */
  end() {
    if (this.switches.voice) this.say('Session complete. Well done.');
    this.buzz(vibrationFor('end'));
  }

  say(text) {
    const { speechSynthesis: synth, SpeechSynthesisUtterance: Utterance } = this.env;
    if (!synth || !Utterance) return;
    synth.cancel(); // never queue behind a stale phase name
    const utterance = new Utterance(text);
    utterance.rate = 0.95;
    synth.speak(utterance);
  }

  buzz(pattern) {
    if (this.switches.vibration && pattern && typeof this.env.navigator?.vibrate === 'function') {
      this.env.navigator.vibrate([...pattern]);
    }
  }

  /** Stop all sound and let the audio hardware sleep. */
  close() {
    this.cancel();
    this.env.speechSynthesis?.cancel();
    if (this.ctx && this.ctx.state !== 'closed') this.ctx.close().catch(() => {});
    this.ctx = null;
  }
}
