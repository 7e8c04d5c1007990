// Patches wasm-bindgen's Node glue (CommonJS) of one build so that it reads
// the web build's .wasm (the package holds each .wasm once) and, when the
// file is not there (the package bundled into a Node app), says what to do
// instead of failing on `__dirname` or a bare ENOENT. Run by
// scripts/test-wasm.sh: node node-glue.mjs <build>/node/mindgap.js
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
let glue = readFileSync(file, 'utf8');

function replaceOnce(from, to) {
  const parts = glue.split(from);
  if (parts.length !== 2) {
    console.error(`${file}: expected ${JSON.stringify(from)} once, found it ${parts.length - 1} times: wasm-bindgen's Node glue changed`);
    process.exit(1);
  }
  glue = parts.join(to);
}

replaceOnce(
  'const wasmPath = `${__dirname}/mindgap_bg.wasm`;',
  "const wasmPath = typeof __dirname === 'string' ? `${__dirname}/../web/mindgap_bg.wasm` : undefined;",
);
replaceOnce(
  "const wasmBytes = require('fs').readFileSync(wasmPath);",
  `let wasmBytes;
try {
    wasmBytes = require('fs').readFileSync(wasmPath);
} catch (e) {
    throw new Error(\`mindgap: cannot read its WebAssembly module (\${wasmPath ?? 'no __dirname: the package was bundled into an ES module'}: \${e.message}). \` +
        "A Node bundle keeps the package external (esbuild --packages=external, webpack externals), " +
        "or imports 'mindgap/web' and calls initSync({ module }) with the bytes of 'mindgap/web/mindgap_bg.wasm' (esbuild --loader:.wasm=binary).");
}`,
);
writeFileSync(file, glue);
