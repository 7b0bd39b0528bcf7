// api.js - the widget's HTTP client for the edge's API (docs/API.md).
//
// Two kinds of credentials: the site's login token (JWT) for start, dial,
// update and availability, and the ParticipantToken of the contact for the
// participant routes. A 401 on a site-token request asks the token source
// for a fresh token once and retries; a second 401 is final. Every failure
// is classified into one of the core's error classes (constants.js ERR),
// so the core, not this file, decides what the user sees. The request
// itself is the one the agent console uses too (web/shared/api.js).

import {
  ERR, ERR_auth, ERR_ended, ERR_network, ERR_number, ERR_rejected, ERR_server,
} from './constants.js';
import { ApiError, requestJson } from '../../web/shared/api.js';

export { ApiError };

export class Api {
  // base: the API's base URL ending in "/"; tokens: a TokenSource.
  constructor(base, tokens) {
    this.base = base;
    this.tokens = tokens;
  }

  // A site-token request; retries once with a refreshed token on 401.
  // extra: fetch options such as {keepalive: true}.
  async site(method, path, body, extra) {
    try {
      return await this.send(method, path, body, await this.tokens.get(), extra);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401 || !this.tokens.canRefresh()) throw err;
      return this.send(method, path, body, await this.tokens.refresh(), extra);
    }
  }

  // A participant request, authorized by the contact's ParticipantToken.
  participant(path, body, participantToken) {
    return this.send('POST', `participant/${path}`, body, participantToken);
  }

  // A request without a token (availability).
  open(path) {
    return this.send('GET', path, undefined, null);
  }

  send(method, path, body, token, extra) {
    return requestJson(this.base + path, { method, token, body, extra });
  }

  // The event stream's URL: no credential in it (stream.js sends the
  // ParticipantToken and Last-Event-ID as headers).
  eventsUrl() {
    return `${this.base}participant/events`;
  }
}

// The core's error class for a failed request.
export function classify(err) {
  if (err && err.tokenProvider) return ERR_auth; // the host could not give a token
  if (!(err instanceof ApiError)) return ERR_server;
  if (err.status === 0) return ERR_network;
  if (err.status === 401) return ERR_auth;
  if (Object.prototype.hasOwnProperty.call(ERR, err.code)) return ERR[err.code];
  if (err.code === 'contact_ended') return ERR_ended;
  if (err.code === 'bad_number' || err.code === 'number_not_allowed') return ERR_number;
  if (err.status >= 500 || err.status === 408) return ERR_server;
  return ERR_rejected;
}
