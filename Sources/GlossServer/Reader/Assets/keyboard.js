/**
 * Keyboard shortcuts: `h` highlights the selection; `n` adds a note (to the selection's or the
 * focused highlight, else a new highlight, else on the whole article); `j`/`k` move focus
 * between highlights; `/` focuses search; Esc closes the toolbar and editor. Keys typed into
 * fields are left alone.
 */
import { highlightSelection, annotateSelection, closeAll, currentSelection, selectedHighlight, openEditor } from './toolbar.js';

function typing(target) {
  return target.closest?.('input, textarea, select, [contenteditable=""], [contenteditable=true], dialog[open]');
}

/** Moves focus to the next (`step` 1) or previous (-1) highlight, scrolling it into view. */
function moveBetweenHighlights(step) {
  const marks = [...document.querySelectorAll('#article-body mark.hl[tabindex="0"]')];
  if (!marks.length) return;
  const current = marks.indexOf(document.activeElement);
  let next;
  if (current >= 0) next = current + step;
  else {
    // From the reading position: the first highlight below (or last above) the viewport's top.
    const below = marks.findIndex(m => m.getBoundingClientRect().top > 1);
    next = step > 0 ? (below < 0 ? marks.length : below) : (below < 0 ? marks.length : below) - 1;
  }
  if (next < 0 || next >= marks.length) return;
  marks[next].focus({ preventScroll: true });
  marks[next].scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
}

/** Installs the document-wide shortcuts. */
export function initKeyboard() {
  document.addEventListener('keydown', event => {
    if (event.key === 'Escape') { closeAll(); return; }
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    switch (event.key) {
      case '/':
        event.preventDefault();
        document.getElementById('search-input')?.focus();
        break;
      case 'h':
        if (currentSelection()) { event.preventDefault(); highlightSelection(); }
        break;
      case 'n': {
        const existing = selectedHighlight();
        if (existing) { event.preventDefault(); openEditor({ id: existing.id, focus: 'note' }); }
        else if (currentSelection()) { event.preventDefault(); annotateSelection('note'); }
        else if (document.getElementById('new-article-note')) {
          event.preventDefault();
          document.getElementById('new-article-note').focus(); // nothing selected: a note on the article
        }
        break;
      }
      case 'j': event.preventDefault(); moveBetweenHighlights(1); break;
      case 'k': event.preventDefault(); moveBetweenHighlights(-1); break;
    }
  });
}
