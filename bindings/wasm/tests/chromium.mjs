// Headless Chromium for the browser tests: the system browser through
// playwright-core (never a downloaded one), with the flags this machine
// kind needs (TOOLCHAIN.md). One launch for the recipes, the web widget and
// the CLI's HTML report.
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { chromium } = createRequire(new URL('../package.json', import.meta.url))('playwright-core');

/** A persistent context in a fresh profile; `options` add to or override the defaults. */
export function launchChromium(options = {}) {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mindgap-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
    ],
    deviceScaleFactor: 1,
    ...options,
  });
}
