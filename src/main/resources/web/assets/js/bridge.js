// The live connection: speaks the vertx event-bus bridge protocol over SockJS (the page loads
// /assets/vendor/sockjs.min.js as a classic script, which defines the global SockJS).
//
// Delivery on the bridge is at-most-once, so every channel event carries a per-channel `seq`.
// A Bridge hands each numbered event to the page exactly once and in order: it notices what it
// missed (a `subscribed` seq past the last one applied, or a skipped number) and fetches it from
// GET /api/realtime/<channel>?after=<last>. It reconnects by itself and re-registers every channel.
//
//   const bridge = new Bridge(urls, { token: () => session.token(), onState: s => ... });
//   bridge.watch('post.42', pageSeq, { event(ev) {...}, live(ev) {...}, reset() {...}, error(err) {...} });

const PING_MS = 5000; // the server closes sockets silent for bridge.pingTimeoutSeconds
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15000;
// The bridge serves no iframe, htmlfile or JSONP transport: never let sockjs-client fall back to them.
const TRANSPORTS = ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource'];
const CATCH_UP_TRIES = 4; // a catch-up failing this often (503, network) is given up: reset()

// Not numbered, not kept: presence and typing carry the channel's current seq only as a hint.
const EPHEMERAL = new Set(['presence', 'typing', 'stats']);
const RENEW = new Set(['invalid_token', 'token_expired', 'session_ended']);
// Channels with a backlog to catch up from (`stats` has none).
const NUMBERED = /^(post|board|user)\.[1-9][0-9]*$/;
const PRIVATE = /^user\./;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
// "Equal jitter": half the delay fixed, half random, so many pages dropped together do not return together.
const backoff = attempt => {
  const ms = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return ms / 2 + Math.random() * ms / 2;
};
const isSeq = v => typeof v === 'number' && Number.isFinite(v);

export class Bridge {
  #urls;
  #token;
  #onState;
  #state = null;
  #sock = null;
  #open = false;
  #next = 0; // index of the URL the next connection tries
  #attempt = 0; // failed connections since the last open one
  #retryTimer = 0;
  #pingTimer = 0;
  #sentToken = null; // the last Authorization this socket was sent: the server holds private channels by it
  #closed = false;
  #watches = new Map(); // channel -> Watch
  #wake = () => this.#wakeUp();

