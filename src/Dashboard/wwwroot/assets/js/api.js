// Talks to the judge's HTTP API from the pages: JSON reads, POSTs with the CSRF token, the signed-in caller.

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

/** Sends the browser to the sign-in page, to come back here afterwards. */
export function toLogin() {
  if (location.pathname === '/login') return;
  location.assign(`/login?return=${encodeURIComponent(location.pathname + location.search)}`);
}

async function errorOf(response) {
  let message = `${response.status} ${response.statusText}`;
  try {
    const body = await response.json();
    if (body && typeof body.error === 'string') message = body.error;
  } catch { /* not JSON */ }
  if (response.status === 401) toLogin();
  return new ApiError(response.status, message);
}

export async function getJson(url) {
  const response = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export async function getText(url) {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw await errorOf(response);
  return response.text();
}

let caller;
/** The caller: {open, name, scopes, csrf} from GET /api/auth/me. */
export function me() {
  caller ??= getJson('/api/auth/me').then(
    value => ({ open: !!value.open, name: value.name ?? null, scopes: value.scopes ?? [], csrf: value.csrf ?? null }));
  return caller;
}

export async function can(scope) {
  return (await me()).scopes.includes(scope);
}

/** POSTs JSON with the page's CSRF token (X-Judge-CSRF); answers the parsed JSON body (or null). */
export async function postJson(url, body) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (url !== '/api/auth/login') {
    const { csrf } = await me();
    if (csrf) headers['X-Judge-CSRF'] = csrf;
  }
  const response = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw await errorOf(response);
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}
