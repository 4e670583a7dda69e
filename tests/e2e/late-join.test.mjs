// Issue 2 (b): a viewer joining 5 s after the publisher decodes its first frame within 1 s of
// applying the WHEP answer (keyframe requested from the publisher on join). Also: a viewer that
// arrives before the publisher starts playing when the publisher goes live.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { waitFirstFrame, waitPlaying } from './lib/browser.mjs';
import { closeAll, describeViewer, startPublisher, startViewer,
         waitPublishing } from './lib/peers.mjs';
import { sleep } from './lib/server.mjs';

const env = serverAndBrowser();

test('viewer joining 5 s after the publisher: first frame within 1 s', { timeout: 60000 },
     async () => {
  const peers = [];
  try {
    const pub = await startPublisher(env.browser, env.server, { room: 'late', codec: 'VP8' });
    peers.push(pub);
    await waitPublishing(pub.page);
    await sleep(5000);
    const viewer = await startViewer(env.browser, env.server, { room: 'late', identity: 'late-viewer' });
    peers.push(viewer);
    const ms = await waitFirstFrame(viewer.page, 5000);
    console.log(`late viewer: first frame decoded ${ms} ms after setRemoteDescription(answer)`);
    assert.ok(ms <= 1000, `time to first frame ${ms} ms > 1000 ms`);
    const st = await waitPlaying(viewer.page, { minFrames: 20, minWidth: 0, timeoutMs: 10000 });
    console.log(describeViewer('late viewer', st));
  } finally {
    await closeAll(peers);
  }
});

test('viewer arriving before the publisher plays once the publisher goes live',
     { timeout: 60000 }, async () => {
  const peers = [];
  try {
    const viewer = await startViewer(env.browser, env.server, { room: 'early', identity: 'early-viewer' });
    peers.push(viewer);
    await sleep(2000);
    const t0 = Date.now();
    peers.push(await startPublisher(env.browser, env.server, { room: 'early', codec: 'VP8' }));
    const st = await waitPlaying(viewer.page, { minFrames: 30, minWidth: 0, timeoutMs: 10000 });
    console.log(`early viewer: 30 frames ${Date.now() - t0} ms after the publisher started; ` +
                describeViewer('early viewer', st));
  } finally {
    await closeAll(peers);
  }
});
