// The signed-in user in the browser.
//
// The refresh token lives in an HttpOnly cookie (lf_session, sent only to /api/auth/session), so no
// script can read it; the short-lived access token lives only in this module's memory, never in
// storage or a cookie. Refresh tokens rotate and a second use of a rotated one signs the user out
// everywhere, so all tabs refresh one at a time under a Web Lock; they tell each other of sign-in and
// sign-out over a BroadcastChannel (which never carries a token).

const AUTH = '/api/auth/session';
const LOCK = 'liveforum-session';
const EARLY_MS = 60_000; // refresh a token expiring within this
const RETRY_MS = 15_000; // a background refresh that failed (network, 5xx) is tried again after this

let user = null;
let accessToken = null;
let expiresAt = 0;
let lifetimeMs = 0;
let refreshTimer = 0;
let refreshing = null; // the refresh in flight in this tab
let restoring = null; // the first restore(), which token() waits for
const listeners = new Set();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(LOCK) : null;

// Whether this browser may hold a session cookie (set by signIn and every refresh, cleared by sign-out and
// a refused refresh): a flag, never a token. Without it a guest's every page load would ask to refresh and
// get a 401, which browsers log to the console as an error.
const HINT = 'liveforum-signed-in';
function hint(on) {
  try {
    if (on === undefined) return localStorage.getItem(HINT) === '1';
    localStorage.setItem(HINT, on ? '1' : '0');
  } catch { /* storage disabled: always ask */ }
  return true;
}

/** One refresh at a time across tabs (a lock) and within this one (the shared promise). */
function exclusive(fn) {
  return globalThis.navigator?.locks ? navigator.locks.request(LOCK, fn) : fn();
}

function refresh() {
  refreshing ??= exclusive(refreshNow).finally(() => { refreshing = null; });
  return refreshing;
}

/** POST refresh: the user (a new access token kept), null when not signed in; rejects when it cannot tell. */
async function refreshNow() {
  const res = await fetch(AUTH + '/refresh', { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (res.ok) return adopt(await res.json());
  if (res.status === 401) {
    hint(false);
    const was = user;
    forget();
    if (was) announce('signed-out'); // the cookie is shared: every tab is signed out
    return null;
  }
  throw await failure(res);
}

/** Keeps a session answer {accessToken, expiresIn, user}; tells listeners when the user changed. */
function adopt(answer) {
  const before = user;
  hint(true);
  accessToken = answer.accessToken;
  lifetimeMs = Math.max(0, Number(answer.expiresIn) || 0) * 1000;
  expiresAt = Date.now() + lifetimeMs;
  user = answer.user ?? null;
  schedule(lifetimeMs - margin());
  if (!sameUser(before, user)) notify();
  return user;
}

function forget() {
  const before = user;
  user = null;
  accessToken = null;
  expiresAt = 0;
  clearTimeout(refreshTimer);
  if (before) notify();
}

// A token living less than two minutes (a test setting) is refreshed at half its life instead.
const margin = () => Math.min(EARLY_MS, lifetimeMs / 2);

function schedule(ms) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (!user) return;
    refresh().catch(e => {
      console.info('session: background refresh failed', e.status ?? e.message);
      if (user) schedule(RETRY_MS);
    });
  }, Math.max(1000, ms));
}

const sameUser = (a, b) => a === b || (!!a && !!b && a.id === b.id && a.username === b.username && a.role === b.role);

function notify() {
  for (const fn of listeners) {
    try {
      fn(user);
    } catch (e) {
      console.warn('session: onChange listener threw', e);
    }
  }
}

function announce(type) {
  try {
    channel?.postMessage({ type });
  } catch { /* channel closed */ }
}

if (channel) {
  channel.onmessage = ({ data }) => {
    if (data?.type === 'signed-out') forget();
    // Not restore(): this tab may not see the hint yet, as storage reaches other tabs a little later.
    else if (data?.type === 'signed-in') restoreNow();
  };
}

function restoreNow() {
  const p = refresh().catch(e => {
    console.info('session: cannot restore', e.status ?? e.message);
    return user;
  });
  restoring ??= p;
  return p;
}

/** An Error for a refused request: .status, .problem (the problem+json body or null), .retryAfter (s). */
async function failure(res) {
  let problem = null;
  try {
    const type = res.headers.get('Content-Type') || '';
    if (type.includes('json')) problem = await res.json();
  } catch { /* no body */ }
  const err = new Error(problem?.detail || problem?.title || `HTTP ${res.status}`);
  err.status = res.status;
  err.problem = problem;
  const retryAfter = Number(res.headers.get('Retry-After'));
  if (Number.isFinite(retryAfter) && res.headers.has('Retry-After')) err.retryAfter = retryAfter;
  return err;
}

