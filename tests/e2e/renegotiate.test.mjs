// Issue 2: one peer connection carries many m-lines in both directions, with renegotiation.
// A viewer starts with video only (WHEP), then renegotiates (PATCH with a new SDP offer) to add
// audio, then to publish its own camera on the same connection; a third page plays that camera.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { openRingcastPage, waitFor } from './lib/browser.mjs';
import { closeAll, startPublisher, startViewer } from './lib/peers.mjs';
import { mintToken } from './lib/tokens.mjs';

const env = serverAndBrowser();

// In the page: a raw RTCPeerConnection driven by WHEP POST + PATCH (application/sdp).
const pageHelpers = () => {
  window.reneg = {
    async offerAnswer(url, method, token) {
      const pc = window.reneg.pc;
      await pc.setLocalDescription(await pc.createOffer());
      const res = await fetch(url, {
        method, body: pc.localDescription.sdp,
        headers: { 'Content-Type': 'application/sdp', Authorization: `Bearer ${token}` },
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`${method} ${res.status}: ${await res.text()}`);
      if (method === 'POST') window.reneg.location = new URL(res.headers.get('Location'), url).href;
      await pc.setRemoteDescription({ type: 'answer', sdp: await res.text() });
      return res.status;
    },
    async start(room, token) {
      const pc = new RTCPeerConnection();
      window.reneg.pc = pc;
      pc.addTransceiver('video', { direction: 'recvonly' });
      return window.reneg.offerAnswer(`${location.origin}/whep/${room}`, 'POST', token);
    },
    async addAudio(token) {
      window.reneg.pc.addTransceiver('audio', { direction: 'recvonly' });
      return window.reneg.offerAnswer(window.reneg.location, 'PATCH', token);
    },
    async addCamera(token) {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } });
      window.reneg.pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly' });
      return window.reneg.offerAnswer(window.reneg.location, 'PATCH', token);
    },
    async stats() {
      const out = { framesDecoded: 0, samples: 0, framesSent: 0, state: window.reneg.pc.connectionState };
      (await window.reneg.pc.getStats()).forEach((s) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') out.framesDecoded = s.framesDecoded || 0;
        // Not totalSamplesReceived: nothing plays this page's audio, so none is decoded.
        if (s.type === 'inbound-rtp' && s.kind === 'audio') out.samples = s.packetsReceived || 0;
        if (s.type === 'outbound-rtp' && s.kind === 'video') out.framesSent = s.framesEncoded || 0;
      });
      return out;
    },
  };
};

test('renegotiation adds audio, then a published camera, on one peer connection',
     { timeout: 90000 }, async () => {
  const room = 'reneg';
  const peers = [];
  try {
    peers.push(await startPublisher(env.browser, env.server, { room, codec: 'VP8' }));
    const page = await openRingcastPage(env.browser, env.server.url);
    peers.push({ page });
    await page.evaluate(pageHelpers);
    const token = await mintToken(env.server, { room, identity: 'both-ways' });
    assert.equal(await page.evaluate(([r, t]) => window.reneg.start(r, t), [room, token]), 201);
    const st = () => page.evaluate(() => window.reneg.stats());
    await waitFor(async () => ({ ok: (await st()).framesDecoded >= 20, detail: await st() }),
                  { timeoutMs: 10000, what: 'video on the first negotiation' });
    assert.equal((await st()).samples, 0, 'no audio section yet');

    assert.equal(await page.evaluate((t) => window.reneg.addAudio(t), token), 200);
    const withAudio = await waitFor(async () => {
      const s = await st();
      return { ok: s.samples >= 20, detail: s, ...s };
    }, { timeoutMs: 10000, what: 'audio after renegotiation' });
    console.log(`renegotiation 1 (+audio): frames ${withAudio.framesDecoded}, audio packets ${withAudio.samples}`);

    assert.equal(await page.evaluate((t) => window.reneg.addCamera(t), token), 200);
    const watcher = await startViewer(env.browser, env.server, { room, identity: 'watcher', participant: 'both-ways' });
    peers.push(watcher);
    const seen = await waitFor(async () => {
      const s = await watcher.page.evaluate(() => window.ringcast.stats());
      const v = (s.watch && s.watch.video) || {};
      return { ok: (v.framesDecoded || 0) >= 20, detail: s.watch, frames: v.framesDecoded };
    }, { timeoutMs: 15000, what: 'the camera published by renegotiation' });
    const after = await st();
    console.log(`renegotiation 2 (+camera): watcher decoded ${seen.frames} frames of it; ` +
                `the renegotiating page still decodes (${after.framesDecoded}) and sent ${after.framesSent}`);
    assert.ok(after.framesDecoded > withAudio.framesDecoded, 'first video kept playing');
    assert.equal(after.state, 'connected');
  } finally {
    await closeAll(peers);
  }
});
