// The recipes of the README, run as a widget author runs them (issue 30):
// Node CJS and ESM, a plain page with an import map, esbuild (a browser
// bundle in headless Chromium; a --platform=node bundle in Node), Vite and
// webpack (their builds in headless Chromium). Each app is a scratch project
// that depends on the built package (tests/js/consumer.mjs) and reaches it
// only through `mindgap` and `mindgap/web`. Every page computes the sample
// report, which must equal the one Node computes (but for the tz data
// release, the runtime's own), and checks that errors are MindgapErrors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { consumer, fixtures, pkg, wasmDir } from '../js/consumer.mjs';
import { launchChromium } from '../chromium.mjs';

const tools = createRequire(join(wasmDir, 'package.json'));

/** What every app computes: the sample report, and whether errors are MindgapErrors. */
const APP = `
export function main(mg) {
  const report = mg.gapReport(mg.sampleDiary(300));
  let error = null;
  try {
    mg.run(5, mg.sampleDiary(1));
  } catch (e) {
    error = { isClass: e instanceof mg.MindgapError, isError: e instanceof Error, code: e.code, field: e.location.field };
  }
  const d = new mg.Diary(mg.sampleDiary(10));
  d.free();
  d.free();
  return { report, error };
}
`;
const BROWSER_MAIN = `
import init, * as mg from 'mindgap/web';
import { main } from './app.js';
init().then(() => { window.result = main(mg); }, (e) => { window.result = { failed: String(e) }; });
`;
const HTML = (script) => `<!doctype html><html><head><meta charset="utf-8"></head><body>${script}</body></html>`;

const mgNode = createRequire(join(consumer('reference', { type: 'commonjs' }), 'x.js'))('mindgap');
const { main: nodeMain } = await import(`data:text/javascript,${encodeURIComponent(APP)}`);
const expected = JSON.parse(JSON.stringify(nodeMain(mgNode)));
const withoutTz = ({ report, error }) => ({ report: { ...report, tzdata: undefined }, error });

let browser;
const servers = [];

before(async () => {
  browser = await launchChromium({
  });
});

