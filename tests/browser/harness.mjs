// harness.mjs - shared helpers for c2c's browser tests: the real edge server,
// real Chromium (playwright-core, no browser download) and a guard that keeps
// every request on loopback. ES module for node 20 and node:test.
//
// Why shaped so: every browser test needs the same three things (a server on
// a free port with its own data, a browser launched with the flags that work
// on this machine, and proof that nothing left 127.0.0.1), and each must
// clean up after itself even when a test fails half-way. So every resource
// has one owner here: stop()/close() for the normal path, and a process
// 'exit' hook (also run on SIGINT, SIGTERM and SIGHUP) that SIGKILLs servers
// still running and removes temp dirs.
//
//   import { startEdge, launchBrowser, newContext, mintToken,
//            loopbackOnly, nonLoopbackRequests, assertNoNonLoopback } from './harness.mjs';
//
// startEdge({demo = true, args = [], dataDir} = {}) -> Promise<edge>
//   Spawns C2C_EDGE_BIN (default build/c2c-edge under the repo root) with
//   --listen 127.0.0.1:0 --data <dataDir or a fresh temp dir>, --static dist
//   and --static web of the repo (only those that exist), --demo when demo,
//   then `args`. Its cwd is a temp dir. Resolves once the server prints
//   "c2c-edge listening on http://HOST:PORT/". The edge object:
//     url        'http://127.0.0.1:PORT' (no trailing slash; https:// when args
//                give --tls-cert and --tls-key)
//     port, dataDir
//     stop()     SIGTERM, await exit; resolves the exit code (SIGKILL after 15 s)
//     kill9()    SIGKILL, await exit (a crash; the data dir stays)
//     restart()  stop() if running, then start again on the same port and data dir
//     stderr()   everything the server wrote on stderr so far (JSON access log lines)
//     stdout()   the same for stdout
//   A dataDir you pass is never deleted; a temp one is removed when node exits.
//
// launchBrowser({media = false, extraArgs = [], noWebRtcUdp} = {}) -> Promise<Browser>
//   playwright-core Chromium from /usr/bin/chromium (or C2C_CHROMIUM), headless,
//   with the flags that work as root here; media adds fake camera/microphone,
//   auto-granted permissions and autoplay. Playwright gives every launch a
//   fresh temporary profile (its user-data-dir) and deletes it on close().
//   noWebRtcUdp (default: true unless extraArgs has
//   --allow-loopback-in-peer-connection) adds NO_WEBRTC_UDP_FLAG, so pages may
//   create RTCPeerConnections but gather no ICE candidates: nothing is ever
//   sent from a real interface. WebRTC media between pages needs a
//   loopback-only network namespace (unshare -n, `ip link set lo up`) plus
//   --allow-loopback-in-peer-connection (../shared/reference/toolchain.md).
//
// newContext(browser, options) -> Promise<BrowserContext>
//   browser.newContext(options) with context.route('**/*') and
//   context.routeWebSocket: a request to a host outside 127.0.0.0/8 and ::1
//   is aborted and recorded. nonLoopbackRequests(context) lists the recorded
//   URLs; assertNoNonLoopback(context) fails the test when there are any.
//   page.route() handlers run before the guard: fulfill or fallback() there,
//   never continue() to another host. Host names (even localhost) count as
//   non-loopback: use 127.0.0.1 or [::1].
//
// loopbackOnly(url) -> url
//   Throws an AssertionError unless url's host is in 127.0.0.0/8 or ::1.
//
// mintToken(url, {sub, name, email, role}) -> Promise<string>
//   A demo token from GET /demo/token (the server must run with --demo).
//
// api(url, path, {token, body, method}) -> Promise<{status, body}>
//   A JSON request with `Authorization: Bearer token` (body -> POST).
//
// waitFor(fn, {timeout = 5000, interval = 50, message}) -> Promise<value>
//   Polls fn (sync or async) until it returns a truthy value.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const START_TIMEOUT_MS = 10000;
const STOP_TIMEOUT_MS = 15000;
const LISTEN_RE = /c2c-edge listening on (https?):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\//;

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const MEDIA_FLAGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

// Chromium then gathers no ICE candidates at all (UDP only through a proxy,
// and there is none): no host candidates on eth0, no mDNS announcements.
// (--force-webrtc-ip-handling-policy is ignored by this Chromium; this one
// is not: checked with a non-loopback interface in a throwaway netns.)
export const NO_WEBRTC_UDP_FLAG = '--webrtc-ip-handling-policy=disable_non_proxied_udp';

// ---------------------------------------------------------------------------
// Clean-up at exit: whatever a failed test left behind.

const liveChildren = new Set();
const tempDirs = new Set();

function cleanUpAll() {
  for (const child of liveChildren) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  liveChildren.clear();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', cleanUpAll);
// A run stopped by a timeout or ^C does not fire 'exit': clean up, then end
// as that signal would. (Playwright's own listeners close browsers but do
// not always exit; its 'exit' hook kills what is left.)
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => {
    cleanUpAll();
    setImmediate(() => process.exit(128 + os.constants.signals[sig]));
  });
}

function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

// ---------------------------------------------------------------------------
// Loopback guard

