// Issue 4 operations: the idle hook runs its command once after idle.timeout without
// participants, and ringcast_idle_seconds reports the idle time.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startServer, sleep } from './lib/server.mjs';

let server;
before(async () => {
  server = await startServer({
    extraYaml: (dir) => `idle:\n  timeout: 2s\n  command: echo idle >> '${path.join(dir, 'idle.txt')}'\n`,
  });
});
after(async () => server?.stop());

test('idle command runs once after 2 s without participants', { timeout: 30000 }, async () => {
  const marker = path.join(server.dir, 'idle.txt');
  const t0 = Date.now();
  while (!fs.existsSync(marker) && Date.now() - t0 < 10000) await sleep(100);
  assert.ok(fs.existsSync(marker), 'idle command wrote its file');
  console.log(`idle command ran ${Date.now() - t0} ms after start-up`);
  await sleep(1500);
  assert.equal(fs.readFileSync(marker, 'utf8'), 'idle\n', 'ran exactly once');
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  const idle = Number(metrics.match(/^ringcast_idle_seconds (\S+)$/m)?.[1]);
  assert.ok(idle >= 2, `ringcast_idle_seconds ${idle}`);
  assert.match(server.output(), /idle hook: no participants for 2 s/);
});
