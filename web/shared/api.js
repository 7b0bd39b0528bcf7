// api.js - the one JSON request of the widget and the agent console: the
// token in the Authorization header (never in the URL), the body as JSON,
// a timeout, and every failure as an ApiError carrying the server's
// {"error", "message"} shape (status 0 and code "network" when the server
// could not be reached). Callers decide what a failure means to their user.

const TIMEOUT_MS = 15000;

export class ApiError extends Error {
  /**
   * @param {number} status  the HTTP status, 0 when there was no answer
   * @param {string} code    the server's error code, or network / http_NNN / bad_answer
   * @param {string} [message]
   */
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

/**
 * One JSON request. Resolves to the parsed body; rejects with ApiError.
 * @param {string} url
 * @param {{method?: string, token?: string|null, body?: any, extra?: RequestInit}} [o]
 *   extra: more fetch options (keepalive)
 * @returns {Promise<any>}
 */
export async function requestJson(url, { method, token, body, extra } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  let res;
  try {
    res = await fetch(url, {
      ...extra, method: method || (body === undefined ? 'GET' : 'POST'), headers,
      signal: ctl.signal, credentials: 'omit', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network', err && err.message);
  } finally {
    clearTimeout(timer);
  }
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, (json && json.error) || 'http_' + res.status, json && json.message);
  if (json === null) throw new ApiError(res.status, 'bad_answer', 'The server answered something else than JSON.');
  return json;
}
