// Issue 2 (a): for VP8, H264 and VP9, one publisher (WHIP) and two viewers (WHEP) through
// ringcast with the default io backend; each viewer decodes >= 100 frames >= 640 wide and
// receives audio within 10 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { checkFanout } from './lib/peers.mjs';

const env = serverAndBrowser({ ioBackend: 'auto' });

test('GET / serves the demo page, /healthz answers', async () => {
  const res = await fetch(`${env.server.url}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') || '', /text\/html/);
  assert.match(await res.text(), /window\.ringcast/);
  assert.equal((await fetch(`${env.server.url}/healthz`)).status, 200);
});

for (const codec of ['VP8', 'H264', 'VP9']) {
  test(`${codec}: 1 publisher, 2 viewers, 100 frames >= 640 wide + audio within 10 s`,
       { timeout: 60000 }, () => checkFanout(env.browser, env.server, { codec }));
}
