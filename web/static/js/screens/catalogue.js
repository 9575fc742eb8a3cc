/**
 * The catalogue browser: the list with filters (and what you have), and one exercise's page.
 *
 * The words come first: the figure's modules (the drawing, the pacer's timeline) and the
 * account's are loaded with import() when a figure is drawn or a box is ticked, so the screen
 * waits only for the few modules it shows words with (bench/offline_start.py).
 */

import { h, fill, titled } from '../dom.js';
import * as api from '../api.js';
import * as prefs from '../prefs.js';
import { doseWords, toItem } from '../prescribe.js';
import { equipmentWords } from '../outline.js';

const BREATH_WORDS = { inhale: 'Breathe in', exhale: 'Breathe out', pause: 'Short pause', breathe: 'Keep breathing', free: 'Breathe freely' };

const words = (slug) => slug.replace(/-/g, ' ');
/** What "left" and "right" mean for a one-side-at-a-time exercise (its `sides`). */
export const SIDES_WORDS = {
  lying: '“Left” and “right” name the side you lie on.',
  working: '“Left” and “right” name the side whose arm or leg does the work.',
};
const SETUP = 'setup'; // a cue on this phase is a set-up cue (docs/catalogue.md)

export const EQUIPMENT = ['mat', 'wall', 'chair', 'step', 'dowel', 'band', 'weight', 'bike'];
export const name = equipmentWords;
export const clean = (items) => EQUIPMENT.filter((e) => [].concat(items ?? []).includes(e));
export const canDo = (exercise, owned) => exercise.equipment.every((e) => owned.includes(e));
export const needsWords = ({ equipment: e }) => `Needs: ${e.map(name).join(', ') || 'the floor'}.`;
const have = () => clean(prefs.owned());

// "What do you have?", kept here and on the account.
export function haveForm(onChange) {
  const box = h('fieldset', { class: 'have' }, h('legend', {}, 'What do you have?'),
    EQUIPMENT.map((e) => h('label', {}, h('input', { type: 'checkbox', value: e, checked: have().includes(e) }), ` ${name(e)}`)));
  box.onchange = () => {
    const items = clean([...box.querySelectorAll(':checked')].map((i) => i.value));
    prefs.setEquipment(items);
    import('../account.js').then((account) => account.saveEquipment(items)).catch(() => {});
    onChange?.();
  };
  return box;
}

let stills = null; // the list's stills as they come into view: a newer list stops the older

/**
 * The cards' stills, drawn after the list is on screen and only as each card comes near the
 * view (a screen's height ahead), so the words and links come first and no pose is placed for
 * a card nobody scrolls to (the space for each still is kept, so nothing moves when it appears).
 */
function drawStills(list, exercises) {
  stills?.disconnect();
  const cards = new Map([...list.children].map((card, i) => [card, exercises[i]]));
  const watching = new IntersectionObserver((entries) => import('../figure.js').then(({ stillOf }) => {
    for (const { target, isIntersecting } of entries) {
      if (!isIntersecting || !cards.has(target)) continue;
      watching.unobserve(target);
      const still = stillOf(cards.get(target));
      cards.delete(target);
      if (still) target.prepend(still);
    }
  }), { root: document.querySelector('.scroller'), rootMargin: '100% 0px' });
  stills = watching;
  for (const card of cards.keys()) watching.observe(card);
}

