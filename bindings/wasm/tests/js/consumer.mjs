// A scratch project that depends on the built package the way an app does:
// its node_modules/mindgap is the package directory (bindings/wasm/pkg), so
// tests reach it only through its public entry points (`mindgap`,
// `mindgap/web`) and its package.json exports, whatever its layout inside.
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
export const wasmDir = fileURLToPath(new URL('../../', import.meta.url));
export const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

/** A new project directory named after `name` with mindgap installed. */
export function consumer(name, { type = 'module' } = {}) {
  if (!existsSync(join(pkg, 'package.json'))) {
    throw new Error(`build the package first (scripts/test-wasm.sh build): no ${pkg}package.json`);
  }
  const dir = mkdtempSync(join(tmpdir(), `mindgap-${name}-`));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(pkg, join(dir, 'node_modules', 'mindgap'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `use-${name}`, private: true, type }, null, 2));
  return dir;
}