/** True when url (string or URL) is http(s)/ws(s) on 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(url) {
  let u;
  try { u = new URL(String(url)); } catch { return false; }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (host === '::1') return true;
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return Boolean(m) && Number(m[1]) === 127 && m.slice(2).every((p) => Number(p) <= 255);
}

/** Assert that url is on loopback; returns it for chaining. */
export function loopbackOnly(url) {
  assert.ok(isLoopbackUrl(url), `not a loopback URL: ${url}`);
  return url;
}

const blockedByContext = new WeakMap();

/** A browser context that aborts and records every non-loopback request. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext(options);
  const blocked = [];
  blockedByContext.set(context, blocked);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopbackUrl(url)) return route.fallback();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  await context.routeWebSocket(() => true, (ws) => {
    if (isLoopbackUrl(ws.url())) {
      ws.connectToServer();
      return;
    }
    blocked.push(ws.url());
    ws.close({ code: 1008, reason: 'not loopback' });
  });
  return context;
}

/** The non-loopback URLs a newContext() context has blocked so far. */
export function nonLoopbackRequests(context) {
  const blocked = blockedByContext.get(context);
  assert.ok(blocked, 'this context was not made by newContext()');
  return [...blocked];
}

/** Fail unless the context never tried to leave loopback. */
export function assertNoNonLoopback(context) {
  assert.deepEqual(nonLoopbackRequests(context), [], 'requests to non-loopback hosts');
}

// ---------------------------------------------------------------------------
// The edge server

function edgeBinary() {
  return path.resolve(REPO, process.env.C2C_EDGE_BIN || path.join('build', 'c2c-edge'));
}

function staticRoots() {
  return ['dist', 'web']
    .map((d) => path.join(REPO, d))
    .filter((d) => fs.existsSync(d) && fs.statSync(d).isDirectory());
}

/** Spawn the edge; resolve {child, port} once it prints its listening line. */
function spawnEdge(argv, cwd, logs) {
  const child = spawn(edgeBinary(), argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      liveChildren.delete(child);
      resolve(code === null ? `signal ${signal}` : code);
    });
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s) => { logs.stderr += s; });
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`c2c-edge did not listen within ${START_TIMEOUT_MS} ms; stderr:\n${logs.stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (s) => {
      logs.stdout += s;
      const m = LISTEN_RE.exec(logs.stdout.slice(logs.mark));
      if (m) { clearTimeout(timer); resolve({ scheme: m[1], port: Number(m[3]) }); }
    });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`c2c-edge exited (${code}) before listening; stderr:\n${logs.stderr}`));
    });
  });
  return listening.then(({ scheme, port }) => ({ child, scheme, port, exited }));
}

/** Start a c2c-edge; see the top of the file. */
export async function startEdge({ demo = true, args = [], dataDir } = {}) {
  const cwd = makeTempDir('c2c-browser-edge-');
  const data = dataDir ?? path.join(cwd, 'data');
  fs.mkdirSync(data, { recursive: true });
  const logs = { stdout: '', stderr: '', mark: 0 };
  const statics = staticRoots().flatMap((d) => ['--static', d]);
  const argvFor = (listen) => [
    '--listen', listen, '--data', data, ...statics, ...(demo ? ['--demo'] : []), ...args,
  ];
  let run = await spawnEdge(argvFor('127.0.0.1:0'), cwd, logs);
  const port = run.port;

  const edge = {
    url: `${run.scheme}://127.0.0.1:${port}`, // https when args has --tls-cert/--tls-key
    port,
    dataDir: data,
    stdout: () => logs.stdout,
    stderr: () => logs.stderr,
    async stop() {
      if (run.child.exitCode !== null || run.child.signalCode !== null) return run.exited;
      run.child.kill('SIGTERM');
      const timer = setTimeout(() => run.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await run.exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      run.child.kill('SIGKILL');
      return run.exited;
    },
    async restart() {
      await edge.stop();
      logs.mark = logs.stdout.length;
      run = await spawnEdge(argvFor(`127.0.0.1:${port}`), cwd, logs);
      return edge;
    },
  };
  return edge;
}

// ---------------------------------------------------------------------------
// The browser

/** Launch headless Chromium; see the top of the file. */
export async function launchBrowser({
  media = false,
  extraArgs = [],
  noWebRtcUdp = !extraArgs.includes('--allow-loopback-in-peer-connection'),
} = {}) {
  const args = [
    ...CHROMIUM_FLAGS,
    ...(media ? MEDIA_FLAGS : []),
    ...(noWebRtcUdp ? [NO_WEBRTC_UDP_FLAG] : []),
    ...extraArgs,
  ];
  return chromium.launch({
    executablePath: process.env.C2C_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args,
  });
}

// ---------------------------------------------------------------------------
// HTTP helpers

/** One JSON API call. Resolves {status, body} (body parsed when JSON). */
export async function api(url, apiPath, { token, body, method } = {}) {
  loopbackOnly(url);
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(url + apiPath, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
  return { status: res.status, body: parsed };
}

/** A demo token (server started with --demo). */
export async function mintToken(url, { sub, name, email, role = 'customer' } = {}) {
  const q = new URLSearchParams({ sub, role });
  if (name) q.set('name', name);
  if (email) q.set('email', email);
  const { status, body } = await api(url, `/demo/token?${q}`);
  assert.equal(status, 200, `demo token: ${JSON.stringify(body)}`);
  return body.token;
}

/** Poll fn until it returns something truthy; the value. */
export async function waitFor(fn, { timeout = 5000, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
