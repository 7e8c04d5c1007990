// The HTML report of the sample (`mindgap report --format html`) in headless
// Chromium (playwright-core, the system browser), in English and Russian:
// every chart is drawn, nothing is fetched, the Russian page shows no
// English word outside the data, and the page prints on A4. Screenshots go
// to $CARGO_TARGET_DIR/report-en.png and report-ru.png (the first screen:
// report-{en,ru}-top.png, copied to docs/img), the printed pages
// to report-en.pdf and report-ru.pdf.
//
//   MINDGAP=target/debug/mindgap node --test crates/mindgap-cli/tests/html/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../../../../bindings/wasm/tests/chromium.mjs';

const root = new URL('../../../../', import.meta.url).pathname;

const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const bin = process.env.MINDGAP ?? join(targetDir, 'debug', 'mindgap');
const work = mkdtempSync(join(tmpdir(), 'mindgap-html-'));
let browser;
const pages = {};
const requests = [];

/// The report of the sample with two breakdowns, written to a file.
function report(lang) {
  const html = execFileSync(bin, ['report', '--sample', '--lang', lang, '--by', 'channel', '--by', 'employee', '--format', 'html'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const file = join(work, `report-${lang}.html`);
  writeFileSync(file, html);
  return { html, url: pathToFileURL(file).href };
}

before(async () => {
  assert.ok(existsSync(bin), `the mindgap binary: ${bin} (cargo build -p mindgap-cli, or set MINDGAP)`);
  browser = await launchChromium({
    viewport: { width: 1180, height: 900 },
    javaScriptEnabled: false, // the report is read without any script
  });
  browser.on('request', (r) => requests.push(r.url()));
  for (const lang of ['en', 'ru']) {
    const { html, url } = report(lang);
    const page = await browser.newPage();
    await page.goto(url);
    pages[lang] = { page, html };
  }
});

after(async () => {
  await browser?.close();
});

test('the page is one file: no script, nothing fetched', () => {
  for (const { html } of Object.values(pages)) {
    assert.doesNotMatch(html, /<script|<link|<img|@import|url\(/i);
  }
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), []);
});

test('every chart is drawn, with its label', async () => {
  for (const [lang, { page }] of Object.entries(pages)) {
    const count = (sel) => page.locator(sel).count();
    const expectations = await count('#diary tr[data-expectation]');
    assert.ok(expectations >= 10, `${lang}: diary rows ${expectations}`);
    assert.equal(await count('#zones svg g.mg-row'), expectations, `${lang}: a zone row per expectation`);
    assert.ok((await count('#zones svg circle')) > expectations / 2, `${lang}: median dots`);
    assert.ok((await count('#zones svg .mg-p90')) > expectations / 2, `${lang}: p90 marks`);
    assert.equal(await count('#stages svg g.mg-row'), 4, `${lang}: a bar per stage`);
    assert.equal(await count('#weekly svg polyline'), 1, `${lang}: weekly line`);
    assert.equal(await count('#weekly svg polygon'), 1, `${lang}: weekly band`);
    assert.equal(await count('#feedback svg circle'), 3, `${lang}: NPS, CSAT, CES`);
    assert.ok((await count('#ipa svg circle')) >= 10, `${lang}: importance–performance points`);
    assert.ok((await count('#diary svg.mg-spark')) >= 10, `${lang}: sparklines`);
    assert.equal(await count('#breakdowns .breakdown'), 2, `${lang}: --by channel, --by employee`);
    assert.ok((await count('#breakdowns .breakdown[data-by=employee] svg circle')) >= 8, `${lang}: employee ranking`);
    assert.ok((await count('#focus li')) >= 1, `${lang}: where to act first`);
    assert.equal(await count('h1'), 1, `${lang}: the title once`);
    // Every chart says what it is to a screen reader.
    const unlabelled = await page.$$eval('svg.mg-chart', (svgs) => svgs.filter((s) => !s.getAttribute('aria-label') || s.getAttribute('role') !== 'img').length);
    assert.equal(unlabelled, 0, `${lang}: charts without role/aria-label`);
    // Nothing drawn outside its chart.
    const overflow = await page.$$eval('svg.mg-chart text', (ts) =>
      ts.filter((t) => {
        if (t.hasAttribute('transform')) return false; // rotated: its box is not its place
        const b = t.getBBox();
        const v = t.ownerSVGElement.viewBox.baseVal;
        return b.x < v.x - 1 || b.x + b.width > v.x + v.width + 1;
      }).map((t) => t.textContent));
    assert.deepEqual(overflow, [], `${lang}: texts outside their chart`);
  }
});

test('the Russian page shows no English word outside the data', async () => {
  const { page } = pages.ru;
  // The words of the page itself: headings, notes, column heads, chart
  // labels (data names, ids and keys carry class mg-data).
  const texts = await page.$$eval(
    'h2, h3, .note, .summary, .lines li, thead th, summary, footer, svg text:not(.mg-data), svg > title',
    (els) => els.map((e) => e.textContent),
  );
  assert.ok(texts.length > 100, `texts seen: ${texts.length}`);
  const allowed = new Set(['nps', 'csat', 'ces', 'p50', 'p90', 'n', 'mindgap']);
  const english = texts
    .flatMap((t) => t.match(/[A-Za-z][A-Za-z0-9]*/g) ?? [])
    .filter((w) => !allowed.has(w.toLowerCase()));
  assert.deepEqual([...new Set(english)], []);
  // And the English page is English.
  const en = await pages.en.page.textContent('#zones h2');
  assert.equal(en, 'Zone of tolerance');
  assert.equal(await page.textContent('#zones h2'), 'Зона толерантности');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
});

test('screenshots and the printed A4 pages are written', async () => {
  mkdirSync(targetDir, { recursive: true });
  for (const [lang, { page }] of Object.entries(pages)) {
    await page.screenshot({ path: join(targetDir, `report-${lang}.png`), fullPage: true });
    // The first screen, as docs/img shows it.
    await page.screenshot({ path: join(targetDir, `report-${lang}-top.png`) });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ path: join(targetDir, `report-${lang}.pdf`), format: 'A4', printBackground: true });
    assert.ok(pdf.length > 10000, `${lang}: printed ${pdf.length} bytes`);
    // Printed, the tables of figures show (no clickable summary on paper).
    assert.equal(await page.isVisible('#weekly details table'), true);
    await page.emulateMedia({ media: 'screen' });
  }
});
