// gen_bridge.mjs - writes the bridge's view of the core from the C headers,
// so that the two cannot drift apart:
//
//   widget/js/constants.js  the enum values the bridge passes to the wasm
//                           exports (owners, request kinds, error classes,
//                           contact states, roles, signal types, media
//                           errors, actions, return codes), read from the enum in the
//                           header that declares it: each a table (ACTION)
//                           for lookups by key, and each value a constant
//                           (ACTION_close) for the fixed names;
//   widget/js/exports.js    one wrapper per function of widget/wasm/c2c_wasm.h
//                           (the module's exports), taking the Core of
//                           wasm.js, then the C parameters in order, with a
//                           (const char *, size_t) pair as one JS string;
//   widget/js/locales/<tag>.txt  each locale's texts (widget/locales/
//                           wg_i18n_tables.c, when the folder has it): the
//                           bytes of its table string, which the bridge
//                           fetches for that locale only. Every table must
//                           name every code of enum wg_text, in order, with
//                           a non-empty text and English's placeholders:
//                           a missing or misplaced text fails the build.
//
// Run by widget/build.sh before esbuild (node widget/gen_bridge.mjs [DIR]); both
// files are git-ignored, so a stale copy can never be read. It fails (exit
// 1, one line on stderr) when a header no longer has what it looks for: an
// enum, an enumerator it names, or a prototype it cannot read.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The widget folder: this script's own, or the one given (the tests run it
// over a changed copy).
const WIDGET = process.argv[2] ? path.resolve(process.argv[2]) : path.dirname(fileURLToPath(import.meta.url));
const CORE = path.join(WIDGET, 'core');

function fail(message) {
  process.stderr.write(`gen_bridge.mjs: ${message}\n`);
  process.exit(1);
}

function read(file) {
  return fs.readFileSync(file, 'utf8');
}

