// tokens.js - where a widget's site token comes from, and when to renew it.
//
// A token is given (data-token, options.token, ClickToCall.setToken) or
// produced by the host's provider function (data-token-provider names a
// global function returning a Promise of a token). With a provider, the
// token is renewed a minute before its `exp` and after a 401. The token's
// payload is read only for `exp` and `sub` (the sub keys the resume flag in
// storage and tells another user's token from a refresh); it is never
// trusted for anything else - the server verifies.

const RENEW_BEFORE_S = 60;
const RENEW_MIN_WAIT_MS = 10000; // a provider that returns the same token is not asked in a loop

// A provider may hand over another person's token (the page signed someone
// else in). That token is not this source's: onOtherUser(token) gets it, so
// the widget can switch users, and the refresh fails for whoever asked, so
// nothing of the old user's is sent with the new user's token. A stopped
// source (its user has gone) asks the provider nothing more.
export class TokenSource {
  constructor(token, provider, onOtherUser) {
    this.token = token || '';
    this.provider = provider || null;
    this.onOtherUser = onOtherUser || null;
    this.timer = 0;
    this.pending = null;
    this.stopped = false;
    this.schedule();
  }

  canRefresh() {
    return !!this.provider;
  }

  async get() {
    if (!this.token && this.provider) return this.refresh();
    return this.token;
  }

  set(token) {
    this.token = token || '';
    this.schedule();
  }

  // Asks the provider for a new token; concurrent callers share one call.
  refresh() {
    if (this.stopped) return Promise.reject(new Error('c2c: this user has signed out'));
    if (!this.provider) return Promise.resolve(this.token);
    if (!this.pending) {
      this.pending = Promise.resolve()
        .then(() => this.provider())
        .then((token) => {
          if (typeof token !== 'string' || !token) {
            throw Object.assign(new Error('c2c: the token provider gave no token'), { tokenProvider: true });
          }
          if (this.stopped) throw new Error('c2c: this user has signed out');
          const was = this.subject();
          if (was && subjectOf(token) !== was && this.onOtherUser) {
            this.onOtherUser(token);
            throw new Error('c2c: the token provider signed another user in');
          }
          this.set(token);
          return token;
        }, (err) => {
          throw Object.assign(new Error(`c2c: the token provider failed: ${err && err.message}`),
            { tokenProvider: true });
        })
        .finally(() => { this.pending = null; });
    }
    return this.pending;
  }

  schedule() {
    clearTimeout(this.timer);
    const exp = claims(this.token).exp;
    if (!this.provider || typeof exp !== 'number') return;
    const wait = Math.max(RENEW_MIN_WAIT_MS, (exp - RENEW_BEFORE_S) * 1000 - Date.now());
    this.timer = setTimeout(() => this.refresh().catch((err) => console.warn(err.message)),
      Math.min(wait, 2 ** 31 - 1));
  }

  subject() {
    return subjectOf(this.token);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

// The function a data-token-provider attribute names ("getToken",
// "auth.getToken"), bound to the object it lives on; null when none.
export function globalFunction(name) {
  if (!name) return null;
  const path = name.split('.');
  const owner = path.slice(0, -1).reduce((o, k) => (o == null ? o : o[k]), window);
  const fn = owner == null ? undefined : owner[path[path.length - 1]];
  return typeof fn === 'function' ? fn.bind(owner) : null;
}

// Whom a token is for: its `sub` ('' without one). Read, never trusted: it
// keys the resume flag and tells a refresh from another user's token.
export function subjectOf(token) {
  return String(claims(token).sub || '');
}

// The payload of a JWT, or {} when it is not one.
export function claims(token) {
  const part = String(token || '').split('.')[1];
  if (!part) return {};
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - b64.length % 4) % 4)), (c) => c.charCodeAt(0));
    const json = JSON.parse(new TextDecoder().decode(bytes));
    return json && typeof json === 'object' ? json : {};
  } catch {
    return {};
  }
}
