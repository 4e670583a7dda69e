// Issue 2: a transport with no valid packets for rtc.transport_timeout seconds is closed and
// cleaned up. The publisher runs in its own Chromium, which is frozen with SIGSTOP (no DTLS
// close_notify, no DELETE, no consent checks), so only the timeout can end its session; its
// viewer must then see the stream end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { framesDecoded, launchBrowser, waitPlaying } from './lib/browser.mjs';
import { closeAll, startPublisher, startViewer } from './lib/peers.mjs';
import { sleep, startServer } from './lib/server.mjs';

const TIMEOUT_S = 3;
let server, browser, pubBrowser;

// Every process of one Chromium instance, found by its private user data dir.
function signalBrowser(b, signal) {
  let pids = [];
  try {
    pids = execFileSync('pgrep', ['-f', b.userDataDir]).toString().trim().split('\n').map(Number);
  } catch (_) { /* none */ }
  for (const pid of pids) {
    try { process.kill(pid, signal); } catch (_) { /* gone */ }
  }
  return pids.length;
}

before(async () => {
  server = await startServer({ transportTimeout: TIMEOUT_S });
  browser = await launchBrowser();
  pubBrowser = await launchBrowser();
});

after(async () => {
  if (pubBrowser) signalBrowser(pubBrowser, 'SIGKILL');
  await browser?.close();
  await server?.stop();
});

async function metric(name) {
  const text = await fetch(`${server.url}/metrics`).then((r) => r.text());
  const line = text.split('\n').find((l) => l.startsWith(`ringcast_${name} `));
  return line ? Number(line.split(' ').pop()) : NaN;
}

test('a silent publisher is timed out and its viewer stops', { timeout: 60000 }, async () => {
  const peers = [];
  try {
    const pub = await startPublisher(pubBrowser, server, { room: 'timeout', codec: 'VP8' });
    const viewer = await startViewer(browser, server, { room: 'timeout', identity: 'viewer' });
    peers.push(viewer);
    await waitPlaying(viewer.page, { minFrames: 20, minWidth: 0, timeoutMs: 10000 });
    assert.equal(await metric('participants'), 2);
    // Freeze the publisher's browser: its peer connection goes silent without a word.
    assert.ok(signalBrowser(pubBrowser, 'SIGSTOP') > 0, 'found the publisher browser');
    const crashedAt = Date.now();
    let gone = null;
    while (Date.now() - crashedAt < (TIMEOUT_S + 5) * 1000) {
      if (await metric('participants') === 1) {
        gone = Date.now() - crashedAt;
        break;
      }
      await sleep(200);
    }
    console.log(`publisher session closed ${gone} ms after its browser went silent ` +
                `(transport_timeout ${TIMEOUT_S} s)`);
    assert.ok(gone !== null, 'publisher session was not closed by the timeout');
    assert.ok(gone >= (TIMEOUT_S - 1) * 1000, `closed after ${gone} ms, before the timeout`);
    const res = await fetch(pub.session.location, { method: 'DELETE' });
    assert.equal(res.status, 404, 'the timed-out WHIP session no longer exists');
    const frames = await framesDecoded(viewer.page);
    await sleep(1500);
    assert.equal(await framesDecoded(viewer.page), frames, 'viewer gets no more frames');
    assert.equal(await metric('participants'), 1, 'the viewer stays, waiting for a publisher');
  } finally {
    await closeAll(peers);
  }
});
