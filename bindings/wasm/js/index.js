// The browser entry of the bare names `mindgap` and `mindgap/report` (in a
// bundler, an import map or a CDN): the web build, initialised on import by
// a top-level await that fetches mindgap_bg.wasm beside mindgap.js (bundlers
// that follow `new URL(…, import.meta.url)`, Vite and webpack 5, emit the
// .wasm with the bundle), so the first call works without `init()`.
// `mindgap/web` is the same module without the await: for `initSync` with
// bytes from elsewhere, or an init of one's own timing. Copied beside each
// web build by scripts/test-wasm.sh.
import init from './mindgap.js';

export * from './mindgap.js';
export { default } from './mindgap.js';

await init();
