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

/** Set the document title and move focus to the new screen's heading, for screen readers. */
export function titled(main, title) {
  document.title = `${title} · Spinewise`;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

/** A row of choice buttons behaving as one radio group (aria-pressed on the chosen one). */
export function choices(options, { selected, label, onPick, className = 'choices' }) {
  const group = h('div', { class: className, role: 'group', 'aria-label': label });
  const buttons = options.map((option) => {
    const button = h('button', {
      type: 'button',
      class: 'choice',
      'aria-pressed': String(option.value === selected),
      dataset: { value: String(option.value) },
      onclick: () => {
        for (const b of buttons) b.setAttribute('aria-pressed', String(b === button));
        onPick(option.value);
      },
    }, option.label, option.hint ? h('small', {}, option.hint) : null);
    return button;
  });
  group.append(...buttons);
  return group;
}

export function minutesSeconds(seconds) {
  const s = Math.max(0, Math.ceil(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