// C text without its comments (the headers have no comment markers inside
// strings).
function uncommented(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

// enum NAME { A = 0, B, C = 5, D } -> [['A', 0], ['B', 1], ['C', 5], ['D', 6]].
function enumerators(header, name) {
  const text = uncommented(read(path.join(CORE, header)));
  const m = new RegExp(`enum\\s+${name}\\s*\\{([^}]*)\\}`).exec(text);
  if (!m) fail(`no enum ${name} in widget/core/${header}`);
  let next = 0;
  return m[1].split(',').map((s) => s.trim()).filter(Boolean).map((item) => {
    const [, id, value] = /^(\w+)\s*(?:=\s*(-?\d+))?$/.exec(item) || fail(`enum ${name}: cannot read "${item}"`);
    next = value === undefined ? next : Number(value);
    return [id, next++];
  });
}

// `case ENUMERATOR: return "name";` pairs of one name function in a .c file.
function caseNames(source, fn) {
  const text = read(path.join(CORE, source));
  const def = new RegExp(`\\b${fn}\\([^)]*\\)\\s*\\{`).exec(text); // the definition, not a call
  if (!def) fail(`no ${fn} in widget/core/${source}`);
  const at = def.index;
  const body = text.slice(at, text.indexOf('\n}', at));
  return new Map([...body.matchAll(/case\s+(\w+):\s*return\s+"([^"]*)";/g)].map((m) => [m[1], m[2]]));
}

const SKIP = /_(NONE|COUNT|UNKNOWN)$/;

// One table of constants.js: the JS names are the enumerators without their
// prefix (lower or upper case as the bridge uses them: the server's
// `State` and `ParticipantRole` values are upper case), or the core's own
// names for it when a name function gives them (the error codes).
function table({ header, name, prefix, upper = false, names, keep = () => true }) {
  const out = [];
  for (const [id, value] of enumerators(header, name)) {
    if (SKIP.test(id)) continue;
    if (!id.startsWith(prefix)) fail(`enum ${name}: ${id} lacks the prefix ${prefix}`);
    const bare = id.slice(prefix.length);
    let key = upper ? bare : bare.toLowerCase();
    if (names) key = names.get(id) ?? fail(`${id} has no name in the core's name function`);
    if (keep(key)) out.push([key, value]);
  }
  if (!out.length) fail(`enum ${name}: nothing to export`);
  return out;
}

const TABLES = [
  ['OWNER', 'which part an input or effect is about', { header: 'wg_fx.h', name: 'wg_owner', prefix: 'WG_OWNER_' }],
  ['REQ', 'the requests whose answers the core wants back', {
    header: 'wg_fx.h', name: 'wg_fx_kind', prefix: 'WG_FX_', keep: (k) => k.startsWith('http_'),
  }],
  ['ERR', 'how a failed request is classified (the c2c:error codes)', {
    header: 'wg_contact.h', name: 'wg_contact_error', prefix: 'WG_CONTACT_ERR_',
    names: caseNames('wg_contact.c', 'wg_contact_error_name'),
  }],
  ['CONTACT_STATE', 'the `State` of a contact.state event', {
    header: 'wg_contact.h', name: 'wg_contact_state', prefix: 'WG_CS_', upper: true,
  }],
  ['ROLE', 'a `ParticipantRole`', { header: 'wg_transcript.h', name: 'wg_role', prefix: 'WG_ROLE_', upper: true }],
  ['SIGNAL', 'the `Type` of a signal event', { header: 'wg_contact.h', name: 'wg_signal_type', prefix: 'WG_SIG_' }],
  ['MEDIA_ERR', 'why the microphone, camera or peer failed', {
    header: 'wg_video.h', name: 'wg_media_error', prefix: 'WG_MEDIA_ERR_',
  }],
  ['ACTION', 'the user actions (the view names them too)', { header: 'wg_widget.h', name: 'wg_action', prefix: 'WG_ACT_' }],
  ['RC', 'what the core\'s functions return', { header: 'wg_err.h', name: 'wg_err', prefix: 'WG_' }],
  ['LOCALE', 'the locales (their BCP 47 tags) and their locale files', {
    header: 'wg_i18n.h', name: 'wg_locale', prefix: 'WG_LOCALE_',
  }],
];

function constantsJs() {
  const lines = [
    '// constants.js - GENERATED by widget/gen_bridge.mjs from the widget core\'s',
    '// headers at build time (git-ignored): do not edit. The numbers the bridge',
    '// passes to the wasm exports; names that come back from the core (effect',
    '// kinds, node kinds, owners) arrive as strings and need no table here.',
  ];
  for (const [js, what, spec] of TABLES) {
    const rows = table(spec);
    const ident = (k) => /^[a-z_][a-z0-9_]*$/i.test(k);
    const entries = rows.map(([k, v]) => `${ident(k) ? k : JSON.stringify(k)}: ${v}`);
    lines.push('', `// ${what}: widget/core/${spec.header} enum ${spec.name}`);
    lines.push(`export const ${js} = /* @__PURE__ */ Object.freeze({ ${entries.join(', ')} });`);
    // Each value on its own too (${js}_<name>): esbuild puts the number in
    // place of a fixed name, and drops a table nothing looks up by key.
    lines.push(rows.filter(([k]) => ident(k)).map(([k, v]) => `export const ${js}_${k} = ${v};`).join('\n'));
  }
  return lines.join('\n') + '\n';
}

// The prototypes of c2c_wasm.h: [{name, ret, params: [{name, kind}]}], kind
// 's' for a (const char *, size_t) pair, 'n' for anything else (numbers,
// and the widget handle, a pointer).
function prototypes() {
  const file = path.join(WIDGET, 'wasm', 'c2c_wasm.h');
  const text = uncommented(read(file)).replace(/\s+/g, ' ');
  const found = [...text.matchAll(/([\w\s*]+?)\b(c2c_\w+)\s*\(([^)]*)\)\s*;/g)];
  if (!found.length) fail('no c2c_ prototype in widget/wasm/c2c_wasm.h');
  return found.map(([, ret, name, list]) => {
    const raw = list.trim() === 'void' || !list.trim() ? [] : list.split(',').map((p) => p.trim());
    const params = [];
    for (let i = 0; i < raw.length; i++) {
      const m = /^(.*?)(\w+)$/.exec(raw[i]) || fail(`${name}: cannot read the parameter "${raw[i]}"`);
      const isText = /\bchar\s*\*\s*$/.test(m[1]) && /^size_t\b/.test(raw[i + 1] || '');
      params.push({ name: m[2], type: m[1].trim(), kind: isText ? 's' : 'n' });
      if (isText) i++; // its length travels with it
    }
    return { name, ret: ret.trim(), params };
  });
}

function jsType(p) {
  return p.kind === 's' ? 'string' : 'number';
}

// One line per export: a call of wrap() with the export's name (without
// its c2c_ prefix) and its argument kinds, which esbuild drops when the
// bridge does not use it (the call is marked pure). The JSDoc type keeps
// the C parameter names and types for readers and tsc.
function exportsJs() {
  const lines = [
    '// exports.js - GENERATED by widget/gen_bridge.mjs from widget/wasm/c2c_wasm.h',
    '// at build time (git-ignored): do not edit. One wrapper per export: the Core',
    '// (wasm.js) first, then the C parameters in order; a (const char *, size_t)',
    '// pair is one JS string, a pointer (the widget handle) a number.',
    '',
    '// The wrapper of the export c2c_<name>: `spec` has one letter per argument,',
    '// \'s\' a string, \'n\' a number (Core.call checks the count).',
    'const wrap = (name, spec) => (core, ...args) => core.call(name, spec, args);',
  ];
  for (const { name, ret, params } of prototypes()) {
    const spec = params.map((p) => p.kind).join('');
    const type = ['core: object', ...params.map((p) => `${p.name}: ${jsType(p)}`)].join(', ');
    lines.push('', `/** ${ret} ${name} @type {(${type}) => number} */`);
    lines.push(`export const ${name} = /* @__PURE__ */ wrap('${name.slice(4)}', '${spec}');`);
  }
  return lines.join('\n') + '\n';
}

// Writes only when the text changed, so that esbuild and make see no change
// otherwise.
function write(file, text) {
  const target = path.join(WIDGET, 'js', file);
  if (fs.existsSync(target) && read(target) === text) return;
  fs.writeFileSync(target, text);
}

// The texts of one table of wg_i18n_tables.c: [[code, text], ...] in order.
function localeTable(source, tag) {
  const m = new RegExp(`static const char texts_${tag}\\[\\] =([\\s\\S]*?);\\n`).exec(source)
    || fail(`widget/locales/wg_i18n_tables.c has no table texts_${tag}`);
  return [...m[1].matchAll(/"((?:[^"\\]|\\.)*)\\0"\s*\/\*\s*(\w+)\s*\*\//g)].map(([, text, code]) =>
    [code, text.replace(/\\(.)/g, (e, c) => ('"\\'.includes(c) ? c : fail(`texts_${tag} ${code}: escape ${e}`)))]);
}

