// The widget in headless Chromium (playwright-core, the system browser):
// it loads the report build alone and renders the diary table, the full
// build comes only when follow-ups or trends are opened, an added
// interaction changes the figures, a malformed file shows an error; a
// screenshot goes to target/widget.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serve } from '../serve.mjs';
import { launchChromium } from '../../../bindings/wasm/tests/chromium.mjs';

const targetDir = process.env.CARGO_TARGET_DIR ?? new URL('../../../target', import.meta.url).pathname;
let server, browser, page;
const pageErrors = [];
const wasmFetched = []; // the .wasm files the page asked for, in order

before(async () => {
  server = await serve(0);
  // The system Chromium (never a downloaded one), with the headless flags of
  // TOOLCHAIN.md; playwright takes the profile directory (--user-data-dir) as
  // the first argument of launchPersistentContext.
  browser = await launchChromium({
    viewport: { width: 1240, height: 900 },
  });
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.endsWith('.wasm')) wasmFetched.push(path.replace(/^.*\/pkg\//, ''));
  });
  await page.goto(`http://127.0.0.1:${server.address().port}/examples/web-widget/`);
  await page.waitForSelector('body[data-ready]', { timeout: 20000 });
});

after(async () => {
  await browser?.close();
  server?.close();
});

const stageRow = (id) =>
  page.$eval(`tr[data-stage="${id}"]`, (tr) => ({ n: Number(tr.dataset.n), missed: Number(tr.dataset.missed) }));

test('the page loads the sample and renders the diary table and charts', async () => {
  const rows = await page.$$eval('#diary-table tbody tr', (trs) => trs.map((tr) => tr.dataset.stage));
  assert.deepEqual(rows, ['attraction', 'purchase', 'service', 'repeat']);
  assert.match(await page.textContent('#card-interactions .value'), /^300$/);
  assert.ok((await page.$$('#zone-chart circle')).length > 3, 'zone chart markers');
  assert.ok((await page.$$('#weekly-chart polyline')).length === 1, 'weekly line');
  assert.equal(await page.isVisible('#error'), false);
  // Only the report build so far.
  assert.deepEqual(wasmFetched, ['report/web/mindgap_bg.wasm']);
});

test('opening the follow-ups loads the full build and lists them', async () => {
  await page.click('#followups > summary');
  await page.waitForSelector('body[data-full]', { timeout: 20000 });
  assert.deepEqual(wasmFetched, ['report/web/mindgap_bg.wasm', 'web/mindgap_bg.wasm']);
  // The follow-up list: the 300-row sample has open ones, overdue first.
  assert.equal(await page.isVisible('#followup-list'), true);
  const states = await page.$$eval('#followup-list li', (lis) => lis.map((li) => li.className));
  assert.ok(states.length > 0, 'follow-ups listed');
  assert.ok(states.every((s) => s === 'overdue' || s === 'open'), states.join());
  assert.deepEqual(states, [...states].sort((a, b) => (a === 'overdue' ? 0 : 1) - (b === 'overdue' ? 0 : 1)));
  assert.match(await page.textContent('#followup-summary'), /\d+ overdue · \d+ open · \d+ closed/);
  // Trends, opened next, come from the same full build (fetched once).
  const full = await page.$eval('body', (b) => Number(b.dataset.full));
  await page.click('#trends > summary');
  await page.waitForFunction((f) => Number(document.body.dataset.full) > f, full);
  assert.ok((await page.$$('#trend-list .trend svg')).length > 0, 'trend sparklines');
  assert.equal(wasmFetched.length, 2);
});

test('adding a late interaction updates every figure at once', async () => {
  const before = await stageRow('service');
  const missedBefore = await page.$eval('#card-missed', (c) => ({ k: Number(c.dataset.k), n: Number(c.dataset.n) }));
  const ready = await page.$eval('body', (b) => Number(b.dataset.ready));
  await page.selectOption('#add-form select[name=stage]', 'service');
  await page.selectOption('#add-form select[name=channel]', 'email');
  await page.fill('#add-form input[name=reply]', '400'); // over two weeks: misses any reply-time zone
  await page.click('#add-form button[type=submit]');
  await page.waitForFunction((r) => Number(document.body.dataset.ready) > r, ready);
  assert.match(await page.textContent('#card-interactions .value'), /^301$/);
  const after = await stageRow('service');
  assert.ok(after.n > before.n, `service observations ${before.n} -> ${after.n}`);
  assert.ok(after.missed > before.missed, `service missed ${before.missed} -> ${after.missed}`);
  const missedAfter = await page.$eval('#card-missed', (c) => ({ k: Number(c.dataset.k), n: Number(c.dataset.n) }));
  assert.equal(missedAfter.k - missedBefore.k, after.missed - before.missed);
  assert.match(await page.textContent('#form-status'), /^Added web-1-/);
});

test('a malformed file shows an error message, and the page stays', async () => {
  await page.setInputFiles('#file-input', {
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"schema": "mindgap/1", "name": '),
  });
  await page.waitForSelector('#error:not([hidden])');
  const text = await page.textContent('#error');
  assert.match(text, /Could not read broken\.json/);
  assert.match(text, /broken\.json line 1, at name: malformed input: EOF while parsing a value/);
  assert.match(text, /error 11, syntax/);
  assert.equal(await page.isVisible('#diary-table'), true);
  await page.setInputFiles('#file-input', {
    name: 'interactions.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('id,opened_at,channel,stage\ni1,yesterday,email,attraction\n'),
  });
  await page.waitForFunction(() => document.querySelector('#error').textContent.includes('interactions.csv'));
  assert.match(await page.textContent('#error'), /interactions\.csv line 2, record "i1", field "opened_at": invalid value "yesterday"/);
});

test('a good CSV replaces the sample records; the screenshot is written', async () => {
  const ready = await page.$eval('body', (b) => Number(b.dataset.ready));
  await page.setInputFiles('#file-input', {
    name: 'crm.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'id,opened_at,first_response_at,channel,stage\n' +
        'c1,2026-06-01T10:00:00+03:00,2026-06-01T10:20:00+03:00,chat,service\n' +
        'c2,2026-06-02T10:00:00+03:00,2026-06-05T10:00:00+03:00,email,service\n',
    ),
  });
  await page.waitForFunction((r) => Number(document.body.dataset.ready) > r, ready);
  assert.equal(await page.isVisible('#error'), false);
  assert.match(await page.textContent('#card-interactions .value'), /^2$/);
  // Back to the sample for the picture.
  await page.click('#load-sample');
  await page.waitForFunction((r) => Number(document.body.dataset.ready) > r + 1, ready);
  mkdirSync(targetDir, { recursive: true });
  await page.screenshot({ path: join(targetDir, 'widget.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});
