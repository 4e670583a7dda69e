// Issue 2 (c): a viewer leaving does not disturb the other viewer; the publisher leaving (WHIP
// DELETE + pc.close) ends the viewers' stream: the server sends RTCP BYE and closes the transport,
// so the viewer's frames stop and (when implemented) its connection state leaves 'connected'.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { stats, stop, waitFor, waitPlaying } from './lib/browser.mjs';
import { closeAll, describeViewer, startPublisher, startViewer } from './lib/peers.mjs';
import { sleep } from './lib/server.mjs';

const env = serverAndBrowser();

const watchStats = async (page) => (await stats(page)).watch;

test('viewer leaving keeps the other playing; publisher leaving ends the stream',
     { timeout: 90000 }, async () => {
  const peers = [];
  try {
    const pub = await startPublisher(env.browser, env.server, { room: 'leave', codec: 'VP8' });
    const v1 = await startViewer(env.browser, env.server, { room: 'leave', identity: 'v1' });
    const v2 = await startViewer(env.browser, env.server, { room: 'leave', identity: 'v2' });
    peers.push(pub, v1, v2);
    await Promise.all([v1, v2].map((v) => waitPlaying(v.page, { minFrames: 30, minWidth: 0,
                                                                timeoutMs: 10000 })));

    // Viewer 1 leaves: viewer 2 keeps decoding.
    const del = await stop(v1.page, 'watch');
    console.log(`viewer 1 DELETE -> ${del.watch}`);
    assert.ok(del.watch >= 200 && del.watch < 300, `WHEP DELETE status ${del.watch}`);
    const before2 = (await watchStats(v2.page)).video.framesDecoded;
    await sleep(3000);
    const after2 = await watchStats(v2.page);
    console.log(`viewer 2 after viewer 1 left: +${after2.video.framesDecoded - before2} frames ` +
                `in 3 s, ${after2.connectionState}`);
    assert.ok(after2.video.framesDecoded - before2 >= 30, 'viewer 2 kept decoding');
    assert.equal(after2.connectionState, 'connected');

    // The publisher leaves: viewer 2's stream ends within 35 s.
    const pdel = await stop(pub.page, 'publish');
    console.log(`publisher DELETE -> ${pdel.publish}`);
    assert.ok(pdel.publish >= 200 && pdel.publish < 300, `WHIP DELETE status ${pdel.publish}`);
    const t0 = Date.now();
    let last = (await watchStats(v2.page)).video.framesDecoded;
    let lastChange = Date.now();
    const ended = await waitFor(async () => {
      const st = await watchStats(v2.page);
      const n = st.video ? st.video.framesDecoded : last;
      if (n !== last) {
        last = n;
        lastChange = Date.now();
      }
      const closed = ['disconnected', 'failed', 'closed'].includes(st.connectionState) ||
                     st.videoTrack.readyState === 'ended';
      const stalled = Date.now() - lastChange >= 2000;
      return { ok: closed || stalled, detail: st, st, closed, stalled };
    }, { timeoutMs: 35000, intervalMs: 250, what: 'viewer 2 stream to end' });
    console.log(`publisher left: viewer 2 frames stopped after ~${lastChange - t0} ms, ` +
                `connection ${ended.st.connectionState}, track ${ended.st.videoTrack.readyState}` +
                `${ended.st.videoTrack.muted ? ' (muted)' : ''}; ` +
                describeViewer('viewer 2', ended.st));
    assert.equal(env.server.exited, null, 'ringcast still running');
    const health = await fetch(`${env.server.url}/healthz`);
    assert.equal(health.status, 200);
  } finally {
    await closeAll(peers);
  }
});
