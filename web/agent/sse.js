// sse.js - Server-Sent Events over fetch() that reconnect, for the agent
// console.
//
// Why not EventSource: it cannot send headers, so its token would have to
// travel in the URL (where logs, proxies and the Referer keep it), and it
// gives up for good on an HTTP error. This reader sends the token in a
// header (Authorization or X-Amz-Bearer) and Last-Event-ID as a header,
// parses the body with the widget's parser (../shared/sse.js), stops with
// an AbortController, and reconnects by itself (after the server's `retry:`
// or its own delay) from the last id it saw, so nothing is lost or
// repeated. An answer the server will not change its mind about (401, 403,
// 404, 410) ends it for good; onError hears why.

import { SseParser, readSse } from '../shared/sse.js';

const FATAL = new Set([401, 403, 404, 410]);

/**
 * Open a stream.
 * @param {object} o
 * @param {string} o.url               the events URL (no token in it)
 * @param {() => object} o.headers     the auth headers, asked before every (re)connect
 * @param {string} [o.lastEventId]     resume after this id
 * @param {(type: string, data: string, id: string) => void} o.onEvent
 * @param {() => void} [o.onOpen]      every successful (re)connect
 * @param {(err: {status: number, message: string, fatal: boolean}) => void} [o.onError]
 * @param {number} [o.retryMs]         delay before reconnecting (the server's retry: wins)
 * @returns {{close: () => void, lastEventId: () => string}}
 */
export function openSse(o) {
  let lastId = o.lastEventId || '';
  let retryMs = o.retryMs ?? 3000;
  let closed = false;
  let controller = null;
  let timer = 0;
  let failures = 0;

  function schedule() {
    if (closed) return;
    const backoff = Math.min(retryMs * 2 ** Math.min(failures, 4), 30000);
    timer = setTimeout(connect, failures === 0 ? retryMs : backoff);
  }

  async function connect() {
    if (closed) return;
    controller = new AbortController();
    const headers = { Accept: 'text/event-stream', ...o.headers() };
    if (lastId) headers['Last-Event-ID'] = lastId;
    let res;
    try {
      res = await fetch(o.url, { headers, cache: 'no-store', signal: controller.signal });
    } catch (err) {
      if (closed) return;
      failures++;
      o.onError?.({ status: 0, message: String(err?.message || err), fatal: false });
      schedule();
      return;
    }
    if (!res.ok || !res.body) {
      const data = await res.json().catch(() => null);
      const fatal = FATAL.has(res.status);
      failures++;
      o.onError?.({ status: res.status, message: data?.message || `HTTP ${res.status}`, fatal });
      if (!fatal) schedule();
      else closed = true;
      return;
    }
    failures = 0;
    o.onOpen?.();
    const parser = new SseParser(dispatch, (ms) => { retryMs = ms; });
    parser.lastId = lastId;
    try {
      await readSse(res.body, parser, () => !closed);
    } catch (err) {
      if (closed) return;
      failures++;
      o.onError?.({ status: 0, message: String(err?.message || err), fatal: false });
    }
    schedule(); // the server ended the stream (shutdown, a newer stream): come back
  }

  /** One event: remember its id, hand it on. */
  function dispatch(name, id, data) {
    lastId = id;
    if (closed) return;
    try {
      o.onEvent(name, data, lastId);
    } catch (err) {
      console.error(err); // one bad handler must not stop the stream
    }
  }

  connect();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      controller?.abort();
    },
    lastEventId: () => lastId,
  };
}
