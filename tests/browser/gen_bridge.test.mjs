// gen_bridge.test.mjs - widget/gen_bridge.mjs, which writes the bridge's
// constants.js and exports.js from the core's C headers: run over a copy of
// widget/ (node, no browser), it follows a changed enum and a changed
// prototype, names each table's header, writes every locale file, and fails
// the build (exit 1, one line) when an enum it needs is gone or a locale
// lacks a text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from './harness.mjs';

// A copy of widget/core, widget/wasm and the generator, changed by edit(dir).
function copyWidget(edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'c2c-gen-'));
  for (const sub of ['core', 'wasm', 'locales']) fs.cpSync(path.join(REPO, 'widget', sub), path.join(dir, sub), { recursive: true });
  fs.mkdirSync(path.join(dir, 'js'));
  fs.copyFileSync(path.join(REPO, 'widget', 'gen_bridge.mjs'), path.join(dir, 'gen_bridge.mjs'));
  edit(dir);
  return dir;
}

function generate(dir) {
  const r = spawnSync(process.execPath, [path.join(dir, 'gen_bridge.mjs'), dir], { encoding: 'utf8' });
  const read = (f) => (fs.existsSync(path.join(dir, 'js', f)) ? fs.readFileSync(path.join(dir, 'js', f), 'utf8') : '');
  return { status: r.status, stderr: r.stderr, constants: read('constants.js'), exports: read('exports.js') };
}

function patch(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.includes(from), `${path.basename(file)} has ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

test('the tables come from the headers that declare them', () => {
  const dir = copyWidget(() => {});
  const out = generate(dir);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.constants, /wg_contact\.h enum wg_signal_type\nexport const SIGNAL = \/\* @__PURE__ \*\/ Object\.freeze\(\{ offer: 0, answer: 1, candidate: 2, bye: 3, hold: 4, unhold: 5 \}\);/);
  assert.match(out.constants, /export const ERR = \/\* @__PURE__ \*\/ Object\.freeze\(\{ auth: 1, .*route_not_found: 6, .*no_open_chat: 11, already_rated: 12 \}\);/);
  assert.match(out.constants, /export const ROLE = \/\* @__PURE__ \*\/ Object\.freeze\(\{ CUSTOMER: 1, AGENT: 2, SYSTEM: 3 \}\);/);
  // Each value is its own constant too (esbuild puts the number in its place).
  assert.match(out.constants, /\nexport const ROLE_CUSTOMER = 1;\nexport const ROLE_AGENT = 2;\nexport const ROLE_SYSTEM = 3;\n/);
  assert.match(out.constants, /\nexport const ACTION_close = 2;\n/);
  assert.doesNotMatch(out.constants, /NONE|none|COUNT|count/);
  // A (const char *, size_t) pair is one string argument.
  assert.match(out.exports, /\/\*\* int c2c_ev_message @type \{\(core: object, w: number, owner: number, id: number, msg_id: string, seq: number, time_ms: number, role: number, name: string, ctype: string, content: string, now_ms: number\) => number\} \*\/\nexport const c2c_ev_message = \/\* @__PURE__ \*\/ wrap\('ev_message', 'nnnsnnnsssn'\);/);
  fs.rmSync(dir, { recursive: true });
});

test('a changed enum or prototype changes the bridge', () => {
  const dir = copyWidget((d) => {
    patch(path.join(d, 'core', 'wg_contact.h'), 'WG_SIG_OFFER = 0,', 'WG_SIG_OFFER = 4,');
    patch(path.join(d, 'core', 'wg_contact.c'), 'return "route_used";', 'return "route_taken";');
    patch(path.join(d, 'wasm', 'c2c_wasm.h'), 'int c2c_tick(struct wg_widget *w, double now_ms);',
      'int c2c_tick(struct wg_widget *w, const char *why, size_t why_len, double now_ms);');
  });
  const out = generate(dir);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.constants, /SIGNAL = \/\* @__PURE__ \*\/ Object\.freeze\(\{ offer: 4, answer: 5, candidate: 6, bye: 7, hold: 8, unhold: 9 \}\)/);
  assert.match(out.constants, /\nexport const SIGNAL_offer = 4;\n/);
  assert.match(out.constants, /route_taken: 7/);
  assert.match(out.exports, /\(core: object, w: number, why: string, now_ms: number\) => number\} \*\/\nexport const c2c_tick = \/\* @__PURE__ \*\/ wrap\('tick', 'nsn'\);/);
  fs.rmSync(dir, { recursive: true });
});

test('every locale file is written, and a locale missing a text fails the build', () => {
  let dir = copyWidget(() => {});
  let out = generate(dir);
  assert.equal(out.status, 0, out.stderr);
  const en = fs.readFileSync(path.join(dir, 'js', 'locales', 'en.txt'), 'utf8').split('\0');
  assert.equal(en[0], 'Call us');
  assert.equal(en[en.length - 1], ''); // each text ends with a NUL
  for (const tag of ['es', 'fr', 'de', 'pt', 'ja']) {
    const texts = fs.readFileSync(path.join(dir, 'js', 'locales', `${tag}.txt`), 'utf8').split('\0');
    assert.equal(texts.length, en.length, tag);
  }
  fs.rmSync(dir, { recursive: true });
  dir = copyWidget((d) => patch(path.join(d, 'locales', 'wg_i18n_tables.c'),
    '    "Chatten Sie mit uns\\0" /* LAUNCH_CHAT */\n', ''));
  out = generate(dir);
  assert.equal(out.status, 1);
  assert.equal(out.stderr, 'gen_bridge.mjs: texts_de: LAUNCH_CHAT missing (found LAUNCH_VIDEO in its place)\n');
  fs.rmSync(dir, { recursive: true });
});

test('a missing enum fails the build with one line', () => {
  const dir = copyWidget((d) => patch(path.join(d, 'core', 'wg_video.h'), 'enum wg_media_error {', 'enum wg_media_fault {'));
  const out = generate(dir);
  assert.equal(out.status, 1);
  assert.equal(out.stderr, 'gen_bridge.mjs: no enum wg_media_error in widget/core/wg_video.h\n');
  assert.equal(out.constants, '', 'nothing half-written');
  fs.rmSync(dir, { recursive: true });
});
