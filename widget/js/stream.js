// stream.js - one contact's Server-Sent Events stream, parsed for the core.
//
// EventSource reconnects by itself; the core owns reconnection instead
// (backoff, and a transcript backfill after a gap), so any error closes the
// source and reports it, and the core asks for a new stream with the last
// event id it has seen. Each event's JSON is parsed here and handed to
// `sink`, one method per event name; a frame that is not JSON is reported
// as an event with no data (the core only records its id).

const EVENTS = ['contact.state', 'queue', 'participant.joined', 'message', 'typing', 'read',
  'dtmf', 'signal', 'video.offer', 'video.ended'];

export class EventStream {
  // sink: {open(), error(), event(name, id, data)}
  constructor(url, sink) {
    this.sink = sink;
    this.source = new EventSource(url);
    this.source.onopen = () => sink.open();
    this.source.onerror = () => {
      this.close();
      sink.error();
    };
    for (const name of EVENTS) {
      this.source.addEventListener(name, (ev) => sink.event(name, Number(ev.lastEventId) || 0, parse(ev.data)));
    }
  }

  close() {
    if (this.source) {
      this.source.close();
      this.source = null;
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
