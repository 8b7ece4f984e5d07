/**
 * The reader view (`/articles/ID`): the article's blocks rendered as text spans carrying their
 * stored start offset (`span[data-start]`), split at highlight boundaries, with each highlight's
 * passage wrapped in `mark.hl.hl-COLOR[data-id]`; then the notes on the whole article, the
 * orphaned highlights, and the article's tags.
 */
import { h, append, when, tagLinks, parseTags, flash, announce } from './dom.js';
import { get, send } from './api.js';
import { codePoints } from './offsets.js';
import { setReaderContext, openEditor } from './toolbar.js';
import { navigate } from './app.js';

/** Loads and draws article `id`; returns `{node, title}` for the router. */
export async function articleView(id) {
  const data = await get('/api/v1/articles/' + encodeURIComponent(id));
  const { article } = data;
  const highlights = data.annotations.filter(a => Number.isFinite(a.start) && Number.isFinite(a.end) && a.end > a.start);
  const body = h('div', { id: 'article-body', class: 'prose' }, renderBlocks(data.blocks, highlights));
  body.addEventListener('click', event => {
    const mark = event.target.closest('mark.hl');
    if (mark && document.getSelection().isCollapsed) openEditor({ id: mark.dataset.id, returnFocus: mark });
  });
  body.addEventListener('keydown', event => {
    const mark = event.target.closest?.('mark.hl');
    if (mark && event.key === 'Enter') { event.preventDefault(); openEditor({ id: mark.dataset.id, returnFocus: mark }); }
  });
  setReaderContext({ article, body, annotations: [...data.annotations, ...data.notes, ...data.orphans] });

  const node = h('article', { id: 'reader' },
    h('header', { class: 'article-head' },
      h('h1', { id: 'title' }, article.title || 'Untitled'),
      h('p', { class: 'meta' }, metaLine(article)),
      article.url ? h('p', { class: 'source' }, webLink(article.url)) : null),
    body,
    notesSection(article, data.notes),
    orphansSection(data.orphans),
    articleTools(article));
  return { node, title: article.title };
}

/** A link to `url` when it is a web address; any other (a `javascript:` one a file or a peer
 * could carry) is shown as text, never made a link. */
function webLink(url) {
  return /^https?:\/\//i.test(url) ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, url) : h('span', {}, url);
}

function metaLine(article) {
  const parts = [article.byline, article.site, article.published, `${article.words ?? 0} words`, 'saved ' + when(article.savedAt)];
  return parts.filter(Boolean).join(' · ');
}

/** Renders blocks into DOM nodes; consecutive list items become (nested) ul/ol lists. Each
 * highlight's note is shown below the block where the highlight ends. */
function renderBlocks(blocks, highlights) {
  const out = [];
  const notesAfter = notesByBlock(blocks, highlights);
  let lists = []; // stack of {el, ordered} for the list being built, depth 0 first
  for (const [index, block] of blocks.entries()) {
    const notes = noteCards(notesAfter.get(index));
    if (block.type !== 'item') { lists = []; out.push(renderBlock(block, highlights)); if (notes) out.push(notes); continue; }
    const depth = Math.max(0, block.depth ?? 0);
    const ordered = /^\d/.test(block.marker ?? '');
    while (lists.length > depth + 1) lists.pop();
    if (lists.length === depth + 1 && lists[depth].ordered !== ordered) lists.pop();
    while (lists.length < depth + 1) {
      const el = h(ordered ? 'ol' : 'ul');
      const parent = lists.at(-1)?.el.lastElementChild ?? lists.at(-1)?.el;
      if (parent) parent.append(el); else out.push(el);
      lists.push({ el, ordered });
    }
    const li = append(h('li'), lineNodes(block.lines, highlights, () => h('br')));
    if (notes) li.append(notes);
    const number = parseInt(block.marker, 10);
    if (ordered && Number.isFinite(number)) li.value = number;
    lists[depth].el.append(li);
  }
  return out;
}

/** For each block index, the highlights with a note that end in it (or in the gap after it). */
function notesByBlock(blocks, highlights) {
  const starts = blocks.map(b => b.lines?.[0]?.start ?? Infinity);
  const byBlock = new Map();
  for (const a of highlights) {
    if (!a.note) continue;
    let index = 0;
    while (index + 1 < starts.length && starts[index + 1] <= a.end - 1) index++;
    byBlock.set(index, [...(byBlock.get(index) ?? []), a]);
  }
  return byBlock;
}

/** The notes of some highlights, as cards that open the highlight's editor. */
function noteCards(highlights) {
  if (!highlights?.length) return null;
  return h('aside', { class: 'hl-notes', 'aria-label': 'Notes on the highlights above' }, highlights.map(a =>
    h('p', { class: `hl-note hl-edge-${a.color || 'yellow'}`, dataset: { for: a.id } },
      h('span', { class: 'note-text' }, a.note),
      ' ', h('button', { type: 'button', class: 'quiet', 'aria-label': 'Edit this note',
                        onclick: e => openEditor({ id: a.id, returnFocus: e.currentTarget }) }, 'Edit'))));
}

function renderBlock(block, highlights) {
  const lines = block.lines ?? [];
  switch (block.type) {
    case 'heading': {
      const level = Math.min(6, Math.max(2, block.level ?? 2));
      return append(h('h' + level), lineNodes(lines, highlights, () => h('br')));
    }
    case 'quote': return h('blockquote', {}, append(h('p'), lineNodes(lines, highlights, () => h('br'))));
    case 'code': return h('pre', {}, append(h('code'), lineNodes(lines, highlights, () => '\n')));
    case 'row': return append(h('p', { class: 'row' }), lineNodes(lines, highlights, () => h('span', { class: 'cell-gap', 'aria-hidden': 'true' }, ' | ')));
    default: return append(h('p'), lineNodes(lines, highlights, () => h('br')));
  }
}

