// Issue 4 operations: SIGTERM drains. /readyz turns 503, a new join gets 503 with Retry-After,
// the live WHIP/WHEP session keeps flowing, and the daemon exits 0 once the sessions end.
// Also: the API secret never appears in the daemon's log (debug level, JSON lines).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { stats, stop, waitPlaying } from './lib/browser.mjs';
import { closeAll, startPublisher, startViewer } from './lib/peers.mjs';
import { sleep, startServer } from './lib/server.mjs';

const env = serverAndBrowser({
  extraYaml: 'logging:\n  level: debug\n  json: true\nshutdown:\n  drain_timeout: 40s\n',
});

test('SIGTERM drains: no new joins, media flows, exit 0 when the session ends',
     { timeout: 60000 }, async () => {
  const { server, browser } = env;
  const peers = [];
  try {
    const ready = await fetch(`${server.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
    const pub = await startPublisher(browser, server, { room: 'drain', codec: 'VP8' });
    const viewer = await startViewer(browser, server, { room: 'drain', identity: 'v1' });
    peers.push(pub, viewer);
    await waitPlaying(viewer.page, { minFrames: 20, minWidth: 0, timeoutMs: 15000 });

    server.child.kill('SIGTERM');
    let readyz;
    for (let i = 0; i < 20; ++i) {
      readyz = await fetch(`${server.url}/readyz`);
      if (readyz.status === 503) break;
      await sleep(100);
    }
    assert.equal(readyz.status, 503);
    assert.match(await readyz.text(), /draining/);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200, 'still alive');

    const join = await fetch(`${server.url}/whep/drain`, {
      method: 'POST', headers: { 'Content-Type': 'application/sdp' }, body: 'v=0\r\n',
    });
    assert.equal(join.status, 503);
    assert.ok(Number(join.headers.get('retry-after')) >= 1, 'Retry-After');
    assert.match(await join.text(), /draining/);

    const before = (await stats(viewer.page)).watch.video.framesDecoded;
    await sleep(2000);
    const after = (await stats(viewer.page)).watch.video.framesDecoded;
    console.log(`frames decoded during drain: ${after - before}`);
    assert.ok(after - before >= 20, `media kept flowing while draining (${after - before})`);
    assert.equal(server.exited, null, 'daemon waits for the session');

    const t0 = Date.now();
    await stop(viewer.page, 'watch');
    await stop(pub.page, 'publish');
    const { code, signal } = await Promise.race([
      server.done, sleep(10000).then(() => ({ code: 'timeout' }))]);
    console.log(`daemon exited ${signal || code} ${Date.now() - t0} ms after the last DELETE`);
    assert.equal(code, 0);
    const log = server.output();
    assert.match(log, /received SIGTERM: draining/);
    assert.ok(!log.includes(server.apiSecret), 'the API secret is not in the log');
    for (const line of log.split('\n').filter((l) => l.startsWith('{'))) JSON.parse(line);
    assert.match(log, /"request_id":"[0-9a-f]{16}"/);
  } finally {
    await closeAll(peers);
  }
});

// The drain deadline: a publisher that never leaves does not hold the daemon past
// shutdown.drain_timeout; it exits 0 when the deadline passes, with media flowing until then.
test('SIGTERM with a session still live: exit 0 at the drain deadline', { timeout: 60000 },
  async () => {
    const server = await startServer({ extraYaml: 'shutdown:\n  drain_timeout: 3s\n' });
    const peers = [];
    try {
      const pub = await startPublisher(env.browser, server, { room: 'deadline', codec: 'VP8' });
      const viewer = await startViewer(env.browser, server, { room: 'deadline', identity: 'v' });
      peers.push(pub, viewer);
      await waitPlaying(viewer.page, { minFrames: 10, minWidth: 0, timeoutMs: 15000 });
      const t0 = Date.now();
      server.child.kill('SIGTERM');
      await sleep(1500);
      assert.equal(server.exited, null, 'still draining before the deadline');
      const { code, signal } = await Promise.race([
        server.done, sleep(10000).then(() => ({ code: 'timeout' }))]);
      const ms = Date.now() - t0;
      console.log(`daemon exited ${signal || code} ${ms} ms after SIGTERM (deadline 3 s)`);
      assert.equal(code, 0);
      assert.ok(ms >= 2900, `exited before the deadline (${ms} ms)`);
      assert.match(server.output(), /drain deadline|deadline/i);
    } finally {
      await closeAll(peers);
      await server.stop();
    }
  });
