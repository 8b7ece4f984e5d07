// Unit tests for the reader's selection ↔ stored-offset mapping (Sources/GlossServer/Reader/Assets/offsets.js).
// Run: node --test Tests/Browser/offsets.test.mjs
// offsets.js only needs a few DOM features; this file fakes exactly those: text and element
// nodes, querySelectorAll('span[data-start]'), contains, matches, and Range.comparePoint in
// document order.
import { test } from 'node:test';
import assert from 'node:assert/strict';

class FakeText {
  constructor(data) { this.data = data; this.nodeType = 3; this.parentElement = null; }
  get textContent() { return this.data; }
}
class FakeElement {
  constructor(tag, attrs = {}, children = []) {
    this.tag = tag; this.nodeType = 1; this.dataset = { ...attrs }; this.childNodes = []; this.parentElement = null;
    for (const c of children) this.append(typeof c === 'string' ? new FakeText(c) : c);
  }
  append(child) { child.parentElement = this; this.childNodes.push(child); }
  get textContent() { return this.childNodes.map(c => c.textContent).join(''); }
  matches(selector) { return selector === 'span[data-start]' && this.tag === 'span' && 'start' in this.dataset; }
  contains(node) { for (let n = node; n; n = n.parentElement) if (n === this) return true; return false; }
  *walk() { for (const c of this.childNodes) { yield c; if (c instanceof FakeElement) yield* c.walk(); } }
  querySelectorAll(selector) { return [...this.walk()].filter(n => n instanceof FakeElement && n.matches(selector)); }
}

/** A total order on boundary points: each node opens and closes once in a preorder walk. */
function positions(root) {
  const open = new Map(), close = new Map();
  let i = 0;
  (function visit(n) {
    open.set(n, i++);
    if (n instanceof FakeElement) n.childNodes.forEach(visit);
    close.set(n, i++);
  })(root);
  return (node, offset) => {
    if (node instanceof FakeText) return open.get(node) + (offset + 1) / (node.data.length + 2);
    return offset === 0 ? open.get(node) + 0.5 : close.get(node.childNodes[offset - 1]) + 0.5;
  };
}

let currentRoot = null;
globalThis.Node = { TEXT_NODE: 3 };
globalThis.document = {
  createRange() {
    const key = positions(topOf(currentRoot));
    return {
      setStart(node, offset) { this.node = node; this.offset = offset; },
      collapse() {},
      comparePoint(node, offset) { return Math.sign(key(node, offset) - key(this.node, this.offset)); },
    };
  },
};
function topOf(n) { while (n.parentElement) n = n.parentElement; return n; }

const { codePoints, pointToOffset, rangeToOffsets } = await import('../../Sources/GlossServer/Reader/Assets/offsets.js');

const span = (start, text) => new FakeElement('span', { start: String(start) }, [text]);

/** The sample page: a title outside the body; a heading; a paragraph of two lines with an emoji and a combining accent; a code block with a bare newline between its lines. */
function page() {
  const heading = new FakeElement('h2', {}, [span(3, 'First '), new FakeElement('mark', {}, [span(9, 'heading')])]);
  const para = new FakeElement('p', {}, [span(20, 'Hello 😀 world, cafe\u0301.'), new FakeElement('br'), span(42, 'Second line')]);
  const code = new FakeElement('pre', {}, [new FakeElement('code', {}, [span(60, 'let x'), '\n', span(66, 'print(x)')])]);
  const body = new FakeElement('div', {}, [heading, para, code]);
  const title = new FakeElement('h1', {}, ['Title']);
  new FakeElement('article', {}, [title, body]);
  currentRoot = body;
  return { body, title, heading, para, code };
}

const textOf = el => el.childNodes[0];

test('code points: a surrogate pair counts once, a combining mark counts on its own', () => {
  assert.equal(codePoints('a😀b'), 3);
  assert.equal(codePoints('cafe\u0301'), 5);
  assert.equal(codePoints('👨‍👩‍👧'), 5); // three people joined by two zero-width joiners
  assert.equal(codePoints('\ud83d'), 1);
  assert.equal(codePoints(''), 0);
});

test('a point in line text is the span start plus the code points before it', () => {
  const { body, para } = page();
  const line = textOf(para.childNodes[0]);
  assert.equal(pointToOffset(body, line, 0, 'forward'), 20);
  assert.equal(pointToOffset(body, line, 'Hello 😀 '.length, 'forward'), 28); // the emoji is 2 UTF-16 units, 1 code point
  assert.equal(pointToOffset(body, line, line.data.length, 'backward'), 20 + codePoints(line.data));
});

test('element boundary points resolve to the following text (starts) or preceding text (ends)', () => {
  const { body, para, heading, code } = page();
  assert.equal(pointToOffset(body, para, 0, 'forward'), 20);
  assert.equal(pointToOffset(body, para, 0, 'backward'), 16); // end of "heading" (9 + 7)
  assert.equal(pointToOffset(body, para, 1, 'forward'), 42); // after the first line: the <br>, then line 2
  assert.equal(pointToOffset(body, heading, 2, 'backward'), 16);
  const newline = code.childNodes[0].childNodes[1];
  assert.equal(pointToOffset(body, newline, 1, 'forward'), 66);
  assert.equal(pointToOffset(body, newline, 0, 'backward'), 65);
  assert.equal(pointToOffset(body, body, 0, 'backward'), null);
  assert.equal(pointToOffset(body, body, body.childNodes.length, 'forward'), null);
});

test('a range maps to {start, end}; one touching no line text maps to nothing', () => {
  const { body, title, para, code } = page();
  const range = (sn, so, en, eo) => ({
    startContainer: sn, startOffset: so, endContainer: en, endOffset: eo,
    collapsed: sn === en && so === eo, intersectsNode: () => true,
  });
  const line1 = textOf(para.childNodes[0]);
  assert.deepEqual(rangeToOffsets(body, range(line1, 9, line1, 14)), { start: 28, end: 33 });
  // From the title (outside the body) into the heading: starts at the body's first text.
  assert.deepEqual(rangeToOffsets(body, range(textOf(title), 2, para, 0)), { start: 3, end: 16 });
  // From the end of line 1 to the start of line 2 (across the <br>): nothing between them.
  assert.equal(rangeToOffsets(body, range(line1, line1.data.length, para, 2)), null);
  assert.equal(rangeToOffsets(body, range(line1, 3, line1, 3)), null);
  // Across blocks, ending on the code block's element boundary.
  assert.deepEqual(rangeToOffsets(body, range(line1, 0, code, 0)), { start: 20, end: 53 });
});
