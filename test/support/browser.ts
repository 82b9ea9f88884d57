/**
 * A real browser for the tests that look at Temporal Web as a person does: the distribution's Chromium driven by
 * playwright-core, headless, with a profile of its own that is deleted on close.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's `chromium` package; scripts/ensure-chromium.js installs it when `npm test` runs the whole suite. */
const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox', // Chromium refuses its sandbox as root, which CI containers are
  '--disable-gpu',
  // Test machines may have no internet; without these Chromium hangs on lookups for its own services.
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How long one browser action (a click, a wait for text) may take: Temporal Web's first load is slow on 2 cores. */
const ACTION_TIMEOUT_MS = 30_000;

export interface TestBrowser {
  /** A new tab, 1280×800 as in the pictures in docs/images. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing and the browser tests need it: run the whole suite with npm test as root (it installs ` +
        `Chromium), or install Debian's chromium package yourself (apt-get install -y chromium)`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'durable-plans-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 800 },
      timeout: ACTION_TIMEOUT_MS,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  return {
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
