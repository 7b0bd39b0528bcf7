// config.js - the console's options (meta tags in index.html: c2c-api-prefix,
// c2c-ice-servers; ?queue=NAME in the page URL) and its timing constants.




/** @param {string} name @returns {string | undefined} */
export const meta = (name) =>
  /** @type {HTMLMetaElement | null} */ (document.querySelector(`meta[name="${name}"]`))?.content;
export const API = meta('c2c-api-prefix') || '/api/';
export const ICE_SERVERS = parseIceServers(meta('c2c-ice-servers'));
export const QUEUE = new URLSearchParams(location.search).get('queue') || '';
export const STORE_KEY = 'c2c-agent';
export const QUEUE_REFRESH_MS = 250; // queue events coming in a burst refresh it once
export const TYPING_SEND_MS = 3000;   // at most one typing event per this while typing
export const TYPING_SHOW_MS = 5000;   // how long "is typing" stays without another one
export const WAIT_LONG_S = 60;        // a wait this long is shown in amber
export const WAIT_VERY_LONG_S = 180;  // and this long in red
export const TIMER_TICK_MS = 1000;    // wait timers tick this often
export const FRESH_MESSAGE_MS = 5000; // a message older than its contact's record (by more) is a replay
export const STREAM_RETRY_MS = 3000;  // reconnect delay when the server sends no retry:

export function parseIceServers(text) {
  try {
    const list = JSON.parse(text || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}