after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves `root` (symlinks followed, as node_modules/mindgap is one); resolves to its URL. */
function serve(root) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      let path = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
      if (path.endsWith('/')) path = join(path, 'index.html');
      try {
        const body = readFileSync(path);
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/`));
  });
}

/** Opens `url` in Chromium and returns what the page computed (`window.result`). */
async function runPage(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  const logs = [];
  page.on('console', (m) => logs.push(m.text()));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: 30000 }).catch(() => {});
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(problems, [], 'no page error, no failed request');
    assert.ok(result, `no result; console: ${logs.join(' | ')}`);
    assert.equal(result.failed, undefined);
    return result;
  } finally {
    await page.close();
  }
}

function checkResult(result) {
  assert.deepStrictEqual(withoutTz(result), withoutTz(expected));
  assert.deepEqual(result.error, { isClass: true, isError: true, code: 23, field: 'analysis' });
  assert.equal(result.report.tzdata.source, 'Intl');
}

/** A browser app: app.js and main.js in a new consumer project. */
function browserApp(name) {
  const dir = consumer(name);
  writeFileSync(join(dir, 'app.js'), APP);
  writeFileSync(join(dir, 'main.js'), BROWSER_MAIN);
  return dir;
}

test('Node: require("mindgap") (CommonJS) and import from "mindgap" (ESM)', () => {
  const dir = consumer('node');
  writeFileSync(join(dir, 'app.mjs'), APP);
  writeFileSync(join(dir, 'esm.mjs'), `import * as mg from 'mindgap';\nimport { main } from './app.mjs';\nprocess.stdout.write(JSON.stringify(main(mg)));\n`);
  writeFileSync(join(dir, 'cjs.cjs'), `const mg = require('mindgap');\nimport('./app.mjs').then(({ main }) => process.stdout.write(JSON.stringify(main(mg))));\n`);
  for (const file of ['esm.mjs', 'cjs.cjs']) {
    const out = JSON.parse(execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' }));
    assert.deepStrictEqual(out, expected, file);
  }
});

test('a plain page with an import map loads mindgap/web', async () => {
  const dir = browserApp('importmap');
  // Where `mindgap/web` is inside the package, from its own exports.
  const web = relative(pkg, createRequire(join(dir, 'x.js')).resolve('mindgap/web'));
  const map = { imports: { 'mindgap/web': `./node_modules/mindgap/${web}` } };
  writeFileSync(join(dir, 'index.html'), HTML(
    `<script type="importmap">${JSON.stringify(map)}</script><script type="module" src="./main.js"></script>`,
  ));
  checkResult(await runPage(await serve(dir)));
});

/** A Vite production build of the app in `dir`, checked in Chromium. */
async function vitePage(dir) {
  const { build } = await import(tools.resolve('vite'));
  writeFileSync(join(dir, 'index.html'), HTML('<script type="module" src="/main.js"></script>'));
  await build({ root: dir, logLevel: 'error', configFile: false, build: { outDir: join(dir, 'dist') } });
  checkResult(await runPage(await serve(join(dir, 'dist'))));
}

/** A webpack 5 production build of the app in `dir`, checked in Chromium. */
async function webpackPage(dir) {
  const webpack = tools('webpack');
  const dist = join(dir, 'dist');
  const stats = await new Promise((resolve, reject) =>
    webpack({ mode: 'production', context: dir, entry: './main.js', output: { path: dist, publicPath: 'auto' } }, (err, s) =>
      err ? reject(err) : resolve(s),
    ),
  );
  assert.equal(stats.hasErrors(), false, stats.toString('errors-only'));
  writeFileSync(join(dist, 'index.html'), HTML('<script src="./main.js"></script>'));
  checkResult(await runPage(await serve(dist)));
}

/** A browser app importing the bare name (`mindgap`, `mindgap/report`), no `init()`. */
function bareApp(name, specifier) {
  const dir = consumer(name);
  writeFileSync(join(dir, 'app.js'), APP);
  writeFileSync(join(dir, 'main.js'), `import * as mg from '${specifier}';\nimport { main } from './app.js';\nwindow.result = main(mg);\n`);
  return dir;
}

// esbuild keeps `new URL('mindgap_bg.wasm', import.meta.url)` as it is: the
// .wasm goes beside the bundle (the recipe's copy step), for `mindgap/web` +
// init() and for the bare name alike.
for (const [name, make] of [
  ["'mindgap/web' and init()", () => browserApp('esbuild')],
  ["import from 'mindgap' without init()", () => bareApp('esbuild-bare', 'mindgap')],
]) {
  test(`esbuild: a browser bundle, ${name}, the .wasm copied beside it, in Chromium`, async () => {
    const esbuild = tools('esbuild');
    const dir = make();
    const dist = join(dir, 'dist');
    await esbuild.build({ absWorkingDir: dir, entryPoints: ['main.js'], bundle: true, format: 'esm', outdir: dist, logLevel: 'error' });
    const wasm = createRequire(join(dir, 'x.js')).resolve('mindgap/web/mindgap_bg.wasm');
    copyFileSync(wasm, join(dist, 'mindgap_bg.wasm'));
    writeFileSync(join(dist, 'index.html'), HTML('<script type="module" src="./main.js"></script>'));
    checkResult(await runPage(await serve(dist)));
  });
}

test('esbuild: a browser bundle with the .wasm inlined (initSync), in Chromium', async () => {
  const esbuild = tools('esbuild');
  const dir = consumer('esbuild-inline');
  writeFileSync(join(dir, 'app.js'), APP);
  // The .wasm through the package's own export, as the README shows.
  writeFileSync(join(dir, 'main.js'), `
import { initSync } from 'mindgap/web';
import * as mg from 'mindgap/web';
import bytes from 'mindgap/web/mindgap_bg.wasm';
import { main } from './app.js';
initSync({ module: bytes });
window.result = main(mg);
`);
  const dist = join(dir, 'dist');
  await esbuild.build({ absWorkingDir: dir, entryPoints: ['main.js'], bundle: true, format: 'esm', outdir: dist, loader: { '.wasm': 'binary' }, logLevel: 'error' });
  writeFileSync(join(dist, 'index.html'), HTML('<script type="module" src="./main.js"></script>'));
  checkResult(await runPage(await serve(dist)));
});

test('esbuild --platform=node: a CommonJS bundle runs in Node', async () => {
  const esbuild = tools('esbuild');
  const dir = consumer('esbuild-node', { type: 'commonjs' });
  writeFileSync(join(dir, 'app.js'), APP.replace('export function main', 'module.exports.main = function main'));
  writeFileSync(join(dir, 'server.js'), `const mg = require('mindgap');\nconst { main } = require('./app.js');\nprocess.stdout.write(JSON.stringify(main(mg)));\n`);
  const dist = join(dir, 'dist');
  mkdirSync(dist);
  // mindgap stays a package the bundle requires at run time (--packages=external):
  // its .wasm is read from node_modules where it was installed.
  await esbuild.build({ absWorkingDir: dir, entryPoints: ['server.js'], bundle: true, platform: 'node', packages: 'external', outfile: join(dist, 'server.js'), logLevel: 'error' });
  assert.deepStrictEqual(JSON.parse(execFileSync(process.execPath, [join(dist, 'server.js')], { cwd: dir, encoding: 'utf8' })), expected);
});

for (const specifier of ['mindgap', 'mindgap/report']) {
  test(`Vite: import from '${specifier}' works without init() (initialised on import), in Chromium`, async () => {
    await vitePage(bareApp(`vite-bare-${specifier.replace('/', '-')}`, specifier));
  });
}

test("webpack 5: import from 'mindgap' works without init(), in Chromium", async () => {
  await webpackPage(bareApp('webpack-bare', 'mindgap'));
});

test('esbuild --platform=node --format=esm: the package bundled in, .wasm inlined (initSync), runs in Node', async () => {
  const esbuild = tools('esbuild');
  const dir = consumer('esbuild-node-esm');
  writeFileSync(join(dir, 'app.mjs'), APP);
  writeFileSync(join(dir, 'server.mjs'), `
import * as mg from 'mindgap/web';
import bytes from 'mindgap/web/mindgap_bg.wasm';
import { main } from './app.mjs';
mg.initSync({ module: bytes });
process.stdout.write(JSON.stringify(main(mg)));
`);
  const out = join(dir, 'dist', 'server.mjs');
  await esbuild.build({ absWorkingDir: dir, entryPoints: ['server.mjs'], bundle: true, platform: 'node', format: 'esm', target: 'node18', loader: { '.wasm': 'binary' }, outfile: out, logLevel: 'error' });
  // esbuild's default target writes the inlined bytes with
  // Uint8Array.fromBase64, which Node before 25 lacks: --target=node18.
  const result = JSON.parse(execFileSync(process.execPath, [out], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 26 }));
  // The web glue's time zones are the runtime's (Intl), as in a browser.
  assert.deepStrictEqual(withoutTz(result), withoutTz(expected));
  assert.equal(result.report.tzdata.source, 'Intl');
});

test("a Node bundle of the CommonJS entry that cannot find the .wasm says what to do", async () => {
  const esbuild = tools('esbuild');
  const dir = consumer('esbuild-node-inlined');
  writeFileSync(join(dir, 'server.mjs'), `import { version } from 'mindgap';\nconsole.log(version());\n`);
  const out = join(dir, 'dist', 'server.mjs');
  await esbuild.build({ absWorkingDir: dir, entryPoints: ['server.mjs'], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
  let failure;
  try {
    execFileSync(process.execPath, [out], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    failure = e.stderr;
  }
  assert.match(failure ?? 'it ran', /mindgap: cannot read its WebAssembly module .*--packages=external.*initSync/s);
});

test('Vite: a production build, in Chromium', async () => {
  await vitePage(browserApp('vite'));
});

test('webpack 5: a production build, in Chromium', async () => {
  await webpackPage(browserApp('webpack'));
});

// ---------------------------------------------------------------------------
// The README's snippets, as written: each block after a `<!-- run: … -->`
// line runs in a scratch app (Node ESM and CJS beside a diary.json and an
// interactions.csv, the page served from the app's root).

const readme = readFileSync(join(wasmDir, 'README.md'), 'utf8');
const snippets = Object.fromEntries(
  [...readme.matchAll(/<!-- run: ([\w-]+)[^>]*-->\n```\w+\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]),
);