/** The nodes of several lines, with `separator()` between them. */
function lineNodes(lines, highlights, separator) {
  return lines.flatMap((line, i) => [i > 0 ? separator() : null, ...lineSegments(line, highlights)]);
}

/**
 * One line split at every highlight boundary inside it: each piece is a `span[data-start]`,
 * wrapped in one mark per highlight covering it (the longest outermost).
 */
function lineSegments(line, highlights) {
  const chars = Array.from(line.text);
  const lineStart = line.start, lineEnd = line.start + chars.length;
  const covering = highlights.filter(a => a.start < lineEnd && a.end > lineStart);
  const cuts = new Set([lineStart, lineEnd]);
  for (const a of covering) {
    if (a.start > lineStart) cuts.add(a.start);
    if (a.end < lineEnd) cuts.add(a.end);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const nodes = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const from = points[i], to = points[i + 1];
    let node = h('span', { dataset: { start: String(from) } }, chars.slice(from - lineStart, to - lineStart).join(''));
    const here = covering.filter(a => a.start <= from && a.end >= to).sort((x, y) => (x.end - x.start) - (y.end - y.start));
    for (const a of here) node = markFor(a, from, node);
    nodes.push(node);
  }
  if (chars.length === 0) nodes.push(h('span', { dataset: { start: String(lineStart) } }));
  return nodes;
}

/** The mark for highlight `a` around `child`; the mark at the highlight's start is its focus target. */
function markFor(a, from, child) {
  const first = from === a.start;
  const label = (a.note ? 'Highlight with note' : 'Highlight') + (a.tags?.length ? ', tags ' + a.tags.join(', ') : '');
  return h('mark', {
    class: `hl hl-${a.color || 'yellow'}${a.note ? ' has-note' : ''}`,
    dataset: { id: a.id },
    id: first ? 'ann-' + a.id : null,
    tabindex: first ? '0' : null,
    title: first ? (a.note || label) : null,
  }, child);
}

function notesSection(article, notes) {
  const form = h('form', { class: 'add-note' },
    h('label', { for: 'new-article-note' }, 'Add a note on this article'),
    h('textarea', { id: 'new-article-note', name: 'article-note', rows: '3' }),
    h('button', { type: 'submit' }, 'Add note'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const text = form.elements['article-note'].value.trim();
    if (!text) return;
    try {
      await send('POST', '/api/v1/annotations', { articleId: article.id, kind: 'note', note: text });
      form.reset();
      announce('Note added');
    } catch (error) { flash(error.message); }
  });
  return h('section', { id: 'article-notes', 'aria-labelledby': 'notes-heading' },
    h('h2', { id: 'notes-heading' }, 'Notes'),
    notes.length ? h('ul', { class: 'notes' }, notes.map(n =>
      h('li', { dataset: { id: n.id }, id: 'ann-' + n.id, tabindex: '-1' },
        h('p', { class: 'note-text' }, n.note ?? ''),
        tagLinks(n.tags, '/annotations'),
        h('p', { class: 'meta' }, when(n.modifiedAt),
          ' ', h('button', { type: 'button', class: 'quiet', onclick: e => openEditor({ id: n.id, returnFocus: e.currentTarget }) }, 'Edit'))))) : null,
    form);
}

function orphansSection(orphans) {
  if (!orphans.length) return null;
  return h('section', { id: 'orphans', 'aria-labelledby': 'orphans-heading' },
    h('h2', { id: 'orphans-heading' }, 'Highlights no longer in the text'),
    h('p', { class: 'muted' }, 'The article changed; these passages were not found in the new text.'),
    h('ul', {}, orphans.map(o =>
      h('li', { dataset: { id: o.id }, id: 'ann-' + o.id, tabindex: '-1', class: `orphan hl-edge-${o.color || 'yellow'}` },
        h('blockquote', {}, o.quote ?? ''),
        o.note ? h('p', { class: 'note-text' }, o.note) : null,
        h('button', { type: 'button', class: 'quiet', onclick: e => openEditor({ id: o.id, returnFocus: e.currentTarget }) }, 'Edit')))));
}

function articleTools(article) {
  const tags = h('form', { class: 'inline-form' },
    h('label', { for: 'article-tags' }, 'Tags (comma separated)'),
    h('input', { id: 'article-tags', name: 'tags', type: 'text', value: (article.tags ?? []).join(', ') }),
    h('button', { type: 'submit' }, 'Save tags'));
  tags.addEventListener('submit', async event => {
    event.preventDefault();
    try {
      const input = tags.elements.tags;
      await send('PUT', `/api/v1/articles/${encodeURIComponent(article.id)}/tags`, { tags: parseTags(input.value) });
      input.defaultValue = input.value; // saved: no longer holds a live redraw back
      announce('Tags saved');
    } catch (error) { flash(error.message); }
  });
  const remove = h('button', { type: 'button', class: 'danger', id: 'delete-article' }, 'Delete article');
  remove.addEventListener('click', async () => {
    if (!confirm(`Delete “${article.title}” from the library?`)) return;
    try {
      await send('DELETE', '/api/v1/articles/' + encodeURIComponent(article.id));
      navigate('/');
      announce('Article deleted');
    } catch (error) { flash(error.message); }
  });
  return h('footer', { class: 'article-tools' }, tagLinks(article.tags), tags, remove);
}
