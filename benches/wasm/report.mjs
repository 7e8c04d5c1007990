// The gap report over 100k interactions: the npm package in Node against
// the native core (a release build of bindings/wasm/examples/bench_report.rs)
// on the same diary, and the report again after one interaction is added
// (read from the accumulators). `node benches/wasm/report.mjs [interactions] [repeats]`.
// Prints both times and the ratio (target: wasm within 2.5x of native), then
// a closing `N passed, N failed` line. The ratio fails the run only with
// MINDGAP_BENCH_STRICT=1 (timings on a shared machine are noisy).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const mg = require('../../bindings/wasm/pkg/node/mindgap.js');
const root = new URL('../../', import.meta.url).pathname;
const rows = Number(process.argv[2] ?? 100000);
const repeats = Number(process.argv[3] ?? 3);
const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const dir = join(target, 'bench');
mkdirSync(dir, { recursive: true });
const file = join(dir, `diary-${rows}.json`);
const sample = mg.sampleDiary(rows);
const text = JSON.stringify(sample);
// The interaction added before the report is asked again (as bench_report.rs
// adds it): a copy of the last one under a new id.
const added = { ...sample.interactions.at(-1), id: 'bench-added' };
const second = { ...added, id: 'bench-added-2' };
// What the web widget asks after each add.
const widget = (d) => {
  const a = d.report({ by: ['week'] });
  const b = d.run('trend', {});
  const c = d.run('follow_ups', { show: 'open' });
  if (!a.stages.length || !b || !c) throw new Error('empty result');
};
writeFileSync(file, text);

const best = (xs) => Math.min(...xs);
const load = [], report = [], again = [], page = [];
for (let i = 0; i < repeats; i++) {
  let t = performance.now();
  const d = new mg.Diary(text);
  load.push(performance.now() - t);
  t = performance.now();
  const r = d.report();
  report.push(performance.now() - t);
  if (r.stages.length === 0) throw new Error('empty report');
  d.addInteraction(added);
  t = performance.now();
  const r2 = d.report();
  again.push(performance.now() - t);
  if (r2.stages.length === 0) throw new Error('empty report');
  widget(d);
  d.addInteraction(second);
  t = performance.now();
  widget(d);
  page.push(performance.now() - t);
  d.free();
}
const js = { load_ms: best(load), report_ms: best(report), again_ms: best(again), page_ms: best(page) };

const out = execFileSync(
  'cargo',
  ['run', '--quiet', '--release', '--locked', '-p', 'mindgap-wasm', '--example', 'bench_report', '--', file, String(repeats)],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
);
const native = JSON.parse(out.trim().split('\n').pop());

const f = (x) => x.toFixed(1).padStart(8);
console.log(`report over ${native.interactions} interactions (${(text.length / 1e6).toFixed(1)} MB of JSON), best of ${repeats}`);
console.log(`              native ms   wasm ms   ratio`);
console.log(`read diary   ${f(native.load_ms)}  ${f(js.load_ms)}   ${(js.load_ms / native.load_ms).toFixed(2)}x`);
console.log(`report       ${f(native.report_ms)}  ${f(js.report_ms)}   ${(js.report_ms / native.report_ms).toFixed(2)}x`);
console.log(`after an add ${f(native.again_ms)}  ${f(js.again_ms)}   ${(js.again_ms / native.again_ms).toFixed(2)}x   (the report again after one interaction is added)`);
console.log(`widget page  ${f(native.page_ms)}  ${f(js.page_ms)}   ${(js.page_ms / native.page_ms).toFixed(2)}x   (weekly report, trend, open follow-ups after an add)`);
const total = (js.load_ms + js.report_ms) / (native.load_ms + native.report_ms);
console.log(`both         ${f(native.load_ms + native.report_ms)}  ${f(js.load_ms + js.report_ms)}   ${total.toFixed(2)}x`);
const ratio = js.report_ms / native.report_ms;
const ok = ratio <= 2.5;
console.log(ok ? 'report ratio within the 2.5x target' : `report ratio ${ratio.toFixed(2)}x is over the 2.5x target`);
console.log(`${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
if (!ok && process.env.MINDGAP_BENCH_STRICT === '1') process.exit(1);
