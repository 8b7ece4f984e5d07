/**
 * The conflicts view (`/conflicts`): each field two replicas changed differently, with every
 * sibling value, a "Keep this" button per sibling, and a merged-text editor (text fields only:
 * not for `deleted` or `color`).
 */
import { h, when, flash, announce } from './dom.js';
import { get, send } from './api.js';

/** Loads and draws the open conflicts; returns `{node, title}`. */
export async function conflictsView() {
  const { conflicts } = await get('/api/v1/conflicts');
  return {
    title: 'Conflicts',
    node: h('div', {},
      h('h1', {}, 'Conflicts'),
      conflicts.length
        ? [h('p', { class: 'muted' }, 'These were changed differently on two replicas. Keep one value, or write the merged one.'),
           h('ul', { id: 'conflicts', class: 'cards' }, conflicts.map(conflictItem))]
        : h('p', { id: 'no-conflicts', class: 'empty' }, 'No conflicts. Every replica agrees.')),
  };
}

function conflictItem(c) {
  const shown = c.siblings.find(s => s.shown) ?? c.siblings[0];
  const href = c.articleId && '/articles/' + encodeURIComponent(c.articleId) + (c.entityType === 'annotation' ? '#ann-' + encodeURIComponent(c.entityId) : '');
  const where = href ? h('a', { href }, c.entityType === 'annotation' ? 'show in article' : 'open article') : null;
  const li = h('li', { class: 'conflict', dataset: { entity: c.entityId, field: c.field } },
    h('h2', {}, h('span', { class: 'label' }, c.label || c.shortId || c.entityId)),
    h('p', { class: 'meta' }, `${c.entityType} ${c.shortId ?? ''} · field “${c.field}” `, where),
    h('ol', { class: 'siblings' }, c.siblings.map(s =>
      h('li', { class: s.shown ? 'sibling shown' : 'sibling' },
        h('pre', { class: 'value' }, s.value ?? ''),
        h('p', { class: 'meta' }, `from ${s.replicaName || s.replica} · ${when(s.time)}${s.shown ? ' · shown now' : ''} `,
          h('button', { type: 'button', dataset: { action: 'keep', index: String(s.index) }, 'aria-label': `Keep the value from ${s.replicaName || s.replica}` }, 'Keep this'))))));
  if (c.field !== 'deleted' && c.field !== 'color') { // a merged value only makes sense for text
    const id = `merged-${c.entityId}-${c.field}`;
    li.append(h('div', { class: 'merge' },
      h('label', { for: id }, 'Or write the merged value'),
      h('textarea', { id, name: 'merged', rows: '4' }, shown?.value ?? ''),
      h('button', { type: 'button', dataset: { action: 'save-merged' } }, 'Save merged')));
  }
  li.addEventListener('click', async event => {
    const button = event.target.closest('button');
    if (!button) return;
    const body = { entityId: c.entityId, field: c.field };
    if (button.dataset.action === 'keep') body.keep = Number(button.dataset.index);
    else if (button.dataset.action === 'save-merged') body.value = li.querySelector('textarea[name=merged]').value;
    else return;
    for (const b of li.querySelectorAll('button')) b.disabled = true;
    try {
      await send('POST', '/api/v1/conflicts/resolve', body);
      const textarea = li.querySelector('textarea');
      if (textarea) textarea.defaultValue = textarea.value; // let the live redraw replace it
      announce('Conflict resolved');
    } catch (error) {
      for (const b of li.querySelectorAll('button')) b.disabled = false;
      flash(error.message);
    }
  });
  return li;
}
