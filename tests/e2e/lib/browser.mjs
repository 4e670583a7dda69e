// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, and helpers that
// drive the demo page's window.ringcast API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot, sleep } from './server.mjs';

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const demoPagePath = path.join(repoRoot, 'api/web/index.html');
const verbose = !!process.env.RINGCAST_E2E_VERBOSE;

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  // Several peers share one headless browser: keep every page's timers and decoders running.
  '--disable-background-timer-throttling', '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows', '--autoplay-policy=no-user-gesture-required',
];

// A browser with a fresh user data dir. close() also removes the dir.
export async function launchBrowser({ extraArgs = [] } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringcast-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath, headless: true, args: [...chromiumArgs, ...extraArgs],
    timeout: 60000,
  });
  const pages = [];
  return {
    context,
    userDataDir,
    async newPage() {
      const page = await context.newPage();
      pages.push(page);
      page.on('pageerror', (e) => console.log(`[page error] ${e.message}`));
      if (verbose) page.on('console', (m) => console.log(`[page] ${m.text()}`));
      return page;
    },
    async close() {
      await Promise.race([context.close().catch(() => {}), sleep(15000)]);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// Opens the demo page served by the daemon at `/`. Falls back to the page in the source tree
// (loaded into the daemon's origin) when `/` does not serve it, and says so.
export async function openRingcastPage(browser, baseUrl) {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}/`);
  const served = await page.waitForFunction(() => !!window.ringcast, null, { timeout: 5000 })
    .then(() => true, () => false);
  if (!served) {
    console.log(`warning: GET ${baseUrl}/ did not serve the demo page; using ${demoPagePath}`);
    await page.setContent(fs.readFileSync(demoPagePath, 'utf8'));
    await page.waitForFunction(() => !!window.ringcast, null, { timeout: 5000 });
  }
  return page;
}

export const publish = (page, opts) => page.evaluate((o) => window.ringcast.publish(o), opts);
export const watch = (page, opts) => page.evaluate((o) => window.ringcast.watch(o), opts);
export const stop = (page, which) => page.evaluate((w) => window.ringcast.stop(w), which);
export const stats = (page) => page.evaluate(() => window.ringcast.stats());
export const waitFirstFrame = (page, timeoutMs) =>
  page.evaluate((t) => window.ringcast.waitFirstFrame(t), timeoutMs);

// Polls `fn` every `intervalMs` until it returns a truthy value; returns that value.
export async function waitFor(fn, { timeoutMs = 10000, intervalMs = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last && last.ok !== false) return last;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}` +
                      `; last: ${JSON.stringify(last && last.detail !== undefined ? last.detail : last)}`);
    }
    await sleep(intervalMs);
  }
}

// Waits until the watching page decodes >= minFrames video frames with width >= minWidth and has
// received audio samples. Returns its stats.
export async function waitPlaying(page, { minFrames = 100, minWidth = 640, timeoutMs = 10000,
                                          audio = true } = {}) {
  return waitFor(async () => {
    const st = (await stats(page)).watch || {};
    const v = st.video || {};
    const a = st.audio || {};
    const ok = v.framesDecoded >= minFrames && v.frameWidth >= minWidth &&
               (!audio || a.totalSamplesReceived > 0);
    return { ok, detail: st, ...st };
  }, { timeoutMs, what: `${minFrames} frames >= ${minWidth} wide${audio ? ' and audio' : ''}` });
}

export async function framesDecoded(page) {
  const st = (await stats(page)).watch;
  return (st && st.video && st.video.framesDecoded) || 0;
}
