// stream.js - one contact's Server-Sent Events stream, parsed for the core.
//
// The ParticipantToken is a long-lived credential, so it never goes into a
// URL (URLs end up in access logs, proxies and browser history). EventSource
// cannot send headers, so the stream is a fetch() with the token in
// X-Amz-Bearer and the resume point in Last-Event-ID, whose body is read
// with a ReadableStream reader and parsed here (SseParser: event, data and
// id fields, comments, multi-line data, CR / LF / CRLF line ends).
//
// The core owns reconnection (backoff, and a transcript backfill after a
// gap), exactly as when this was an EventSource: the sink hears open() when
// the server has answered with a stream, event() per event, and error()
// once when the stream fails or ends; the core then asks for a new stream
// with the last event id it has seen. close() aborts the request (an
// AbortController) and silences the sink. Each event's JSON is parsed here
// and handed to `sink`; a frame that is not JSON is reported as an event
// with no data (the core only records its id).

const EVENTS = ['contact.state', 'queue', 'participant.joined', 'message', 'typing', 'read',
  'dtmf', 'dtmf.play', 'signal', 'video.offer', 'video.ended'];

// The text/event-stream format, fed with decoded text in pieces of any size.
// onEvent(name, lastEventId, data) per dispatched event; like EventSource,
// the id is the last one seen on the stream, and `retry` is ignored.
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.rest = '';      // an unfinished line
    this.data = null;    // data lines of the event being read, or null
    this.name = '';
    this.lastId = '';
  }

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
    return undefined;
  }

  dispatch() {
    if (this.data) this.onEvent(this.name || 'message', this.lastId, this.data.join('\n'));
    this.data = null;
    this.name = '';
  }
}

export class EventStream {
  // url: the stream's URL (no credential); token: the ParticipantToken;
  // lastEventId: resume after this id (0: from the start);
  // sink: {open(), error(), event(name, id, data)}
  constructor(url, token, lastEventId, sink) {
    this.sink = sink;
    this.ctl = new AbortController();
    this.read(url, token, lastEventId);
  }

  async read(url, token, lastEventId) {
    const ctl = this.ctl;
    const headers = { 'X-Amz-Bearer': token, Accept: 'text/event-stream' };
    if (lastEventId) headers['Last-Event-ID'] = String(lastEventId);
    try {
      const res = await fetch(url, {
        headers, signal: ctl.signal, credentials: 'omit', cache: 'no-store',
      });
      const type = res.headers.get('content-type') || '';
      if (!res.ok || !res.body || !type.toLowerCase().startsWith('text/event-stream')) {
        throw new Error(`events answered ${res.status}`);
      }
      if (this.ctl !== ctl) return;
      this.sink.open();
      const parser = new SseParser((name, id, data) => {
        if (this.ctl === ctl && EVENTS.includes(name)) this.sink.event(name, Number(id) || 0, parse(data));
      });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done || this.ctl !== ctl) break;
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // a network error, an HTTP error or our own abort: reported below
    }
    if (this.ctl !== ctl) return; // closed: the owner knows
    this.close();
    this.sink.error();
  }

  close() {
    if (this.ctl) {
      this.ctl.abort();
      this.ctl = null;
    }
  }
}

function parse(text) {
  try {
    const data = JSON.parse(text);
    return data && typeof data === 'object' ? data : null;
  } catch {
    return null;
  }
}
