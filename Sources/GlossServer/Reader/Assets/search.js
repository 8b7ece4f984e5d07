/**
 * The search view (`/search?q=…`): hits from `GET /api/v1/search`, each linking to its article
 * (annotation hits to `#ann-ID`), with matched words in `mark.match`.
 */
import { h } from './dom.js';
import { get } from './api.js';

/** Runs the query `q` and draws the hits; returns `{node, title}`. */
export async function searchView(query) {
  const q = query.get('q') ?? '';
  const input = document.getElementById('search-input');
  if (input && document.activeElement !== input) input.value = q;
  const help = h('p', { class: 'muted' }, 'Words, tag:NAME, in:notes, in:quotes, in:titles, in:text.');
  if (!q.trim()) return { title: 'Search', node: h('div', {}, h('h1', {}, 'Search'), help) };
  const { hits } = await get('/api/v1/search', { q, limit: 20 });
  return {
    title: `Search: ${q}`,
    node: h('div', { class: 'search' },
      h('h1', {}, 'Results for ', h('q', {}, q)),
      hits.length
        ? h('ol', { id: 'search-results', class: 'cards' }, hits.map(hit))
        : h('div', { class: 'empty', id: 'no-results' }, 'Nothing matched. ', help)),
  };
}

function hit(result) {
  const href = '/articles/' + encodeURIComponent(result.articleId) + (result.kind === 'annotation' ? '#ann-' + encodeURIComponent(result.id) : '');
  return h('li', { class: `hit hit-${result.kind}`, dataset: { id: result.id } },
    h('a', { class: 'title', href }, result.articleTitle || 'Untitled'),
    result.kind === 'annotation' ? h('span', { class: 'badge' }, 'annotation') : null,
    h('p', { class: 'snippet' }, (result.snippet ?? []).map(s => s.match ? h('mark', { class: 'match' }, s.text) : s.text)));
}