test('the README has its snippets marked to run', () => {
  assert.deepEqual(Object.keys(snippets).sort(), ['node-cjs', 'node-esm', 'page']);
});

function readmeApp(name) {
  const dir = consumer(name);
  copyFileSync(join(fixtures, 'diary-small.json'), join(dir, 'diary.json'));
  writeFileSync(
    join(dir, 'interactions.csv'),
    'id,opened_at,first_response_at,channel,stage\n' +
      'c1,2026-05-04T10:00:00+03:00,2026-05-04T12:00:00+03:00,email,service\n' +
      'c2,2026-05-04T11:00:00+03:00,,chat,attraction\n',
  );
  return dir;
}

test('README: the Node ESM and CommonJS snippets run as written', () => {
  const dir = readmeApp('readme-node');
  writeFileSync(join(dir, 'app.mjs'), snippets['node-esm']);
  const out = execFileSync(process.execPath, ['app.mjs'], { cwd: dir, encoding: 'utf8' });
  const lines = out.trim().split('\n');
  // The sample's four stages, the error, then the NPS object.
  assert.deepEqual(lines.slice(0, 4).map((l) => l.split(' ')[0]), expected.report.stages.map((s) => s.name.split(' ')[0]), out);
  assert.match(lines[4], /^15 invalid_value score at added\[1\], record "f-new", field "score": /);
  assert.ok(lines.length > 5, out);
  writeFileSync(join(dir, 'app.cjs'), snippets['node-cjs']);
  const cjs = execFileSync(process.execPath, ['app.cjs'], { cwd: dir, encoding: 'utf8' });
  assert.equal(cjs.trim(), 'attraction purchase service repeat');
});

test('README: the import-map page runs as written, in Chromium', async () => {
  const dir = readmeApp('readme-page');
  writeFileSync(join(dir, 'index.html'), HTML(snippets.page));
  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  try {
    await page.goto(await serve(dir));
    // The snippet replaces the body's scripts with its text.
    await page.waitForFunction(() => !document.body.querySelector('script'), null, { timeout: 30000 });
    assert.deepEqual(problems, []);
    const names = expected.report.stages.map((s) => s.name).join(', ');
    assert.equal(await page.evaluate(() => document.body.textContent), names);
  } finally {
    await page.close();
  }
});
