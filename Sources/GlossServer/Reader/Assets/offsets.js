/**
 * The mapping between DOM selections and stored text offsets.
 *
 * Stored offsets count Unicode code points; the DOM counts UTF-16 units. Every piece of line
 * text lives in a `span[data-start]` holding one text node, so a point inside such a text node
 * maps to `data-start + codePoints(text before the point)`. Any other point (an element
 * boundary, a marker, the newline between code lines) resolves to the nearest text position:
 * the start of the following span for a range start, the end of the preceding span for a range end.
 */

/** The number of code points in `s` (a surrogate pair counts once; a lone surrogate counts once). */
export function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The stored start offset of a text span. */
export function spanStart(span) {
  return Number(span.dataset.start);
}

/** The stored end offset of a text span. */
export function spanEnd(span) {
  return spanStart(span) + codePoints(span.textContent);
}

/** The text span holding `node` inside `root`, when `node` is a text node in one. */
function textSpan(root, node) {
  if (node.nodeType !== Node.TEXT_NODE) return null;
  const span = node.parentElement;
  return span?.matches('span[data-start]') && root.contains(span) ? span : null;
}

/** The index of the first span at or after the boundary point (node, offset), by binary search. */
function firstSpanAfter(spans, node, offset) {
  const point = document.createRange();
  point.setStart(node, offset);
  point.collapse(true);
  let lo = 0, hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // comparePoint(span, 0): -1 when the span starts before the point.
    if (point.comparePoint(spans[mid], 0) < 0) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * The stored offset of the DOM point (node, offset) inside `root`, or null when there is no
 * text in that direction. `direction` is 'forward' (range starts) or 'backward' (range ends).
 */
export function pointToOffset(root, node, offset, direction) {
  const span = textSpan(root, node);
  if (span) return spanStart(span) + codePoints(node.data.slice(0, offset));
  const spans = [...root.querySelectorAll('span[data-start]')];
  const i = firstSpanAfter(spans, node, offset);
  if (direction === 'forward') return i < spans.length ? spanStart(spans[i]) : null;
  return i > 0 ? spanEnd(spans[i - 1]) : null;
}

/**
 * The stored `{start, end}` covered by a DOM Range, or null when the range touches no line
 * text inside `root` (collapsed, outside, or only on markers and gaps).
 */
export function rangeToOffsets(root, range) {
  if (!range || range.collapsed || !range.intersectsNode(root)) return null;
  const start = pointToOffset(root, range.startContainer, range.startOffset, 'forward');
  const end = pointToOffset(root, range.endContainer, range.endOffset, 'backward');
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

/** The stored offsets of the document's current selection inside `root`, or null. */
export function selectionOffsets(root) {
  const selection = document.getSelection();
  if (!root || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  return rangeToOffsets(root, selection.getRangeAt(0));
}
