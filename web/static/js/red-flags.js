/**
 * The red-flag questions as data, and their triage (docs/safety.md). Pure. The server knows
 * the same ids (app/screening.py; a test keeps them alike). A screening is `{signs,
 * answered_at, cycle, cleared_on, cleared_signs, updated_at}`: a clinician's check is recorded
 * beside the signs it covers, never by unticking them.
 */

/** Most urgent first. `blocks`: no session starts until it is seen to or checked. */
export const URGENCY = Object.freeze({
  ambulance: { blocks: true, ask: 'Call 999 now (or your local emergency number) if you have any of these' },
  today: { blocks: true, ask: 'Get medical help today if you have any of these' },
  before: { blocks: true, ask: 'See a doctor before starting if any of these is true' },
  mention: { blocks: false, ask: 'Mention this to your doctor (you can still start)' },
});
const LEVELS = Object.keys(URGENCY);

/** Every sign, in plain words, at its urgency. "New" means since this back pain began. */
export const SIGNS = Object.freeze([
  ['pee-difficulty', 'ambulance', 'New difficulty peeing, or you cannot pee at all'],
  ['bladder-feeling', 'ambulance', 'Not knowing when your bladder is full or empty'],
  ['bladder-bowel-control', 'ambulance', 'New leaking of pee or poo that you cannot hold'],
  ['saddle', 'ambulance', 'Numbness or pins and needles around your genitals, bottom or back passage'],
  ['wiping', 'ambulance', 'Toilet paper feels different, or you cannot feel it, when you wipe'],
  ['both-legs', 'ambulance', 'Pain, tingling, numbness or weakness in both legs'],
  ['leg-worsening', 'ambulance', 'Weakness or numbness in one leg that is getting worse'],
  ['sexual', 'ambulance', 'New problems with sex, such as no feeling or no erection'],
  ['chest-pain', 'ambulance', 'Chest pain as well as the back pain'],
  ['serious-accident', 'ambulance', 'The back pain started after a serious accident, such as a car crash or a fall from a height'],
  ['fever-unwell', 'today', 'A high temperature, or you feel generally unwell (hot, shivery or sweaty)'],
  ['legs-unsteady', 'today', 'Your legs feel heavy or unsteady when you walk'],
  ['between-shoulders', 'before', 'Pain high up, between the shoulder blades'],
  ['lump-shape', 'before', 'A lump or swelling on your back, or a change in its shape'],
  ['cancer-weight', 'before', 'You have had cancer, or you are losing weight without trying'],
  ['bones-steroids', 'before', 'Osteoporosis (thin bones), or steroid tablets taken for months'],
  ['infection-drugs', 'before', 'You inject drugs, have had an infection lately, or your immune system is weakened (by illness or medicines)'],
  ['night-pain', 'before', 'The pain stays the same at night, even lying still'],
  ['new-age', 'before', 'This back pain is new and you are under 20 or over 50'],
  ['inflammatory', 'mention', 'It began before you were 45, has lasted over 3 months, wakes you in the second half of the night and eases as you move'],
].map(([id, urgency, text]) => Object.freeze({ id, urgency, text })));

const BY_ID = new Map(SIGNS.map((s) => [s.id, s]));

/** `level`: the most urgent sign not checked by a clinician (or 'clear'); `blocks`: no session
 * may start; `open`: those signs; `mention`: the ones only to mention. */
export function triage(screening) {
  if (!screening) return { level: 'none', blocks: true, open: [], mention: [] };
  const cleared = new Set(screening.cleared_on ? screening.cleared_signs ?? [] : []);
  const ticked = (screening.signs ?? []).map((id) => BY_ID.get(id)).filter(Boolean);
  const open = ticked.filter((s) => !cleared.has(s.id)).sort((a, b) => LEVELS.indexOf(a.urgency) - LEVELS.indexOf(b.urgency));
  const level = open[0]?.urgency ?? 'clear';
  return {
    level,
    blocks: level !== 'clear' && URGENCY[level].blocks,
    open: open.filter((s) => URGENCY[s.urgency].blocks),
    mention: ticked.filter((s) => !URGENCY[s.urgency].blocks),
  };
}

/** A new answer; `now` an ISO time. */
export function answered(signs, { cycle = null, now }) {
  const known = SIGNS.filter((s) => signs.includes(s.id)).map((s) => s.id);
  return { signs: known, answered_at: now, cycle, cleared_on: null, cleared_signs: [], updated_at: now };
}

/** "Checked by a clinician on `day`" for every sign now ticked. */
export function clearedOn(screening, day, now) {
  return { ...screening, cleared_on: day, cleared_signs: [...screening.signs], updated_at: now };
}

/** Asked again, history ('before', 'mention') stays ticked with its check; symptoms of now
 * ('ambulance', 'today') are asked afresh. */
export function carriedOver(screening) {
  if (!screening) return { signs: [], cleared_on: null, cleared_signs: [] };
  const lasting = (id) => ['before', 'mention'].includes(BY_ID.get(id)?.urgency);
  const cleared = (screening.cleared_signs ?? []).filter(lasting);
  return {
    signs: screening.signs.filter(lasting),
    cleared_on: cleared.length ? screening.cleared_on : null,
    cleared_signs: cleared,
  };
}
