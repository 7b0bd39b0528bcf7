// api.js - the API client: JSON requests with the token in a header, errors
// as ApiError (the server's {"error", "message"} shape); a rejected site
// token signs the agent out.

import { API } from './config.js';
import { signOut } from './session.js';
import { state } from './state.js';


export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * A JSON request; resolves to the parsed body, rejects with ApiError.
 * @param {string} path
 * @param {{token?: string, body?: any, method?: string}} [options]
 * @returns {Promise<any>}
 */
export async function request(path, { token, body, method } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection.');
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(res.status, data?.error ?? 'http',
                       data?.message ?? `The server answered ${res.status}.`);
  }
  return data ?? {};
}

/** A route authorized by the agent's site token; a rejected token signs out. */
export async function siteApi(route, body) {
  try {
    return await request(API + route, { token: state.token, body });
  } catch (err) {
    if (err.status === 401 && state.token) signOut(err.message);
    throw err;
  }
}

/** A participant route authorized by a contact's ParticipantToken. */
export function participantApi(contact, route, body = {}) {
  return request(`${API}participant/${route}`, { token: contact.ptoken, body });
}
