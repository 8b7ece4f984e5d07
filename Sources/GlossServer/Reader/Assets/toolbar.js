/**
 * The selection toolbar (highlight, colour, note, tag for the selected passage) and the
 * annotation editor dialog (note, tags, colour, save, delete). The reader view hands over its
 * article with `setReaderContext`; `isBusy()` tells the live updater to wait while either is open.
 */
import { h, flash, announce, parseTags } from './dom.js';
import { send } from './api.js';
import { selectionOffsets } from './offsets.js';

/** Highlight colours, in toolbar order. */
export const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple', 'red', 'orange', 'gray'];

let context = null;      // {article, body, byId: Map}
let pending = null;      // the selection's {start, end} while the toolbar shows
let lastColor = 'yellow';
let toolbar = null;
let editor = null;

/** Called by the reader after each render; `null` when leaving the reader. */
export function setReaderContext(ctx) {
  context = ctx && { ...ctx, byId: new Map(ctx.annotations.map(a => [a.id, a])) };
  hideToolbar();
}

/** True while the editor is open or a selection is being annotated (live updates wait). */
export function isBusy() {
  return Boolean(editor?.open) || Boolean(toolbar && !toolbar.hidden);
}

/** The selected passage's offsets, when the selection is on the reader's text. */
export function currentSelection() {
  return context?.body?.isConnected ? selectionOffsets(context.body) : null;
}

/** The highlight that contains the current selection or the focused mark, if any. */
export function selectedHighlight() {
  const focused = document.activeElement?.closest?.('mark.hl');
  if (focused) return context?.byId.get(focused.dataset.id) ?? null;
  const sel = currentSelection();
  if (!sel || !context) return null;
  return [...context.byId.values()].find(a => a.kind === 'highlight' && a.start <= sel.start && a.end >= sel.end) ?? null;
}

function buildToolbar() {
  toolbar = h('div', { id: 'selection-toolbar', role: 'toolbar', 'aria-label': 'Annotate the selection', hidden: true },
    h('button', { type: 'button', dataset: { action: 'highlight' }, title: 'Highlight (h)' }, 'Highlight'),
    COLORS.map(c => h('button', { type: 'button', class: `swatch hl-${c}`, dataset: { color: c }, 'aria-label': `Highlight ${c}`, title: c })),
    h('button', { type: 'button', dataset: { action: 'note' }, title: 'Note (n)' }, 'Note'),
    h('button', { type: 'button', dataset: { action: 'tag' } }, 'Tag'));
  // Keep the selection when a toolbar button is pressed.
  toolbar.addEventListener('pointerdown', event => event.preventDefault());
  toolbar.addEventListener('click', event => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.color) highlightSelection(button.dataset.color);
    else if (button.dataset.action === 'highlight') highlightSelection(lastColor);
    else if (button.dataset.action === 'note') annotateSelection('note');
    else if (button.dataset.action === 'tag') annotateSelection('tags');
  });
  document.body.append(toolbar);
  document.addEventListener('selectionchange', () => {
    clearTimeout(buildToolbar.timer);
    buildToolbar.timer = setTimeout(updateToolbar, 120);
  });
  window.addEventListener('resize', updateToolbar);
}

/** Shows the toolbar near the selection when it maps to article text, hides it otherwise. */
function updateToolbar() {
  if (editor?.open) return;
  pending = currentSelection();
  if (!pending) { toolbar.hidden = true; return; }
  const rect = document.getSelection().getRangeAt(0).getBoundingClientRect();
  toolbar.hidden = false;
  const left = Math.min(rect.left, document.documentElement.clientWidth - toolbar.offsetWidth - 8);
  toolbar.style.setProperty('--top', `${Math.max(0, rect.top + window.scrollY - toolbar.offsetHeight - 8)}px`);
  toolbar.style.setProperty('--left', `${Math.max(8, left + window.scrollX)}px`);
}

/** Hides the toolbar (and forgets the selection it was for). */
export function hideToolbar() {
  pending = null;
  if (toolbar) toolbar.hidden = true;
}

/** Highlights the current selection in `color` (keyboard `h`, toolbar buttons). */
export async function highlightSelection(color = lastColor) {
  const range = pending ?? currentSelection();
  if (!range || !context) return;
  lastColor = color;
  try {
    await createHighlight(range, { color });
    document.getSelection().removeAllRanges();
    hideToolbar();
    announce(`Highlighted in ${color}`);
  } catch (error) { flash(error.message); }
}

/** Opens the editor for the selection: its existing highlight, else a new one (`focus`: 'note' | 'tags'). */
export function annotateSelection(focus = 'note') {
  const existing = selectedHighlight();
  if (existing) { hideToolbar(); return openEditor({ id: existing.id, focus }); }
  const range = pending ?? currentSelection();
  if (!range) return;
  hideToolbar();
  openEditor({ range, focus });
}

function createHighlight(range, fields) {
  const { article } = context;
  return send('POST', '/api/v1/annotations', {
    articleId: article.id, kind: 'highlight', start: range.start, end: range.end, contentHash: article.contentHash, ...fields,
  });
}

