/**
 * Building the page from JavaScript without innerHTML: `h('p', {class: 'x'}, 'text', child)`.
 * Text always goes in as text, so catalogue or user words can never become markup.
 */

export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** The same for SVG elements, which only draw when made in the SVG namespace. */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS('http://www.w3.org/2000/svg', tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Back to the top of the content (it scrolls in .scroller, above the tab bar). */
export const toTop = () => document.querySelector('.scroller')?.scrollTo(0, 0);

/** Set the document title and move focus to the new screen's heading, for screen readers. */
export function titled(main, title) {
  document.title = `${title} · Spinewise`;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

/**
 * A row of choice buttons that is one radio group: one tab stop (the chosen one, else the
 * first), arrow keys move and choose, Home and End go to the ends. A 0–10 scale is one control.
 */
export function choices(options, { selected, label, onPick, className = 'choices', describedBy }) {
  const group = h('div', { class: className, role: 'radiogroup', 'aria-label': label, 'aria-describedby': describedBy });
  const pick = (button, option) => {
    for (const b of buttons) {
      b.setAttribute('aria-checked', String(b === button));
      b.tabIndex = b === button ? 0 : -1;
    }
    onPick(option.value);
  };
  const buttons = options.map((option) => h('button', {
    type: 'button',
    class: 'choice',
    role: 'radio',
    'aria-checked': String(option.value === selected),
    tabindex: option.value === selected ? '0' : '-1',
    dataset: { value: String(option.value) },
    onclick: (event) => pick(event.currentTarget, option),
  }, option.label, option.hint ? h('small', {}, option.hint) : null));
  if (buttons.length && !options.some((o) => o.value === selected)) buttons[0].tabIndex = 0;
  group.addEventListener('keydown', (event) => {
    const at = buttons.indexOf(event.target);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    const to = event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1
      : step ? (at + step + buttons.length) % buttons.length : null;
    if (at < 0 || to === null) return;
    event.preventDefault();
    buttons[to].focus();
    pick(buttons[to], options[to]);
  });
  group.append(...buttons);
  return group;
}

/** A button that waits says why, in visible text that describes it; `reason` '' enables it. */
export function waitFor(button, note, reason) {
  button.disabled = Boolean(reason);
  note.textContent = reason;
  note.hidden = !reason;
  if (reason) button.setAttribute('aria-describedby', note.id);
  else button.removeAttribute('aria-describedby');
}

export function minutesSeconds(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
