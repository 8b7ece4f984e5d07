/**
 * The sync view (`/sync`): the known remotes (folders and servers) with a "Sync now" button
 * each, and the outcome (sent, received, conflicts, warnings). A new folder or server is set up
 * from the command line: the server syncs only with places this library has used.
 */
import { h, replace, when, flash } from './dom.js';
import { get, send } from './api.js';

let outcome = null; // kept across live redraws so the last sync's outcome stays on screen

/** Loads and draws the remotes; returns `{node, title}`. `live`: a redraw of the same page. */
export async function syncView(live = false) {
  const { remotes } = await get('/api/v1/remotes');
  if (!live || !outcome) outcome = h('div', { id: 'sync-outcome', role: 'status', 'aria-live': 'polite' });
  const list = h('ul', { id: 'remotes', class: 'cards' }, remotes.map(r =>
    h('li', { class: 'remote', dataset: { target: r.target } },
      h('p', { class: 'target' }, r.target),
      h('p', { class: 'meta' }, `${r.kind} · ${r.lastSync ? 'last synced ' + when(r.lastSync) : 'never synced'} `,
        h('button', { type: 'button', dataset: { action: 'sync' }, 'aria-label': `Sync now with ${r.target}` }, 'Sync now')))));
  list.addEventListener('click', event => {
    const button = event.target.closest('button[data-action=sync]');
    if (button) runSync(button.closest('li').dataset.target, outcome);
  });
  return {
    title: 'Sync',
    node: h('div', {}, h('h1', {}, 'Sync'), outcome,
      remotes.length ? list : h('p', { class: 'empty' }, 'No remotes yet.'),
      h('p', { class: 'muted' }, 'To sync with a new folder or server, run ', h('code', {}, 'gloss sync DIR-OR-URL'),
        ' once on this machine; it is listed here after.')),
  };
}

/** Syncs with `target`, showing progress and the outcome. */
async function runSync(target, outcome) {
  const buttons = document.querySelectorAll('#main button');
  buttons.forEach(b => { b.disabled = true; });
  replace(outcome, h('p', {}, 'Syncing with ', h('code', {}, target), '…'));
  try {
    const result = await send('POST', '/api/v1/sync', { target });
    const conflicts = result.conflicts?.length ?? 0;
    replace(outcome,
      h('p', { class: 'ok' }, `Synced with `, h('code', {}, target), `: sent ${result.sent}, received ${result.received}.`),
      conflicts ? h('p', {}, `${conflicts} new conflict${conflicts === 1 ? '' : 's'}. `, h('a', { href: '/conflicts' }, 'Resolve them.')) : null,
      result.warnings?.length ? h('ul', { class: 'warnings' }, result.warnings.map(w => h('li', {}, w))) : null);
  } catch (error) {
    replace(outcome, h('p', { class: 'error' }, 'Sync failed: ', error.message));
    flash(error.message);
  } finally {
    buttons.forEach(b => { b.disabled = false; });
  }
}
