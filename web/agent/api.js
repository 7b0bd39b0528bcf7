// api.js - the console's API routes over the widget's JSON request
// (../shared/api.js): the token in a header, errors as ApiError (the
// server's {"error", "message"} shape); a rejected site token signs the
// agent out.

import { ApiError, requestJson } from '../shared/api.js';
import { API } from './config.js';
import { signOut } from './session.js';
import { state } from './state.js';


export { ApiError };

/**
 * A JSON request (the widget's, ../shared/api.js); resolves to the parsed
 * body, rejects with ApiError, whose message reads well when the server
 * could not be reached.
 * @param {string} path
 * @param {{token?: string, body?: any, method?: string}} [options]
 * @returns {Promise<any>}
 */
export async function request(path, options = {}) {
  try {
    return await requestJson(path, options);
  } catch (err) {
    if (err.code === 'network') err.message = 'Cannot reach the server. Check your connection.';
    else if (err.message === err.code) err.message = `The server answered ${err.status}.`;
    throw err;
  }
}

/**
 * A route authorized by the agent's site token; a rejected token signs out.
 * @param {string} route
 * @param {any} [body]
 * @param {string} [method]  default GET without a body, POST with one
 */
export async function siteApi(route, body, method) {
  try {
    return await request(API + route, { token: state.token, body, method });
  } catch (err) {
    if (err.status === 401 && state.token) signOut(err.message);
    throw err;
  }
}

/** A participant route authorized by a contact's ParticipantToken. */
export function participantApi(contact, route, body = {}) {
  return request(`${API}participant/${route}`, { token: contact.ptoken, body });
}
