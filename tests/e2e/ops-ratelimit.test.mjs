// Issue 4 operations: the per-IP join rate limit answers 429 with Retry-After; a drain with no
// session exits 0 at once (the deadline path is covered by the Drain unit tests).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, sleep } from './lib/server.mjs';

let server;
before(async () => {
  server = await startServer({
    extraYaml: 'shutdown:\n  drain_timeout: 30s\nlimits:\n  join_per_minute_per_ip: 3\n',
  });
});
after(async () => server?.stop());

const join = () => fetch(`${server.url}/whip/limited`, {
  method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: 'v=0\r\n',
});

test('join rate limit: 429 with Retry-After after the burst', async () => {
  const statuses = [];
  for (let i = 0; i < 3; ++i) statuses.push((await join()).status);
  assert.deepEqual(statuses, [401, 401, 401], 'the first three reach the handler (no token)');
  const limited = await join();
  assert.equal(limited.status, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.match(await limited.text(), /too many join requests/);
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'other routes unaffected');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /ringcast_http_requests_total\{route="\/whip\/\{room\}",code="429"\} 1/);
});

test('SIGTERM without sessions: exits 0 at once', { timeout: 30000 }, async () => {
  const t0 = Date.now();
  server.child.kill('SIGTERM');
  const { code } = await Promise.race([server.done, sleep(2500).then(() => ({}))]);
  assert.equal(code, 0);
  console.log(`exited ${Date.now() - t0} ms after SIGTERM`);
});
