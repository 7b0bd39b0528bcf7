// tokens.js - where a widget's site token comes from, and when to renew it.
//
// A token is given (data-token, options.token, ClickToCall.setToken) or
// produced by the host's provider function (data-token-provider names a
// global function returning a Promise of a token). With a provider, the
// token is renewed a minute before its `exp` and after a 401. The token's
// payload is read only for `exp` and `sub` (the sub keys the resume flag in
// storage); it is never trusted for anything else - the server verifies.

const RENEW_BEFORE_S = 60;

export class TokenSource {
  constructor(token, provider) {
    this.token = token || '';
    this.provider = provider || null;
    this.timer = 0;
    this.pending = null;
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
    if (!this.provider) return Promise.resolve(this.token);
    if (!this.pending) {
      this.pending = Promise.resolve()
        .then(() => this.provider())
        .then((token) => {
          if (typeof token !== 'string' || !token) throw new Error('c2c: the token provider gave no token');
          this.set(token);
          return token;
        })
        .finally(() => { this.pending = null; });
    }
    return this.pending;
  }

  schedule() {
    clearTimeout(this.timer);
    const exp = claims(this.token).exp;
    if (!this.provider || typeof exp !== 'number') return;
    const wait = Math.max(0, (exp - RENEW_BEFORE_S) * 1000 - Date.now());
    this.timer = setTimeout(() => this.refresh().catch((err) => console.warn(err.message)),
      Math.min(wait, 2 ** 31 - 1));
  }

  subject() {
    return String(claims(this.token).sub || '');
  }

  stop() {
    clearTimeout(this.timer);
  }
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
