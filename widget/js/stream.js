// stream.js - one contact's Server-Sent Events stream, parsed for the core.
//
// The ParticipantToken is a long-lived credential, so it never goes into a
// URL (URLs end up in access logs, proxies and browser history). EventSource
// cannot send headers, so the stream is a fetch() with the token in
// X-Amz-Bearer and the resume point in Last-Event-ID, whose body is read
// with a ReadableStream reader and parsed by the parser the agent console
// uses too (web/shared/sse.js).
//
// The core owns reconnection (backoff, and a transcript backfill after a
// gap), exactly as when this was an EventSource: the sink hears open() when
// the server has answered with a stream, event() per event, and error()
// once when the stream fails or ends; the core then asks for a new stream
// with the last event id it has seen. close() aborts the request (an
// AbortController) and silences the sink. Each event's JSON is parsed here
// and handed to `sink`; a frame that is not JSON is reported as an event
// with no data (the core only records its id).

import { SseParser, readSse } from '../../web/shared/sse.js';

export { SseParser };

const EVENTS = ['contact.state', 'queue', 'participant.joined', 'message', 'typing', 'read',
  'dtmf', 'dtmf.play', 'signal', 'video.offer', 'video.ended', 'contact.transferring'];

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
      await readSse(res.body, parser, () => this.ctl === ctl);
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
