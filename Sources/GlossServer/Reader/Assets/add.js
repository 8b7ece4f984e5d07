/**
 * The add view (`/add`): save an article from a URL, pasted text, or a file read here; and make
 * a capture token for the bookmarklet, which saves the page you are on from any site.
 */
import { h, replace, when, flash, announce } from './dom.js';
import { get, send } from './api.js';

/** Draws the add forms and the capture tokens; returns `{node, title, live: false}`. */
export async function addView() {
  const { tokens } = await get('/api/v1/capture-tokens').catch(() => ({ tokens: [] }));
  const outcome = h('div', { id: 'add-outcome', role: 'status', 'aria-live': 'polite' });

  const urlForm = h('form', { id: 'add-url', class: 'stack' },
    h('h2', {}, 'From a link'),
    h('label', { for: 'add-url-input' }, 'Address of the page'),
    h('input', { id: 'add-url-input', name: 'url', type: 'url', required: true, placeholder: 'https://…' }),
    h('button', { type: 'submit' }, 'Fetch and save'));
  const textForm = h('form', { id: 'add-text', class: 'stack' },
    h('h2', {}, 'From text'),
    h('label', { for: 'add-text-title' }, 'Title (optional)'),
    h('input', { id: 'add-text-title', name: 'title', type: 'text' }),
    h('label', { for: 'add-text-body' }, 'Text'),
    h('textarea', { id: 'add-text-body', name: 'text', rows: '8', required: true }),
    h('button', { type: 'submit' }, 'Save text'));
  const fileForm = h('form', { id: 'add-file', class: 'stack' },
    h('h2', {}, 'From a file'),
    h('label', { for: 'add-file-input' }, 'An HTML, Markdown or text file'),
    h('input', { id: 'add-file-input', name: 'file', type: 'file', required: true, accept: '.html,.htm,.md,.markdown,.txt,text/html,text/markdown,text/plain' }),
    h('button', { type: 'submit' }, 'Upload and save'));

  submitter(urlForm, outcome, () => ({ url: urlForm.elements.url.value.trim() }));
  submitter(textForm, outcome, () => {
    const title = textForm.elements.title.value.trim();
    return { text: textForm.elements.text.value, ...(title ? { title } : {}) };
  });
  submitter(fileForm, outcome, async () => {
    const file = fileForm.elements.file.files[0];
    const kind = /\.html?$/i.test(file.name) || file.type === 'text/html' ? 'html'
      : /\.(md|markdown)$/i.test(file.name) ? 'markdown' : 'text';
    return { [kind]: await file.text(), filename: file.name };
  });

  return {
    title: 'Add',
    live: false,
    node: h('div', { class: 'add' }, h('h1', {}, 'Add an article'), outcome, urlForm, textForm, fileForm, captureSection(tokens)),
  };
}

/** Wires `form` to POST `body()` to /api/v1/articles and show the outcome with a link. */
function submitter(form, outcome, body) {
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    outcome.replaceChildren(h('p', {}, 'Saving…'));
    try {
      const { article, created } = await send('POST', '/api/v1/articles', await body());
      replace(outcome, h('p', { class: 'ok' }, created ? 'Saved: ' : 'Already in your library: ',
        h('a', { href: '/articles/' + encodeURIComponent(article.id) }, article.title || 'Untitled')));
      form.reset();
    } catch (error) {
      replace(outcome, h('p', { class: 'error' }, 'Not saved: ', error.message));
      flash(error.message);
    } finally {
      button.disabled = false;
    }
  });
}

function captureSection(tokens) {
  const place = h('div', { id: 'bookmarklet-place' });
  const list = h('ul', { class: 'tokens' }, tokens.map(tokenItem));
  const make = h('button', { type: 'button', id: 'new-capture-token' }, 'Make a bookmarklet');
  make.addEventListener('click', async () => {
    make.disabled = true;
    try {
      const { token, id, endpoint } = await send('POST', '/api/v1/capture-tokens');
      const link = h('a', { id: 'bookmarklet', href: bookmarklet(endpoint, token), draggable: 'true' }, 'Save to Gloss');
      link.addEventListener('click', event => {
        event.preventDefault();
        announce('Drag the link to your bookmarks bar; it works from other sites.');
      });
      replace(place,
        h('p', {}, 'Drag this link to your bookmarks bar: ', link),
        h('p', { class: 'muted' }, 'On any page, click the bookmark to save that page to Gloss. The link holds a capture token that can only save pages; keep it to yourself. Revoke it below if it leaks.'));
      link.focus();
      list.prepend(tokenItem({ id, name: 'bookmarklet (new)', createdAt: Date.now() }));
    } catch (error) { flash(error.message); }
    finally { make.disabled = false; }
  });
  return h('section', { class: 'capture', 'aria-labelledby': 'capture-heading' },
    h('h2', { id: 'capture-heading' }, 'Bookmarklet'),
    h('p', {}, 'Save pages from your browser with one click, including pages behind a sign-in.'),
    make, place,
    tokens.length ? h('h3', {}, 'Capture tokens') : null, list);
}

function tokenItem(t) {
  const revoke = h('button', { type: 'button', class: 'quiet', 'aria-label': `Revoke capture token ${t.name || t.id}` }, 'Revoke');
  const li = h('li', { dataset: { id: t.id } }, `${t.name || t.id} · made ${when(t.createdAt)} `, revoke);
  revoke.addEventListener('click', async () => {
    try {
      await send('DELETE', '/api/v1/capture-tokens/' + encodeURIComponent(t.id));
      li.remove();
      announce('Capture token revoked');
    } catch (error) { flash(error.message); }
  });
  return li;
}

/**
 * The bookmarklet: a javascript: URL holding `endpoint` and `token`, relying on nothing of
 * Gloss's origin. It POSTs the page with fetch and the Bearer token; when fetch is blocked
 * (the page's CSP) or fails to connect, it falls back to a form POST into a new tab.
 */
export function bookmarklet(endpoint, token) {
  const source = `(function(){
var E=${JSON.stringify(endpoint)},T=${JSON.stringify(token)},d=document,u=location.href,x=d.documentElement.outerHTML;
function viaForm(){var f=d.createElement('form');f.method='post';f.action=E;f.target='_blank';f.acceptCharset='utf-8';
[['token',T],['url',u],['html',x]].forEach(function(p){var i=d.createElement('input');i.type='hidden';i.name=p[0];i.value=p[1];f.appendChild(i);});
(d.body||d.documentElement).appendChild(f);f.submit();f.remove();}
try{fetch(E,{method:'POST',headers:{'Authorization':'Bearer '+T,'Content-Type':'application/json'},body:JSON.stringify({url:u,html:x,title:d.title})})
.then(function(r){return r.json().then(function(j){if(!r.ok)throw new Error(j&&j.error&&j.error.message||('status '+r.status));
alert((j.created?'Saved to Gloss: ':'Already in Gloss: ')+j.link);},function(){throw new Error('status '+r.status);});},function(){viaForm();throw 0;})
.catch(function(e){if(e!==0)alert('Gloss did not save this page: '+e.message);});}catch(e){viaForm();}})();`;
  return 'javascript:' + encodeURIComponent(source.replace(/\n/g, ''));
}