const placeholders = (s) => s.split('%s').length - 1;

function localeFiles() {
  const file = path.join(WIDGET, 'locales', 'wg_i18n_tables.c');
  if (!fs.existsSync(file)) return;
  const source = read(file);
  const codes = table({ header: 'wg_i18n.h', name: 'wg_text', prefix: 'WG_T_', upper: true }).map(([c]) => c);
  const en = new Map(localeTable(source, 'en'));
  const dir = path.join(WIDGET, 'js', 'locales');
  fs.mkdirSync(dir, { recursive: true });
  for (const [tag] of table(TABLES.find(([js]) => js === 'LOCALE')[2])) {
    const texts = localeTable(source, tag);
    codes.forEach((code, i) => {
      const [got, text] = texts[i] || [];
      if (got !== code) fail(`texts_${tag}: ${code} missing (found ${got || 'the end'} in its place)`);
      if (!text || placeholders(text) !== placeholders(en.get(code))) fail(`texts_${tag} ${code}: empty or placeholders unlike English`);
    });
    if (texts.length !== codes.length) fail(`texts_${tag}: ${texts.length - codes.length} texts too many`);
    const bytes = Buffer.from(texts.map(([, t]) => `${t}\0`).join(''), 'utf8');
    const target = path.join(dir, `${tag}.txt`);
    if (!fs.existsSync(target) || !fs.readFileSync(target).equals(bytes)) fs.writeFileSync(target, bytes);
  }
}

write('constants.js', constantsJs());
write('exports.js', exportsJs());
localeFiles();
