import { test } from 'node:test';
import assert from 'node:assert/strict';

import { EQUIPMENT, canDo, clean, name, needsWords } from '../../web/static/js/screens/catalogue.js';

test('the list is the catalogue\'s, in the order the boxes show it', () => {
  assert.deepEqual(EQUIPMENT, ['mat', 'wall', 'chair', 'step', 'dowel', 'band', 'weight', 'bike']);
});

test('clean keeps known items once each, in the fixed order', () => {
  const cases = [
    [['chair', 'mat', 'mat'], ['mat', 'chair']],
    [['weight', 'trampoline'], ['weight']],
    [[], []],
    [null, []],
    ['mat', ['mat']],
  ];
  for (const [given, expected] of cases) assert.deepEqual(clean(given), expected, JSON.stringify(given));
});

test('an exercise can be done when everything it needs is had', () => {
  const cases = [
    [[], [], true],
    [['mat'], [], false],
    [['mat'], ['mat', 'chair'], true],
    [['step', 'weight'], ['weight'], false],
    [['step', 'weight'], ['weight', 'step'], true],
  ];
  for (const [needs, have, expected] of cases) assert.equal(canDo({ equipment: needs }, have), expected);
});

test('what an exercise needs, in words', () => {
  assert.equal(needsWords({ equipment: [] }), 'Needs: the floor.');
  assert.equal(needsWords({ equipment: ['mat'] }), 'Needs: mat.');
  assert.equal(needsWords({ equipment: ['step', 'weight'] }), 'Needs: step or box, kettlebell or dumbbell.');
  assert.equal(name('chair'), 'chair');
  assert.equal(needsWords({ equipment: ['bike'] }), 'Needs: exercise bike.');
});
