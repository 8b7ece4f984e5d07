/**
 * The fetch wrapper for `/api/v1`: JSON in and out, the CSRF header on writes, a 401 sends the
 * person to /login, and any other failure is thrown as an Error carrying the server's message.
 * After a successful write it fires `gloss:changed` on window so the page can redraw at once.
 */

let sessionPromise = null;

/** The session (`{csrfToken, replica}`), fetched once. */
export function session() {
  sessionPromise ??= request('GET', '/api/v1/session').catch(error => { sessionPromise = null; throw error; });
  return sessionPromise;
}

/** An error from the API; `status` is the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

/** GET `path` (with `query` object appended, empty values skipped) and return the parsed JSON. */
export function get(path, query = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
  const qs = params.toString();
  return request('GET', qs ? `${path}?${qs}` : path);
}

/** A state-changing request (POST, PATCH, PUT, DELETE) with the CSRF header. */
export async function send(method, path, body) {
  let result;
  try {
    result = await request(method, path, body, { 'X-Gloss-CSRF': (await session()).csrfToken });
  } catch (error) {
    if (error.status !== 403) throw error;
    // The session may have been renewed in another tab: fetch its CSRF token once more and retry.
    sessionPromise = null;
    result = await request(method, path, body, { 'X-Gloss-CSRF': (await session()).csrfToken });
  }
  window.dispatchEvent(new CustomEvent('gloss:changed'));
  return result;
}

async function request(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError('Gloss could not reach its server. Is `gloss serve` still running?', 0);
  }
  if (response.status === 401 && !path.startsWith('/logout')) {
    const next = location.pathname + location.search + location.hash;
    location.assign('/login' + (next && next !== '/' ? '?next=' + encodeURIComponent(next) : ''));
    throw new ApiError('Your session has ended; sign in again.', 401);
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  if (!response.ok) {
    const message = data?.error?.message || `The server answered ${response.status} ${response.statusText}`.trim();
    throw new ApiError(message, response.status);
  }
  return data;
}

/** Signs out: POST /logout with the CSRF header, then go to the login page whatever happened. */
export async function logout() {
  try {
    const { csrfToken } = await session();
    await fetch('/logout', { method: 'POST', headers: { 'X-Gloss-CSRF': csrfToken }, credentials: 'same-origin', redirect: 'manual' });
  } finally {
    location.assign('/login');
  }
}
