/*
 * Checks the built type declarations from a consumer's side: compiles fixtures/consumer.tsx
 * (which imports web/react/dist) with the root's TypeScript and --noEmit.
 * Run from the repo root after building: npx tsc -p web/react && node --test web/react/test/
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

test('the declarations accept typical use and reject wrong props', () => {
  assert.ok(existsSync(join(here, '..', 'dist', 'index.d.ts')), 'dist is missing: run npx tsc -p web/react first');
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(here, 'fixtures', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(run.status, 0, `tsc failed:\n${run.stdout}${run.stderr}`);
});
