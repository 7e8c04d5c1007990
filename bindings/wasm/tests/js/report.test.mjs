// The report build (`mindgap/report`, pkg/report): the gap report of the
// full build to the byte (the golden report), a Diary fed plain objects, JSON
// and JSON Lines, thrown errors; what it leaves out (trends, the closed loop,
// drill-down, CSV) is refused by name. And
// the package layout: each .wasm once, the Node entries of both builds
// resolving through `exports` for ESM and CommonJS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
const report = require('../../pkg/report/node/mindgap.js');
const full = require('../../pkg/node/mindgap.js');
const root = new URL('../../../../', import.meta.url);
const fixture = (p) => readFileSync(new URL(`fixtures/${p}`, root));

test('the golden report: the report build gives the CLI report', () => {
  const golden = JSON.parse(fixture('golden/sample-300-report.json'));
  const got = report.gapReport(report.sampleDiary(300));
  // The tz data differs by design (the runtime's Intl here, compiled into
  // the native build that wrote the golden file).
  assert.deepStrictEqual(got.tzdata, { source: 'Intl', release: process.versions.tz || 'unknown' });
  golden.tzdata = got.tzdata;
  assert.deepStrictEqual(got, golden);
  const d = report.Diary.sample(300);
  try {
    assert.deepStrictEqual(d.report(), golden);
    assert.deepStrictEqual(d.run('report', {}), golden);
  } finally {
    d.free();
  }
  // Byte for byte as the full build prints it, roll-ups included.
  const options = { by: ['week', 'channel'], lang: 'ru' };
  const diary = JSON.stringify(full.sampleDiary(500));
  assert.equal(
    JSON.stringify(report.gapReport(diary, options), null, 2),
    JSON.stringify(full.gapReport(diary, options), null, 2),
  );
});

test('a Diary fed plain objects, JSON Lines and added records', () => {
  const whole = report.sampleDiary(120);
  const defs = { ...whole, interactions: [], feedback: [] };
  const d = new report.Diary(defs);
  const f = new full.Diary(JSON.stringify(whole));
  try {
    for (const i of whole.interactions.slice(0, 60)) d.addInteraction(i);
    const jsonl = whole.interactions.slice(60).map((i) => JSON.stringify({ type: 'interaction', ...i })).join('\n');
    d.readJsonl(jsonl, 'rest.jsonl');
    for (const fb of whole.feedback) d.addRecord({ type: 'feedback', ...fb });
    assert.deepEqual(d.counts, f.counts);
    assert.deepStrictEqual(d.report({ by: ['stage'] }), f.report({ by: ['stage'] }));
    assert.deepStrictEqual(d.toJSON(), f.toJSON());
    assert.equal(d.validation().ok, true);
  } finally {
    d.free();
    f.free();
  }
});

test('errors are thrown with the core code, kind and location', () => {
  const d = new report.Diary(report.sampleDiary(0));
  try {
    assert.throws(
      () => d.addFeedback({ id: 'f-1', at: '2026-05-05T10:00:00+03:00', kind: 'nps', score: 11, stage: 'service' }),
      (e) =>
        e instanceof Error && e.name === 'MindgapError' && e.code === 15 && e.kind === 'invalid_value' &&
        e.location.record === 'f-1' && e.location.field === 'score',
    );
  } finally {
    d.free();
  }
  assert.throws(() => report.gapReport('{"schema": "mindgap/1", "name": '), (e) => e.code === 11 && e.kind === 'syntax');
});

test('what the report build leaves out is refused by name, not as unknown', () => {
  assert.deepEqual(report.analyses(), ['validate', 'report', 'diary']);
  for (const name of ['trend', 'follow_ups', 'due', 'drill', 'people', 'problems']) {
    assert.throws(
      () => report.run(name, report.sampleDiary(10)),
      (e) => e.code === 23 && new RegExp(`^${name} is not in this build of mindgap`).test(e.message.replace(/^.*?: /, '')),
      name,
    );
  }
  for (const fn of ['parseCsv', 'validate', 'trend', 'followUps', 'due', 'drillDown', 'people', 'problems']) {
    assert.equal(report[fn], undefined, fn);
    assert.equal(typeof full[fn], 'function', fn);
  }
  assert.equal(report.Diary.prototype.readCsv, undefined);
  assert.equal(typeof full.Diary.prototype.readCsv, 'function');
  // A report's trend option is refused the same way, naming the feature.
  assert.throws(
    () => report.gapReport(report.sampleDiary(10), { trend: true }),
    (e) => e.name === 'MindgapError' && e.code === 23 && /trends are not in this build of mindgap/.test(e.message),
  );
  assert.equal(typeof full.gapReport(full.sampleDiary(200), { trend: true }).trend, 'object');
});

test('each .wasm ships once; both Node entries load the web build file', () => {
  assert.ok(existsSync(join(pkg, 'web/mindgap_bg.wasm')));
  assert.ok(existsSync(join(pkg, 'report/web/mindgap_bg.wasm')));
  assert.ok(!existsSync(join(pkg, 'node/mindgap_bg.wasm')));
  assert.ok(!existsSync(join(pkg, 'report/node/mindgap_bg.wasm')));
  assert.match(readFileSync(join(pkg, 'node/mindgap.js'), 'utf8'), /\.\.\/web\/mindgap_bg\.wasm/);
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.files, ['node/', 'web/', 'report/', 'README.md']);
});

test('exports resolve for Node ESM and CommonJS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mindgap-exports-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(pkg, join(dir, 'node_modules', 'mindgap'), 'dir');
  writeFileSync(
    join(dir, 'esm.mjs'),
    "import { gapReport, analyses } from 'mindgap';\n" +
      "import * as small from 'mindgap/report';\n" +
      "const r = small.gapReport(small.sampleDiary(50));\n" +
      "console.log(JSON.stringify([analyses().length, small.analyses().length, r.schema, gapReport(small.sampleDiary(50)).schema]));\n",
  );
  writeFileSync(
    join(dir, 'cjs.cjs'),
    "const full = require('mindgap');\nconst small = require('mindgap/report');\n" +
      "console.log(JSON.stringify([full.analyses().length, small.analyses().length, small.gapReport(small.sampleDiary(50)).schema, full.gapReport(full.sampleDiary(50)).schema]));\n",
  );
  const want = [9, 3, 'mindgap/report/1', 'mindgap/report/1'];
  for (const file of ['esm.mjs', 'cjs.cjs']) {
    const out = execFileSync(process.execPath, [join(dir, file)], { cwd: dir, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), want, file);
  }
});