/** `/exercises`: filters are kept in the address, so a filtered list can be shared or reloaded. */
export async function renderList(main, { query }) {
  const all = await api.exercises();
  const values = (pick) => [...new Set(all.flatMap(pick))].sort();
  const select = (name, label, options) => h('label', { class: 'filter' }, label,
    h('select', { name }, h('option', { value: '' }, 'All'),
      options.map((v) => h('option', { value: v, selected: query.get(name) === v }, words(v)))));
  const form = h('form', { class: 'filters', role: 'search' },
    select('pattern', 'Pattern', values((e) => [e.pattern])),
    select('quality', 'Quality', values((e) => e.qualities)));
  const count = h('p', { class: 'count', role: 'status' });
  const list = h('ul', { class: 'cards exercises' });
  const safe = h('p', { class: 'lede safe-to-bend' },
    'Bending and lifting are safe. These exercises build strength, stamina and confidence for them: capacity, not armour.');
  fill(main, h('section', { class: 'screen catalogue' }, h('h1', {}, 'Exercises'), safe, haveForm(() => show()), form, count, list));
  titled(main, 'Exercises');

  const show = async () => {
    const filters = { pattern: form.elements.pattern.value, quality: form.elements.quality.value };
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    history.replaceState(history.state, '', '/exercises' + ([...params].length ? `?${params}` : ''));
    list.setAttribute('aria-busy', 'true');
    const found = (await api.filtered(filters)).filter((e) => canDo(e, have()));
    count.textContent = `${found.length} ${found.length === 1 ? 'exercise' : 'exercises'}`;
    fill(list, found.map((e) => h('li', { class: 'card exercise', dataset: { slug: e.slug } },
      h('h2', {}, h('a', { href: `/exercises/${e.slug}` }, e.name)),
      h('p', {}, e.summary),
      h('p', { class: 'needs' }, needsWords(e)),
      h('p', { class: 'tags' },
        h('span', { class: 'tag pattern' }, words(e.pattern)),
        h('span', { class: 'tag' }, `level ${e.level}`),
        e.qualities.map((q) => h('span', { class: 'tag quality' }, words(q)))))));
    list.removeAttribute('aria-busy');
    drawStills(list, found);
  };
  form.addEventListener('change', show);
  await show();
}

/**
 * The exercise page's figure: one repetition at the exercise's tempo, looping, read from a
 * one-rep timeline with the pacer's own `at`, with the phase names under it and the current
 * one marked. With reduced motion: each phase's start and end, still, with its name. Returns
 * `{node, stop}`; null without a figure.
 *
 * The node comes with the room for each drawing kept (a box of the drawing's own size); the
 * drawings are built in the first frame's animation callback, before that frame is painted,
 * so the page's words are ready first and the figure still shows in the page's first frame.
 */
function demonstration(e) {
  if (!e.figure) return null;
  const item = { ...toItem(e, { dose: { sets: 1, reps: 1, rest_seconds: 0 } }), per_side: false };
  const label = `${e.name}, one repetition: ${e.phases.map((p) => p.name).join(', ')}`;
  const room = (className) => h('div', { class: `figure ${className}` });
  const modules = Promise.all([import('../figure.js'), import('../pacer.js'), import('../pacer-view.js')]);
  let frame = 0;
  let stopped = false;
  const stop = () => {
    stopped = true;
    cancelAnimationFrame(frame);
  };
  /** `draw(figure.js, pacer.js, pacer-view.js)` in the first frame the modules are here for. */
  const drawn = (draw) => {
    frame = requestAnimationFrame(() => modules.then(([figure, pacer, view]) => {
      if (!stopped) draw(figure, pacer, view);
    }));
  };
  if (matchMedia('(prefers-reduced-motion: reduce)').matches) {
    const frames = e.phases.map((p) => h('li', { class: 'still-pair' },
      h('div', { class: 'pair' }, room('still-frame'), room('still-frame')),
      h('span', { class: 'still-name' }, `${p.name}: start and end`)));
    const node = h('ol', { class: 'exercise-figure stills', 'aria-label': label }, frames);
    drawn(({ createFigure }) => e.phases.forEach((p, i) => {
      [...frames[i].querySelector('.pair').children].forEach((spot, k) => {
        const f = createFigure(item, { className: 'still-frame', label: `${e.name}, ${p.name}: ${k ? 'end' : 'start'}` });
        f?.stillAt(i, k);
        if (f) spot.replaceWith(f.svg);
        else node.remove();
      });
    }));
    return { node, stop };
  }
  const spot = room('demo');
  const names = e.phases.map((p) => h('li', {}, p.name));
  const node = h('div', { class: 'exercise-figure' }, spot, h('ol', { class: 'figure-phases', 'aria-label': 'Phases' }, names));
  drawn(({ createFigure }, { at, buildTimeline }, { lungLevel }) => {
    const figure = createFigure(item, { className: 'demo', label });
    if (!figure) {
      node.remove();
      return;
    }
    spot.replaceWith(figure.svg);
    const timeline = buildTimeline({ leadIn: 0, startPosition: e.position, items: [item] });
    let shown = -1;
    const t0 = performance.now();
    const tick = (now) => {
      frame = requestAnimationFrame(tick);
      const state = at(timeline, ((now - t0) / 1000) % timeline.duration);
      figure.frame(state, lungLevel(timeline, state));
      const current = state.phaseIndex ?? -1;
      if (current !== shown) {
        names[shown]?.removeAttribute('aria-current');
        names[current]?.setAttribute('aria-current', 'step');
        shown = current;
      }
    };
    tick(t0);
  });
  return { node, stop };
}

