/**
 * The annotations view (`/annotations?color=C&tag=T&kind=K`): every highlight and note, newest
 * first, each linking into the reader at `#ann-ID`; filters live in the URL so they can be shared.
 */
import { h, when, tagLinks, flash } from './dom.js';
import { get } from './api.js';
import { COLORS } from './toolbar.js';
import { navigate } from './app.js';

/** Loads and draws the annotations for the query's filters; returns `{node, title}`. */
export async function annotationsView(query) {
  const filters = { color: query.get('color') ?? '', tag: query.get('tag') ?? '', kind: query.get('kind') ?? '' };
  const page = await get('/api/v1/annotations', { ...filters, limit: 100 });
  const list = h('ul', { id: 'annotations', class: 'cards' });
  const more = h('p', { class: 'more' });
  showPage(list, more, page, filters);
  return {
    title: 'Annotations',
    node: h('div', {},
      h('h1', {}, 'Annotations'),
      filterForm(filters),
      page.annotations.length ? null : h('p', { class: 'empty' }, 'No annotations match.'),
      list, more),
  };
}

function filterForm(filters) {
  const option = (value, label, current) => h('option', { value, selected: value === current }, label);
  const form = h('form', { class: 'filters', action: '/annotations', method: 'get' },
    h('label', {}, 'Colour ', h('select', { name: 'color' }, option('', 'Any', filters.color), COLORS.map(c => option(c, c, filters.color)))),
    h('label', {}, 'Kind ', h('select', { name: 'kind' }, option('', 'Any', filters.kind),
      option('highlight', 'Highlights', filters.kind), option('note', 'Notes', filters.kind), option('bookmark', 'Bookmarks', filters.kind))),
    h('label', {}, 'Tag ', h('input', { name: 'tag', type: 'text', value: filters.tag, size: '12' })),
    h('button', { type: 'submit' }, 'Filter'));
  const go = () => {
    const params = new URLSearchParams();
    for (const name of ['color', 'kind', 'tag']) if (form.elements[name].value) params.set(name, form.elements[name].value.trim());
    navigate('/annotations' + (params.size ? '?' + params : ''));
  };
  form.addEventListener('submit', event => { event.preventDefault(); go(); });
  form.addEventListener('change', event => { if (event.target.tagName === 'SELECT') go(); });
  return form;
}

function showPage(list, more, page, filters) {
  list.append(...page.annotations.map(item));
  more.replaceChildren();
  if (!page.next) return;
  const button = h('button', { type: 'button', id: 'older' }, 'Older annotations');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      showPage(list, more, await get('/api/v1/annotations', { ...filters, limit: 100, cursor: page.next }), filters);
    } catch (error) {
      button.disabled = false;
      flash(error.message);
    }
  });
  more.append(button);
}

function item(a) {
  const href = `/articles/${encodeURIComponent(a.articleId)}#ann-${encodeURIComponent(a.id)}`;
  return h('li', { class: `annotation kind-${a.kind}`, dataset: { id: a.id } },
    a.quote ? h('blockquote', { class: `quote hl-edge-${a.color || 'yellow'}` }, a.quote) : null,
    a.note ? h('p', { class: 'note-text' }, a.note) : null,
    tagLinks(a.tags, '/annotations'),
    h('p', { class: 'meta' }, h('a', { href }, a.articleTitle || 'Untitled'), ` · ${a.kind} · ${when(a.modifiedAt)}`));
}