async function parse(res) {
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  return (res.headers.get('Content-Type') || '').includes('json') ? JSON.parse(text) : text;
}

const IDEMPOTENCY_KEY = 'Idempotency-Key';
const WRITE_RETRIES = 1;
const UNKNOWN_OUTCOME = 'The server did not answer in time: this may or may not have been saved. Reload the page to see, before you try again.';
const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

/** A random key for one write (crypto.randomUUID exists only on HTTPS and localhost pages). */
function newKey() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
}

export const session = {
  /** On page load: signed in (the cookie) or not. Resolves to the user or null; never rejects. */
  restore() {
    if (!hint()) return Promise.resolve(null); // signed out in this browser: no cookie to refresh
    return restoreNow();
  },

  /** The current user {id, username, role}, or null. */
  get user() {
    return user;
  },

  /**
   * The access token, refreshed first when it expires within a minute; null for guests.
   * `{fresh: true}` refreshes whatever the clock says (the server refused the token).
   */
  async token({ fresh = false } = {}) {
    if (restoring) await restoring;
    if (!user) return null;
    if (fresh || Date.now() > expiresAt - margin()) {
      try {
        await refresh();
      } catch (e) {
        console.info('session: refresh failed', e.status ?? e.message);
      }
    }
    return accessToken;
  },

  /** Resolves to the user; rejects with an Error carrying .status and .problem. */
  async signIn(email, password) {
    const answer = await exclusive(async () => {
      const res = await fetch(AUTH, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      if (!res.ok) throw await failure(res);
      return res.json();
    });
    adopt(answer);
    announce('signed-in');
    return user;
  },

  /** Signs out here and in every tab; rejects (after forgetting the user) when the server could not be told. */
  async signOut() {
    let err = null;
    await exclusive(async () => {
      try {
        const res = await fetch(AUTH, { method: 'DELETE', credentials: 'same-origin' });
        if (!res.ok && res.status !== 401) err = await failure(res);
      } catch (e) {
        err = Object.assign(new Error(e.message), { status: 0, problem: null });
      }
    });
    forget();
    hint(false);
    announce('signed-out');
    if (err) throw err;
  },

  /** A new Idempotency-Key, for a write sent without api() (an upload with progress). */
  newKey,

  /** fn(user or null) whenever the user signs in or out, here or in another tab. Returns an unsubscribe. */
  onChange(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },

  /**
   * fetch for /api: the Authorization header when signed in; `body` sent as JSON (json: false sends it
   * as it is, e.g. FormData). A 401 refreshes the token once and retries. A write (any method but GET)
   * carries an Idempotency-Key, new for each call (each thing the user does), the same on its retry:
   * after a 504 (no answer in time: it may or may not have been made) or a lost connection it is sent
   * once more, after the server's Retry-After, and the server answers that repeat with the first
   * outcome rather than making the change twice. Resolves to the parsed JSON (text for other types,
   * null for 204); rejects with an Error carrying .status and .problem.
   */
  async api(path, { method = 'GET', body, headers = {}, json = true } = {}) {
    const write = method !== 'GET' && method !== 'HEAD';
    const key = write ? (headers[IDEMPOTENCY_KEY] ?? newKey()) : null;
    const send = async (fresh) => {
      const h = { Accept: 'application/json', ...headers };
      if (key) h[IDEMPOTENCY_KEY] = key;
      const token = await session.token({ fresh });
      if (token) h.Authorization = 'Bearer ' + token;
      let payload = body;
      if (json && body !== undefined) {
        h['Content-Type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      try {
        return await fetch(path, { method, headers: h, body: payload, credentials: 'same-origin' });
      } catch (e) {
        throw Object.assign(new Error(e.message), { status: 0, problem: null });
      }
    };
    const attempt = async () => {
      const res = await send(false);
      return res.status === 401 && user ? send(true) : res;
    };
    let res;
    for (let retries = 0; ; retries++) {
      try {
        res = await attempt();
        if (!key || res.status !== 504 || retries === WRITE_RETRIES) break;
        await pause(1000 * (Number(res.headers.get('Retry-After')) || 1));
      } catch (e) {
        if (!key || retries === WRITE_RETRIES) throw e;
        await pause(1000);
      }
    }
    if (!res.ok) {
      const err = await failure(res);
      // The server's words for a 504 are for programs (repeat with the same key); these are for people.
      if (res.status === 504 && err.problem) err.problem.detail = err.message = UNKNOWN_OUTCOME;
      throw err;
    }
    return parse(res);
  },
};
