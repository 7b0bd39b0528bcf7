// sse.js - the text/event-stream format read from a fetch() body, shared by
// the widget's contact stream and the agent console's streams.
//
// fetch() rather than EventSource, because EventSource cannot send headers:
// its credential would have to travel in the URL (where logs, proxies and
// the Referer keep it). SseParser takes decoded text in pieces of any size
// (event, data, id and retry fields, comments, multi-line data, CR / LF /
// CRLF line ends); readSse() pumps a response body through it.

export class SseParser {
  /**
   * @param {(name: string, lastId: string, data: string) => void} onEvent
   *   per dispatched event; like EventSource, the id is the last one seen
   * @param {(ms: number) => void} [onRetry]  the server's retry: field
   */
  constructor(onEvent, onRetry) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.rest = '';      // an unfinished line
    this.data = null;    // data lines of the event being read, or null
    this.name = '';
    this.lastId = '';
  }

  /** @param {string} text */
  push(text) {
    const buf = this.rest + text;
    let start = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i + 1 === buf.length) break; // a CR whose LF may follow
      this.line(buf.slice(start, i));
      if (c === 13 && buf.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.rest = buf.slice(start);
  }

  /** @param {string} l */
  line(l) {
    if (l === '') return this.dispatch();
    if (l[0] === ':') return undefined; // a comment (the server's heartbeat)
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value[0] === ' ') value = value.slice(1);
    if (field === 'data') (this.data || (this.data = [])).push(value);
    else if (field === 'event') this.name = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    else if (field === 'retry' && /^\d+$/.test(value) && this.onRetry) this.onRetry(Number(value));
    return undefined;
  }

  dispatch() {
    if (this.data) this.onEvent(this.name || 'message', this.lastId, this.data.join('\n'));
    this.data = null;
    this.name = '';
  }
}

/**
 * Feed a response body to a parser until it ends or `current()` turns false.
 * @param {ReadableStream<Uint8Array>} body
 * @param {SseParser} parser
 * @param {() => boolean} current  false once the reader's owner closed it
 * @returns {Promise<void>} rejects when the connection fails
 */
export async function readSse(body, parser, current) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done || !current()) return;
    parser.push(decoder.decode(value, { stream: true }));
  }
}
