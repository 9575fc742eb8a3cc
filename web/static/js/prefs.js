/**
 * Small remembered choices, in localStorage so they can be read synchronously while the first
 * screen is drawn: the cue switches, the red-flag answers, cues marked helpful.
 */

const PREFIX = 'spinewise.';

export const CUE_DEFAULTS = Object.freeze({ tones: true, voice: false, vibration: true });

function read(key, fallback) {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback; // storage blocked (private mode) or a value from an older version
  }
}

function write(key, value) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the choice holds for this visit only.
  }
}

/** `{tones, voice, vibration}`: each cue on or off. */
export function cueSwitches() {
  return { ...CUE_DEFAULTS, ...read('cues', {}) };
}

export function setCueSwitch(name, on) {
  if (!(name in CUE_DEFAULTS)) throw new Error(`unknown cue ${name}`);
  write('cues', { ...cueSwitches(), [name]: Boolean(on) });
}

/** The red-flag answers kept on this device (red-flags.js has their shape); null if none. */
export const screening = () => read('screening', null);
export const setScreening = (value) => write('screening', value);

/** The gate before a session: 'open' (may start), 'answers' (the answers call for a doctor
 * first), or why the questions come (again): 'first', 'spread', 'cycle', 'advice', 'changed'. */
export const gate = () => read('gate', 'first');
export const setGate = (value) => write('gate', value);

/** The signed-in account's plan cycle, as Today last saw it (null: no plan). */
export const planCycle = () => read('plan-cycle', null);
export const setPlanCycle = (cycle) => write('plan-cycle', cycle);

/** Plan advice the red flags were last asked again for. */
export const safetyRecheckedFor = () => read('safety-recheck', []);
export const setSafetyRecheckedFor = (advice) => write('safety-recheck', advice);

/** Cue texts marked "this helped", by exercise slug. */
export function helpfulCues() {
  return read('helpful', {});
}

export function markHelpful(slug, texts) {
  const all = helpfulCues();
  const merged = [...new Set([...texts, ...(all[slug] ?? [])])];
  write('helpful', { ...all, [slug]: merged });
}

/** Equipment the person has (screens/catalogue.js); null until they say. */
export const equipment = () => read('equipment', null);
/** What the app assumes until the person says: what nearly every home has (as the server). */
export const UNSAID_EQUIPMENT = Object.freeze(['mat', 'wall', 'chair']);
export const owned = () => equipment() ?? UNSAID_EQUIPMENT;
export const setEquipment = (items) => write('equipment', items);
