/**
 * The reader's entry point: routes on `location.pathname` (History API; plain links are
 * intercepted, modified clicks left to the browser), draws each view into `#main`, and keeps it
 * live by polling `GET /api/v1/version` every 2 s while the tab is visible. A live redraw keeps
 * the scroll position and focus, and waits while the person is annotating or typing.
 */
import { h, replace, flash, clearFlash } from './dom.js';
import { get, logout, session } from './api.js';
import { initToolbar, isBusy, setReaderContext } from './toolbar.js';
import { initKeyboard } from './keyboard.js';
import { libraryView } from './library.js';
import { articleView } from './article.js';
import { annotationsView } from './annotations.js';
import { conflictsView } from './conflicts.js';
import { addView } from './add.js';
import { syncView } from './sync.js';
import { searchView } from './search.js';

const ROUTES = [
  [/^\/$/, q => libraryView(q)],
  [/^\/articles\/([^/]+)$/, (q, m) => articleView(decodeURIComponent(m[1]))],
  [/^\/annotations$/, q => annotationsView(q)],
  [/^\/conflicts$/, () => conflictsView()],
  [/^\/add$/, () => addView()],
  [/^\/sync$/, (q, m, live) => syncView(live)],
  [/^\/search$/, q => searchView(q)],
];
const POLL_MS = 2000;

const main = document.getElementById('main');
let renderCount = 0;
let currentView = null;
let knownVersion = null;
let refreshWanted = false;

function findRoute(pathname) {
  for (const [pattern, load] of ROUTES) {
    const m = pattern.exec(pathname);
    if (m) return { load, m };
  }
  return null;
}

/** Goes to `path` inside the app (pushState + draw). */
export function navigate(path) {
  history.pushState(null, '', path);
  render();
}

/** Draws the view for the current location. `live` keeps scroll and focus (a live update). */
async function render({ live = false } = {}) {
  const ticket = ++renderCount;
  const route = findRoute(location.pathname);
  if (!live) {
    main.dataset.state = 'loading';
    clearFlash();
    markCurrentNav();
  }
  if (!route?.m[0].startsWith('/articles/')) setReaderContext(null);
  if (!route) {
    replace(main, h('h1', {}, 'Not found'), h('p', {}, 'There is no page here. ', h('a', { href: '/' }, 'Go to the library.')));
    main.dataset.state = 'error';
    return;
  }
  try {
    const view = await route.load(new URLSearchParams(location.search), route.m, live);
    if (ticket !== renderCount) return;
    const scrollY = window.scrollY;
    const focusId = live ? document.activeElement?.id : null;
    replace(main, view.node);
    currentView = view;
    document.title = view.title ? `${view.title} · Gloss` : 'Gloss';
    main.dataset.state = 'ready';
    if (live) {
      window.scrollTo(0, scrollY);
      if (focusId) document.getElementById(focusId)?.focus({ preventScroll: true });
    } else if (location.hash) {
      showHash();
    } else {
      window.scrollTo(0, 0);
      main.focus({ preventScroll: true });
    }
  } catch (error) {
    if (ticket !== renderCount) return;
    flash(error.message);
    if (!live) {
      replace(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'muted' }, error.message));
      main.dataset.state = 'error';
    }
  }
}

/** Scrolls to and focuses the element named by the hash (`#ann-ID`). */
function showHash() {
  const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!target) return;
  target.scrollIntoView({ block: 'center' });
  target.focus({ preventScroll: true });
}

function markCurrentNav() {
  for (const a of document.querySelectorAll('nav a')) {
    const here = a.getAttribute('href') === location.pathname;
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

/** True when a live redraw would lose something: an open editor, a selection, or typed text. */
function busy() {
  if (isBusy() || currentView?.live === false) return true;
  for (const field of main.querySelectorAll('input, textarea')) {
    if (field.type !== 'file' && field.value !== field.defaultValue) return true;
  }
  return false;
}

function refreshIfIdle() {
  if (!refreshWanted || busy() || main.dataset.state === 'loading') return;
  refreshWanted = false;
  render({ live: true });
}

async function poll() {
  if (document.hidden) return;
  try {
    const { version } = await get('/api/v1/version');
    if (knownVersion !== null && version !== knownVersion) refreshWanted = true;
    knownVersion = version;
  } catch {
    return; // the next poll tries again; a 401 already went to /login
  }
  refreshIfIdle();
}

function interceptLinks(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest?.('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !findRoute(url.pathname)) return;
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return; // in-page jump
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

function start() {
  initToolbar();
  initKeyboard();
  document.addEventListener('click', interceptLinks);
  window.addEventListener('popstate', () => render());
  window.addEventListener('hashchange', showHash);
  window.addEventListener('gloss:changed', () => { refreshWanted = true; poll(); });
  window.addEventListener('gloss:idle', refreshIfIdle);
  document.addEventListener('visibilitychange', poll);
  document.querySelector('form[role=search]').addEventListener('submit', event => {
    event.preventDefault();
    const q = document.getElementById('search-input').value.trim();
    if (q) navigate('/search?q=' + encodeURIComponent(q));
  });
  document.getElementById('logout').addEventListener('click', logout);
  session().catch(() => {}); // warm the CSRF token
  render();
  poll();
  setInterval(poll, POLL_MS);
}

start();
