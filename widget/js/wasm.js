// wasm.js - loads the widget core (c2c.<hash>.wasm) once per page and wraps
// its exports (widget/wasm/c2c_wasm.h) so the rest of the bridge passes
// JavaScript strings and numbers.
//
// Strings go through the module's one input buffer: each call encodes its
// string arguments back to back into it (UTF-8) and passes pointer+length
// pairs. The module's memory can grow on any call, so views of it are
// taken fresh every time, never kept.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

let loading = null;

// The module, instantiated once; later calls share the promise.
export function loadCore(url) {
  if (!loading) loading = instantiate(url).then((exports) => new Core(exports));
  return loading;
}

async function instantiate(url) {
  const response = await fetch(url, { credentials: 'omit' });
  if (!response.ok) throw new Error(`c2c: ${url} answered ${response.status}`);
  let result;
  if (WebAssembly.instantiateStreaming && /wasm/.test(response.headers.get('content-type') || '')) {
    result = await WebAssembly.instantiateStreaming(response); // no imports
  } else {
    result = await WebAssembly.instantiate(await response.arrayBuffer());
  }
  const exports = result.instance.exports;
  if (exports._initialize) exports._initialize();
  return exports;
}

class Core {
  constructor(exports) {
    this.x = exports;
  }

  // Encodes strings into the input buffer; returns [ptr, len, ptr, len, ...].
  strings(...values) {
    const bytes = values.map((v) => encoder.encode(v == null ? '' : String(v)));
    const total = bytes.reduce((n, b) => n + b.length, 0);
    const base = this.x.c2c_buffer(total + 1);
    if (!base) throw new Error('c2c: out of memory');
    const heap = new Uint8Array(this.x.memory.buffer);
    const args = [];
    let at = base;
    for (const b of bytes) {
      heap.set(b, at);
      args.push(at, b.length);
      at += b.length;
    }
    return args;
  }

  parse(which, value) {
    return this.x[`c2c_parse_${which}`](...this.strings(value));
  }

  // A new widget handle, or throws with the core's error code.
  create(cfg, now) {
    const [np, nl, lp, ll] = this.strings(cfg.number || '', cfg.label || '');
    const w = this.x.c2c_widget_new(cfg.mode, cfg.locale, cfg.hide, cfg.resume ? 1 : 0,
      cfg.number ? np : 0, cfg.number ? nl : 0, cfg.label ? lp : 0, cfg.label ? ll : 0, now);
    if (!w) {
      const err = new Error(`c2c: the widget could not start (${this.x.c2c_last_error()})`);
      err.code = this.x.c2c_last_error();
      throw err;
    }
    return w;
  }

  free(w) {
    this.x.c2c_widget_free(w);
  }

  // Calls the export c2c_<name> with `args`, its string arguments given as
  // JS strings: `spec` marks each argument 's' (string: expands to ptr,len)
  // or 'n' (number). Throws when the count is not the export's.
  call(name, spec, args) {
    if (args.length !== spec.length) throw new Error(`c2c: c2c_${name} takes ${spec.length} arguments`);
    const encoded = this.strings(...args.filter((_, i) => spec[i] === 's'));
    return this.x[`c2c_${name}`](...args.flatMap((a, i) => (spec[i] === 's' ? encoded.splice(0, 2) : [a])));
  }

  // The JSON document of pending effects and the view (docs/widget.md).
  output(w) {
    return this.text(this.x.c2c_output(w));
  }

  // The NUL-terminated UTF-8 string at ptr (an export's answer).
  text(ptr) {
    if (!ptr) throw new Error('c2c: out of memory');
    const heap = new Uint8Array(this.x.memory.buffer);
    let end = ptr;
    while (heap[end]) end++;
    return decoder.decode(heap.subarray(ptr, end));
  }
}
