// One daemon and one browser per test file: registers the before/after hooks and returns an
// object whose `server` and `browser` are set once `before` has run.
import { after, before } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

export function serverAndBrowser(serverOpts = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(serverOpts);
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
