// Issue 2 (d): the fan-out test with the recvmmsg/sendmmsg fallback backend forced.
import { after, before, test } from 'node:test';
import { launchBrowser } from './lib/browser.mjs';
import { checkFanout } from './lib/peers.mjs';
import { startServer } from './lib/server.mjs';

let server, browser;

before(async () => {
  server = await startServer({ ioBackend: 'mmsg' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('VP8 fan-out with io_backend: mmsg', { timeout: 60000 },
     () => checkFanout(browser, server, { codec: 'VP8', label: '[mmsg] ' }));
