/**
 * The library view (`/` and `/?tag=NAME`): saved articles newest first, tag filter links, and
 * an "Older" button that follows the `next` cursor.
 */
import { h, when, tagLinks, flash } from './dom.js';
import { get } from './api.js';

/** Loads and draws the library for the query (`tag`); returns `{node, title}`. */
export async function libraryView(query) {
  const tag = query.get('tag') ?? '';
  const [page, tagData] = await Promise.all([
    get('/api/v1/articles', { limit: 50, tag }),
    get('/api/v1/tags').catch(() => ({ tags: [] })),
  ]);
  const list = h('ul', { id: 'library', class: 'cards' });
  const more = h('p', { class: 'more' });
  showPage(list, more, page, tag);

  const heading = tag ? h('h1', {}, 'Tagged ', h('q', {}, tag)) : h('h1', {}, 'Library');
  const empty = page.articles.length ? null
    : h('p', { class: 'empty' }, tag ? 'No articles with this tag. ' : 'Nothing saved yet. ', h('a', { href: '/add' }, 'Add an article.'));
  return {
    title: tag ? `Tag ${tag}` : 'Library',
    node: h('div', { class: 'library' },
      heading,
      tag ? h('p', {}, h('a', { href: '/' }, 'All articles')) : null,
      tagFilter(tagData.tags, tag),
      empty, list, more),
  };
}

function showPage(list, more, page, tag) {
  list.append(...page.articles.map(articleItem));
  more.replaceChildren();
  if (!page.next) return;
  const button = h('button', { type: 'button', id: 'older' }, 'Older articles');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      showPage(list, more, await get('/api/v1/articles', { limit: 50, tag, cursor: page.next }), tag);
    } catch (error) {
      button.disabled = false;
      flash(error.message);
    }
  });
  more.append(button);
}

function articleItem(a) {
  const counts = [];
  if (a.highlights) counts.push(`${a.highlights} highlight${a.highlights === 1 ? '' : 's'}`);
  if (a.notes) counts.push(`${a.notes} note${a.notes === 1 ? '' : 's'}`);
  return h('li', { class: 'article', dataset: { id: a.id } },
    h('a', { class: 'title', href: '/articles/' + encodeURIComponent(a.id) }, a.title || 'Untitled'),
    h('p', { class: 'meta' }, [a.site, a.published, `${a.words ?? 0} words`, ...counts, 'saved ' + when(a.savedAt)].filter(Boolean).join(' · ')),
    tagLinks(a.tags));
}

function tagFilter(tags, current) {
  if (!tags?.length) return null;
  return h('nav', { class: 'tag-filter', 'aria-label': 'Filter by tag' },
    h('ul', { class: 'tags' }, tags.map(t =>
      h('li', {}, h('a', { class: 'tag', href: '/?tag=' + encodeURIComponent(t.name), 'aria-current': t.name === current ? 'page' : null },
        t.name, h('span', { class: 'count' }, ` ${t.count}`))))));
}