  constructor(urls, { token, onState } = {}) {
    this.#urls = (Array.isArray(urls) ? urls : [urls]).filter(Boolean);
    this.#token = typeof token === 'function' ? token : async () => null;
    this.#onState = typeof onState === 'function' ? onState : () => {};
    if (typeof addEventListener === 'function') addEventListener('online', this.#wake);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.#wake);
    this.#connect();
  }

  /** Watches a channel from `seq` (the seq the page was rendered at; null when unknown). */
  watch(channel, seq, handler = {}) {
    if (this.#closed) return;
    const old = this.#watches.get(channel);
    const w = {
      channel,
      handler,
      last: isSeq(seq) ? seq : null, // the last numbered event applied (or known to the page)
      known: null, // the latest seq the server told of (subscribed, live events)
      subscribed: false, // the `subscribed` frame of the current registration came
      buffer: [], // numbered events waiting for a catch-up, or for a start when `last` is unknown
      catching: false, // a GET /api/realtime is in flight
      again: false, // and something asked for another one meanwhile
      tokenRetried: false,
    };
    this.#watches.set(channel, w);
    if (this.#open) {
      // Registering an address a socket already has is a no-op on the server (no `subscribed` frame).
      if (old) this.#frame({ type: 'unregister', address: channel });
      this.#register(w);
    }
  }

  unwatch(channel) {
    if (this.#watches.delete(channel) && this.#open) this.#frame({ type: 'unregister', address: channel });
  }

  /** Sends to a client-writable address (only `post.<id>.typing` today). Dropped while disconnected. */
  send(address, body = {}) {
    if (!this.#open) return;
    const sock = this.#sock;
    this.#headers().then(headers => {
      if (sock === this.#sock && this.#open) this.#frame({ type: 'send', address, body, headers });
    });
  }

  /** The token changed (sign in or out): register every watched channel again under the new one. */
  async reauthenticate() {
    if (!this.#open) return; // the next connection registers with whatever token() says then
    for (const w of this.#watches.values()) {
      w.tokenRetried = false;
      this.#frame({ type: 'unregister', address: w.channel });
      await this.#register(w);
    }
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    if (typeof removeEventListener === 'function') removeEventListener('online', this.#wake);
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#wake);
    const sock = this.#sock;
    this.#sock = null;
    this.#open = false;
    try { sock?.close(); } catch { /* already closed */ }
    this.#watches.clear();
    this.#setState('closed');
  }

  // --- connection ---------------------------------------------------------------------------

  #connect() {
    if (this.#closed || this.#sock) return;
    clearTimeout(this.#retryTimer);
    const url = this.#urls[this.#next];
    this.#next = (this.#next + 1) % this.#urls.length; // the next attempt tries the next node
    this.#setState('connecting');
    let sock;
    try {
      sock = new SockJS(url, null, { transports: TRANSPORTS });
    } catch (e) {
      console.debug('bridge: cannot open', url, e);
      this.#retry();
      return;
    }
    this.#sock = sock;
    sock.onopen = () => {
      if (sock !== this.#sock) return;
      this.#open = true;
      this.#attempt = 0;
      this.#setState('open');
      this.#sentToken = null;
      this.#pingTimer = setInterval(() => this.#ping(sock), PING_MS);
      for (const w of this.#watches.values()) {
        w.tokenRetried = false;
        this.#register(w);
      }
    };
    sock.onmessage = e => {
      if (sock === this.#sock) this.#onFrame(e.data);
    };
    sock.onclose = e => {
      if (sock !== this.#sock) return;
      console.debug('bridge: closed', url, e?.code, e?.reason);
      this.#sock = null;
      this.#open = false;
      clearInterval(this.#pingTimer);
      for (const w of this.#watches.values()) w.subscribed = false;
      this.#retry();
    };
  }

  #retry() {
    if (this.#closed) return;
    this.#setState('closed');
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#connect(), backoff(this.#attempt++));
  }

  /** Back online, or the tab shown again: do not wait out the backoff. */
  #wakeUp() {
    if (this.#closed || this.#sock) return;
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
    this.#connect();
  }

  #setState(state) {
    if (state === this.#state) return;
    this.#state = state;
    this.#call(this.#onState, undefined, state);
  }

  #frame(msg) {
    if (!this.#open) return;
    try {
      this.#sock.send(JSON.stringify(msg));
    } catch (e) {
      console.debug('bridge: send failed', e);
    }
  }

  /**
   * A private channel ends when the token it was registered with expires: a refreshed token rides on the
   * next ping (once per token, as the server checks each one it is sent).
   */
  async #ping(sock) {
    const headers = await this.#headers();
    if (sock !== this.#sock || !this.#open) return;
    if (headers && headers.Authorization !== this.#sentToken) {
      this.#sentToken = headers.Authorization;
      this.#frame({ type: 'ping', headers });
    } else {
      this.#frame({ type: 'ping' });
    }
  }

  async #headers(fresh = false) {
    let token = null;
    try {
      token = await this.#token(fresh ? { fresh: true } : undefined);
    } catch (e) {
      console.debug('bridge: no token', e);
    }
    return token ? { Authorization: 'Bearer ' + token } : undefined;
  }

  async #register(w, fresh = false) {
    const sock = this.#sock;
    const headers = await this.#headers(fresh);
    // The socket may have dropped, or the channel been unwatched or watched anew, while the token came.
    if (sock !== this.#sock || !this.#open || this.#watches.get(w.channel) !== w) return;
    w.subscribed = false;
    if (headers) this.#sentToken = headers.Authorization;
    this.#frame(headers ? { type: 'register', address: w.channel, headers } : { type: 'register', address: w.channel });
  }

  #onFrame(data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (msg.type === 'err') return this.#onError(msg);
    if (msg.type !== 'rec' || !msg.body || typeof msg.body !== 'object') return;
    const w = this.#watches.get(msg.address);
    if (!w) return; // a frame for a channel unwatched meanwhile
    const ev = msg.body;
    if (ev.type === 'subscribed') this.#onSubscribed(w, ev.seq);
    else if (EPHEMERAL.has(ev.type)) {
      this.#call(w.handler.live, w.handler, ev);
      // Their seq is the last one the node sent this channel: past ours means one was lost.
      if (isSeq(ev.seq) && w.subscribed && w.last !== null && ev.seq > w.last) {
        w.known = Math.max(w.known ?? 0, ev.seq);
        this.#catchUp(w);
      }
    } else if (!isSeq(ev.seq)) this.#call(w.handler.event, w.handler, ev); // numbering lost: as it comes
    else this.#onNumbered(w, ev);
  }

  #onError(msg) {
    const code = msg.failureType || msg.body;
    const w = msg.address && this.#watches.get(msg.address);
    if (!w) {
      // Refused sends (typing_too_fast, …) and socket-wide refusals (rate_limited: the socket closes).
      console.debug('bridge: refused', code, msg.address ?? '', msg.message ?? '');
      return;
    }
    // The token was refused, expired, or its session signed out (here or in another tab): try once with a
    // fresh one; signed out for good, the register goes as a guest's and its refusal reaches the page.
    if (RENEW.has(code) && !w.tokenRetried) {
      w.tokenRetried = true; // once: a token refused twice is the page's problem
      this.#register(w, true);
      return;
    }
    const err = Object.assign(new Error(msg.message || code), { code, channel: w.channel });
    this.#call(w.handler.error, w.handler, err);
  }

  // --- ordering -----------------------------------------------------------------------------

  #onSubscribed(w, seq) {
    w.subscribed = true;
    w.tokenRetried = false;
    if (isSeq(seq)) w.known = seq; // not max: a channel whose numbering restarted tells a lower one
    if (w.last === null) {
      // The page did not know where it was: start here (seq null: the server cannot say either).
      w.last = isSeq(seq) ? seq : null;
      this.#drain(w);
    } else if (!isSeq(seq) || seq !== w.last) {
      // Past ours: we missed events. Below ours: either an event overtook this frame (harmless) or the
      // channel restarted (410); unknown: the server lost its numbering. Asking tells which.
      this.#catchUp(w);
    }
  }

  #onNumbered(w, ev) {
    w.known = Math.max(w.known ?? 0, ev.seq);
    if (w.catching || w.last === null) {
      w.buffer.push(ev); // applied after the catch-up, or once `subscribed` says where to start
      if (w.last === null && w.subscribed) this.#drain(w);
      return;
    }
    if (ev.seq <= w.last) return; // already applied (from a catch-up)
    if (ev.seq === w.last + 1) return this.#apply(w, ev);
    w.buffer.push(ev); // a number was skipped
    this.#catchUp(w);
  }

  #apply(w, ev) {
    w.last = ev.seq;
    this.#call(w.handler.event, w.handler, ev);
  }

  /** Applies buffered events in order; a gap left among them starts a catch-up. */
  #drain(w) {
    const buffered = w.buffer.sort((a, b) => a.seq - b.seq);
    w.buffer = [];
    for (let i = 0; i < buffered.length; i++) {
      const ev = buffered[i];
      if (w.last === null || ev.seq === w.last + 1) this.#apply(w, ev);
      else if (ev.seq > w.last) {
        w.buffer = buffered.slice(i);
        return this.#catchUp(w);
      }
    }
  }

  async #catchUp(w) {
    if (!NUMBERED.test(w.channel) || w.last === null) return;
    if (w.catching) {
      w.again = true;
      return;
    }
    w.catching = true;
    let authRetried = false;
    try {
      for (let tries = 0; this.#watches.get(w.channel) === w; ) {
        const res = await this.#fetchSince(w, authRetried).catch(e => ({ status: 0, error: e }));
        if (this.#watches.get(w.channel) !== w) return;
        if (res.status === 200) {
          const { events = [], seq } = await res.json();
          for (const ev of events) if (isSeq(ev.seq) && ev.seq > w.last) this.#apply(w, ev);
          if (isSeq(seq)) w.known = Math.max(w.known ?? 0, seq);
          break;
        }
        if (res.status === 410) {
          this.#gone(w);
          break;
        }
        if ((res.status === 401 || res.status === 403) && !authRetried && PRIVATE.test(w.channel)) {
          authRetried = true;
          continue;
        }
        if (res.status >= 400 && res.status < 500) {
          const problem = await res.json().catch(() => null);
          const err = Object.assign(new Error(problem?.detail || 'catch-up refused: ' + res.status),
              { code: 'catch_up_failed', status: res.status, problem, channel: w.channel });
          this.#call(w.handler.error, w.handler, err);
          break;
        }
        // 503, 5xx, network: try again a little later; in the end the missed events are as good as gone.
        if (++tries >= CATCH_UP_TRIES) {
          console.info('bridge: cannot catch up on', w.channel, res.status || res.error);
          this.#gone(w);
          break;
        }
        await sleep(backoff(tries));
      }
    } finally {
      w.catching = false;
    }
    if (this.#watches.get(w.channel) !== w) return;
    this.#drain(w);
    if (w.again && !w.catching) {
      // A `subscribed` (a reconnect) or a hint came during the fetch: it may know of later events.
      w.again = false;
      if (isSeq(w.known) && w.known !== w.last) this.#catchUp(w);
    }
  }

  /** The missed events cannot be had: the page reloads its data, and we go on from the server's seq. */
  #gone(w) {
    w.last = w.known ?? w.last;
    w.buffer = w.buffer.filter(ev => ev.seq > w.last);
    this.#call(w.handler.reset, w.handler);
  }

  async #fetchSince(w, fresh) {
    const headers = { Accept: 'application/json' };
    if (PRIVATE.test(w.channel)) Object.assign(headers, await this.#headers(fresh));
    return fetch(`/api/realtime/${encodeURIComponent(w.channel)}?after=${w.last}`, { headers, credentials: 'same-origin' });
  }

  /** Calls into the page; a page bug must not break the connection (nor reach the console as an error). */
  #call(fn, self, ...args) {
    if (typeof fn !== 'function') return;
    try {
      fn.apply(self, args);
    } catch (e) {
      console.warn('bridge: handler threw', e);
    }
  }
}
