import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { CYCLE_WEEKS, dueAgain, lastSpread, spreadMornings } from '../../web/static/js/plan-core.js';
import { SIGNS, URGENCY, answered, carriedOver, clearedOn, triage } from '../../web/static/js/red-flags.js';
import { newer } from '../../web/static/js/sync-core.js';

const NOW = '2026-11-30T08:00:00.000Z';
const ids = (level) => SIGNS.filter((s) => s.urgency === level).map((s) => s.id);
const screen = (signs, extra = {}) => ({ ...answered(signs, { now: NOW }), ...extra });

describe('the signs', () => {
  test('every sign of the NHS and CKS lists is asked, each at its urgency', () => {
    const expected = {
      ambulance: ['pee-difficulty', 'bladder-feeling', 'bladder-bowel-control', 'saddle', 'wiping', 'both-legs',
        'leg-worsening', 'sexual', 'chest-pain', 'serious-accident'],
      today: ['fever-unwell', 'legs-unsteady'],
      before: ['between-shoulders', 'lump-shape', 'cancer-weight', 'bones-steroids', 'infection-drugs', 'night-pain', 'new-age'],
      mention: ['inflammatory'],
    };
    for (const [level, list] of Object.entries(expected)) assert.deepEqual(ids(level), list, level);
    assert.equal(new Set(SIGNS.map((s) => s.id)).size, SIGNS.length);
  });

  test('in plain words, as triage and not as a diagnosis', () => {
    const words = SIGNS.map((s) => s.text).join(' ');
    for (const plain of ['difficulty peeing', 'bladder is full', 'wipe', 'both legs', 'Chest pain', 'serious accident',
      'unwell', 'between the shoulder blades', 'lump', 'Osteoporosis', 'steroid', 'inject drugs', 'infection', 'heavy or unsteady']) {
      assert.ok(words.includes(plain), plain);
    }
    assert.doesNotMatch(words, /cauda equina|syndrome|fracture|spondyl|malignan/i);
    assert.match(URGENCY.ambulance.ask, /999/);
  });
});

describe('triage', () => {
  test('no answer yet blocks; no sign ticked lets the person start', () => {
    assert.equal(triage(null).blocks, true);
    assert.deepEqual(triage(screen([])), { level: 'clear', blocks: false, open: [], mention: [] });
  });

  test('each urgency leads to its own screen, the most urgent first', () => {
    assert.equal(triage(screen(['saddle'])).level, 'ambulance');
    assert.equal(triage(screen(['chest-pain', 'night-pain'])).level, 'ambulance');
    assert.equal(triage(screen(['fever-unwell'])).level, 'today');
    assert.equal(triage(screen(['night-pain', 'legs-unsteady'])).level, 'today');
    assert.equal(triage(screen(['cancer-weight'])).level, 'before');
    for (const s of SIGNS) assert.equal(triage(screen([s.id])).level, s.urgency, s.id);
  });

  test('the inflammatory pattern is mentioned and never blocks', () => {
    const result = triage(screen(['inflammatory']));
    assert.equal(result.blocks, false);
    assert.deepEqual(result.mention.map((s) => s.id), ['inflammatory']);
    assert.equal(triage(screen(['inflammatory', 'new-age'])).level, 'before');
  });

  test('a clinician’s check lets the person go on with the sign still ticked', () => {
    const checked = clearedOn(screen(['bones-steroids', 'new-age']), '2026-11-20', NOW);
    assert.deepEqual(checked.signs, ['bones-steroids', 'new-age']);
    assert.equal(checked.cleared_on, '2026-11-20');
    assert.equal(triage(checked).blocks, false);
    // A sign ticked after the check is not covered by it.
    const more = { ...checked, signs: [...checked.signs, 'fever-unwell'] };
    assert.equal(triage(more).level, 'today');
    assert.deepEqual(triage(more).open.map((s) => s.id), ['fever-unwell']);
  });

  test('unknown ids are dropped from an answer', () => {
    assert.deepEqual(answered(['saddle', 'nonsense'], { now: NOW }).signs, ['saddle']);
  });
});

describe('asked again', () => {
  const at = (days) => new Date(Date.parse(NOW) + days * 86_400_000).toISOString();

  test('the first time, at a new plan cycle, and after symptoms spread', () => {
    const s = { ...screen([]), cycle: 1 };
    assert.equal(dueAgain(null, { now: NOW }), 'first');
    assert.equal(dueAgain(s, { cycle: 1, now: at(20) }), null);
    assert.equal(dueAgain(s, { cycle: 2, now: at(20) }), 'cycle');
    assert.equal(dueAgain({ ...s, cycle: 2 }, { cycle: 2, now: at(20) }), null);
    assert.equal(dueAgain(s, { cycle: 1, spreadAt: at(1), now: at(2) }), 'spread');
    assert.equal(dueAgain(s, { cycle: 1, spreadAt: at(-1), now: at(2) }), null, 'a spread before the answer');
  });

  test('without a plan, once a cycle’s weeks have passed; with the plan not known yet, not on time', () => {
    const s = screen([]);
    assert.equal(dueAgain(s, { cycle: null, now: at(CYCLE_WEEKS * 7 - 1) }), null);
    assert.equal(dueAgain(s, { cycle: null, now: at(CYCLE_WEEKS * 7) }), 'cycle');
    assert.equal(dueAgain(s, { cycle: undefined, now: at(CYCLE_WEEKS * 7) }), null);
  });

  test('the last spread comes from a check-in or an exercise', () => {
    const checkins = [{ symptoms_spread: true, updated_at: at(1) }, { symptoms_spread: false, updated_at: at(5) }];
    const sessions = [
      { ended_at: at(3), exercises: [{ symptoms_spread: true }] },
      { ended_at: at(4), exercises: [{ symptoms_spread: false }] },
    ];
    assert.equal(lastSpread(checkins, sessions), at(3));
    assert.equal(lastSpread(checkins, []), at(1));
    assert.equal(lastSpread([], []), null);
  });

  test('history stays ticked with its check; symptoms of now are asked afresh', () => {
    const checked = clearedOn(screen(['both-legs', 'bones-steroids', 'inflammatory']), '2026-11-20', NOW);
    assert.deepEqual(carriedOver(checked), {
      signs: ['bones-steroids', 'inflammatory'], cleared_on: '2026-11-20', cleared_signs: ['bones-steroids', 'inflammatory'],
    });
    assert.deepEqual(carriedOver(screen(['saddle'])), { signs: [], cleared_on: null, cleared_signs: [] });
  });

  test('the mornings symptoms spread are counted, once a day', () => {
    const days = ['2026-11-30', '2026-11-29', '2026-11-29', '2026-11-10'].map((day) => ({ day, symptoms_spread: true }));
    assert.equal(spreadMornings(days, '2026-11-17', '2026-11-30'), 2);
    assert.equal(spreadMornings(days, '2026-11-01', '2026-11-30'), 3);
    assert.equal(spreadMornings([{ day: '2026-11-30', symptoms_spread: false }], '2026-11-17', '2026-11-30'), 0);
  });

  test('of the device’s and the account’s answers, the newer stands', () => {
    const old = screen([]);
    const later = { ...screen(['saddle']), updated_at: at(1) };
    assert.equal(newer(old, later), later);
    assert.equal(newer(later, old), later);
    assert.equal(newer(null, old), old);
    assert.equal(newer(null, null), null);
  });
});