/** `/exercises/{slug}`: everything the catalogue says of one exercise, and a start button. */
export async function renderExercise(main, { params }) {
  const e = await api.exercise(params.slug);
  const link = (slug, label) => (slug
    ? h('a', { href: `/exercises/${slug}`, class: 'chain-link', dataset: { slug } }, `${label}: ${words(slug)}`)
    : null);
  const chain = h('nav', { class: 'chain', 'aria-label': 'Easier and harder versions' },
    link(e.regression, 'Easier'), link(e.progression, 'Harder'));
  const demo = demonstration(e);
  fill(main, h('article', { class: 'screen exercise-page' },
    h('p', { class: 'back' }, h('a', { href: '/exercises' }, '← All exercises')),
    h('h1', {}, e.name),
    h('p', { class: 'lede' }, e.summary),
    demo?.node,
    h('p', { class: 'tags' },
      h('span', { class: 'tag pattern' }, words(e.pattern)), h('span', { class: 'tag' }, `level ${e.level}`),
      h('span', { class: 'tag' }, words(e.position)), e.per_side ? h('span', { class: 'tag' }, 'one side at a time') : null,
      e.qualities.map((q) => h('span', { class: 'tag quality' }, words(q)))),
    h('p', { class: 'dose' }, doseWords(e)),
    h('p', { class: 'needs' }, needsWords(e)),
    e.per_side ? h('p', { class: 'sides' }, SIDES_WORDS[e.sides] ?? '') : null,
    h('a', { class: 'button primary big start-exercise', href: `/session?exercise=${e.slug}` }, 'Start this exercise'),
    h('h2', {}, 'Why it is there'),
    h('dl', { class: 'why' },
      h('dt', {}, 'Purpose'), h('dd', {}, e.purpose),
      h('dt', {}, 'Why it helps'), h('dd', {}, e.protects),
      h('dt', {}, 'Prepares for'), h('dd', {}, e.prepares_for)),
    h('h2', {}, 'Getting into position'),
    h('ul', { class: 'cue-list setup-cues' }, e.cues.filter((c) => c.phase === SETUP).map((c) => h('li', {}, c.text))),
    h('h2', {}, 'Phases'),
    h('ol', { class: 'phases' }, e.phases.map((p) => h('li', { class: `phase breath-${p.breath}` },
      h('span', { class: 'phase-breath' }, BREATH_WORDS[p.breath]),
      h('span', { class: 'phase-movement' }, p.movement),
      h('span', { class: 'phase-seconds' }, `${p.seconds} s`)))),
    h('h2', {}, 'Cues'),
    h('ul', { class: 'cue-list phase-cues' }, e.cues.filter((c) => c.phase !== SETUP)
      .map((c) => h('li', {}, c.text, h('small', {}, ` (${words(c.phase)})`)))),
    h('h2', {}, 'Easier and harder'),
    chain.children.length ? chain : h('p', {}, 'This exercise stands on its own.'),
    h('h2', {}, 'Cautions'),
    h('ul', { class: 'cautions' }, e.cautions.map((c) => h('li', {}, c))),
    h('details', { class: 'sources' }, h('summary', {}, 'Sources'), h('ul', {}, e.sources.map((s) => h('li', {}, s))))));
  titled(main, e.name);
  // Names for the chain links, once the whole catalogue is here.
  api.exercises().then((all) => {
    for (const a of chain.querySelectorAll('a[data-slug]')) {
      const found = all.find((x) => x.slug === a.dataset.slug);
      if (found) a.textContent = `${a.textContent.split(':')[0]}: ${found.name}`;
    }
  }).catch(() => {});
  return () => demo?.stop();
}
