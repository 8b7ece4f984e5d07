/**
 * A tiny element builder and the page-wide message areas.
 *
 * `h(tag, attrs, ...children)` builds elements with createElement/textContent only: strings
 * become text nodes, never markup, so untrusted text (titles, notes, snippets, errors) is safe.
 */

/**
 * Builds an element. `attrs`: `class`, `text`, `on<event>` (a listener), `dataset` (object),
 * booleans (`hidden`, `disabled`: set when true) and any other attribute (set when not
 * null/undefined/false). Children may be nodes, strings, numbers, arrays or null (skipped).
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, '');
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (nodes, strings, arrays; null skipped) to `el`. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Removes every child of `el` and appends `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** A short local date and time for milliseconds since 1970. */
export function when(ms) {
  if (ms === null || ms === undefined) return '';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Shows an error (or any message needing attention) in `#flash`, role=alert. */
export function flash(message) {
  const el = document.getElementById('flash');
  if (!el) return;
  replace(el, h('span', { text: message }),
    h('button', { type: 'button', class: 'quiet', 'aria-label': 'Dismiss message', onclick: () => el.replaceChildren() }, '×'));
}

/** Clears `#flash`. */
export function clearFlash() {
  document.getElementById('flash')?.replaceChildren();
}

/** Announces a quiet outcome ("Highlight saved") to screen readers through `#status`. */
export function announce(message) {
  const el = document.getElementById('status');
  if (el) el.textContent = message;
}

/** Splits "a, b ,c" into ["a","b","c"] (no empties, no duplicates). */
export function parseTags(text) {
  return [...new Set(text.split(',').map(t => t.trim()).filter(Boolean))];
}

/** A list of tag links `a.tag[href="PAGE?tag=NAME"]` (PAGE: `/` the library, or `/annotations`). */
export function tagLinks(tags, page = '/') {
  if (!tags?.length) return null;
  return h('ul', { class: 'tags', 'aria-label': 'Tags' },
    tags.map(t => h('li', {}, h('a', { class: 'tag', href: page + '?tag=' + encodeURIComponent(t) }, t))));
}