function buildEditor() {
  editor = h('dialog', { id: 'annotation-editor', 'aria-labelledby': 'editor-heading' },
    h('form', { method: 'dialog' },
      h('h2', { id: 'editor-heading' }, 'Highlight'),
      h('blockquote', { class: 'editor-quote' }),
      h('fieldset', { class: 'colors' },
        h('legend', {}, 'Colour'),
        COLORS.map(c => h('button', { type: 'button', class: `swatch hl-${c}`, dataset: { color: c }, 'aria-label': c, 'aria-pressed': 'false' }))),
      h('label', { for: 'editor-note' }, 'Note'),
      h('textarea', { id: 'editor-note', name: 'note', rows: '5' }),
      h('label', { for: 'editor-tags' }, 'Tags (comma separated)'),
      h('input', { id: 'editor-tags', name: 'tags', type: 'text', autocomplete: 'off' }),
      h('p', { class: 'editor-error', role: 'alert' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', dataset: { action: 'save' }, class: 'primary' }, 'Save'),
        h('button', { type: 'button', dataset: { action: 'delete' }, class: 'danger' }, 'Delete'),
        h('button', { type: 'button', dataset: { action: 'close' } }, 'Close'))));
  editor.addEventListener('click', event => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.color) pickColor(button.dataset.color);
    else if (button.dataset.action === 'save') saveEditor();
    else if (button.dataset.action === 'delete') deleteFromEditor();
    else if (button.dataset.action === 'close') editor.close();
  });
  editor.addEventListener('keydown', event => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); saveEditor(); }
  });
  editor.addEventListener('close', () => {
    editor.state.returnFocus?.isConnected && editor.state.returnFocus.focus();
    editor.state = {};
    window.dispatchEvent(new CustomEvent('gloss:idle'));
  });
  document.body.append(editor);
}

function pickColor(color) {
  editor.state.color = color;
  for (const b of editor.querySelectorAll('.colors button')) b.setAttribute('aria-pressed', String(b.dataset.color === color));
}

/**
 * Opens the editor: `{id}` edits an existing annotation; `{range}` a highlight yet to be made.
 * `focus` picks the field to focus ('note' or 'tags'); `returnFocus` gets focus back on close.
 */
export function openEditor({ id, range, focus = 'note', returnFocus = document.activeElement }) {
  if (!context) return;
  const annotation = id ? context.byId.get(id) : null;
  if (id && !annotation) return;
  const isNote = annotation?.kind === 'note';
  editor.state = { annotation, range, returnFocus, color: annotation?.color ?? lastColor };
  editor.querySelector('#editor-heading').textContent = isNote ? 'Note on the article' : annotation ? 'Highlight' : 'New highlight';
  const quote = annotation?.quote ?? (range ? document.getSelection().toString() : '');
  const quoteEl = editor.querySelector('.editor-quote');
  quoteEl.textContent = quote;
  quoteEl.hidden = !quote;
  editor.querySelector('.colors').hidden = isNote;
  editor.querySelector('[data-action=delete]').hidden = !annotation;
  editor.elements = editor.querySelector('form').elements;
  editor.elements.note.value = annotation?.note ?? '';
  editor.elements.tags.value = (annotation?.tags ?? []).join(', ');
  pickColor(editor.state.color);
  editor.querySelector('.editor-error').textContent = '';
  if (!editor.open) editor.showModal();
  (focus === 'tags' ? editor.elements.tags : editor.elements.note).focus();
}

async function saveEditor() {
  const { annotation, range, color } = editor.state;
  const note = editor.elements.note.value;
  const tags = parseTags(editor.elements.tags.value);
  try {
    if (annotation) {
      const patch = {};
      if (note !== (annotation.note ?? '')) patch.note = note;
      if (annotation.kind !== 'note' && color !== annotation.color) patch.color = color;
      if (tags.join('\n') !== (annotation.tags ?? []).join('\n')) patch.tags = tags;
      if (Object.keys(patch).length) await send('PATCH', '/api/v1/annotations/' + encodeURIComponent(annotation.id), patch);
    } else if (range) {
      lastColor = color;
      await createHighlight(range, { color, ...(note.trim() ? { note } : {}), ...(tags.length ? { tags } : {}) });
      document.getSelection().removeAllRanges();
    }
    editor.close();
    announce('Saved');
  } catch (error) { showEditorError(error); }
}

async function deleteFromEditor() {
  const { annotation } = editor.state;
  if (!annotation) return;
  try {
    await send('DELETE', '/api/v1/annotations/' + encodeURIComponent(annotation.id));
    editor.state.returnFocus = document.getElementById('main');
    editor.close();
    announce(annotation.kind === 'note' ? 'Note deleted' : 'Highlight deleted');
  } catch (error) { showEditorError(error); }
}

/** Errors show inside the dialog (the page behind a modal dialog is inert) and in #flash. */
function showEditorError(error) {
  editor.querySelector('.editor-error').textContent = error.message;
  flash(error.message);
}

/** Closes the editor and the toolbar (Esc). */
export function closeAll() {
  if (editor?.open) editor.close();
  hideToolbar();
}

/** Builds the toolbar and editor once, at start. */
export function initToolbar() {
  buildToolbar();
  buildEditor();
  editor.state = {};
}
