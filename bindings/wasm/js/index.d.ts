// The browser entry of `mindgap` and `mindgap/report`: the web build,
// initialised on import (see index.js). `init()` is still there and does
// nothing once the module is loaded.
export * from './mindgap.js';
export { default } from './mindgap.js';
