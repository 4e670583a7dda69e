// Publisher and viewer pages against a running ringcast, and the fan-out check shared by the
// codec and io-backend tests.
import assert from 'node:assert/strict';
import { openRingcastPage, publish, stats, stop, waitFor, waitPlaying,
         watch } from './browser.mjs';
import { mintToken } from './tokens.mjs';
import { daemonCpuPercent } from './server.mjs';

// Browser to browser on a 2-core machine the fake 1280x720 camera starts bandwidth-limited at
// 320-480 px wide and reaches 640 only after 9-10 s, so publishers in these tests ask the
// encoder to keep the resolution (contentHint 'detail'); the ramp is logged, not asserted.
// `publishOptions` go to window.ringcast.publish as they are (e.g. maxBitrateKbps, width).
export async function startPublisher(browser, server, { room, identity = 'pub', codec = 'VP8',
                                                        maintainResolution = true,
                                                        publishOptions = {} } = {}) {
  const page = await openRingcastPage(browser, server.url);
  const token = await mintToken(server, { room, identity, canSubscribe: false });
  const session = await publish(page, { room, identity, token, codec, maintainResolution,
                                        ...publishOptions });
  assert.match(session.answerSdp, /^v=0/, 'WHIP answer is SDP');
  assert.ok(session.location, 'WHIP response has a Location');
  return { page, session, token };
}

export async function startViewer(browser, server, { room, identity, participant } = {}) {
  const page = await openRingcastPage(browser, server.url);
  const token = await mintToken(server, { room, identity, canPublish: false });
  const session = await watch(page, { room, identity, token, participant });
  assert.ok(session.location, 'WHEP response has a Location');
  return { page, session, token };
}

// Waits until the publisher's page is connected and encoding; returns its stats.
export function waitPublishing(page, timeoutMs = 10000) {
  return waitFor(async () => {
    const p = (await stats(page)).publish || {};
    return { ok: p.connectionState === 'connected' && p.video && p.video.framesEncoded > 0,
             detail: p, ...p };
  }, { timeoutMs, what: 'publisher connected and encoding' });
}

export function describeViewer(name, st) {
  const v = st.video || {};
  const a = st.audio || {};
  return `${name}: ${v.framesDecoded} frames decoded (${v.codec}), ${v.frameWidth}x` +
         `${v.frameHeight}, ${v.kbps ?? '-'} kbit/s, audio ${a.totalSamplesReceived} samples ` +
         `(${a.codec}), first frame ${st.firstFrameMs} ms after answer, ${st.connectionState}`;
}

export async function closeAll(peers) {
  for (const p of peers) {
    if (!p) continue;
    await stop(p.page).catch(() => {});
    await p.page.close().catch(() => {});
  }
}

// Issue 2: one publisher (fake 1280x720 camera + mic via WHIP), two viewers (WHEP); within 10 s
// each viewer decodes >= 100 frames at >= 640 px wide and receives audio.
export async function checkFanout(browser, server, { codec, room = `room-${codec}`, label = '' }) {
  const peers = [];
  try {
    const pub = await startPublisher(browser, server, { room, codec });
    peers.push(pub);
    const t0 = Date.now();
    // Each viewer gets 10 s from the moment it starts its WHEP request.
    const viewers = await Promise.all(['viewer-1', 'viewer-2'].map(async (identity) => {
      const started = Date.now();
      const v = await startViewer(browser, server, { room, identity });
      peers.push(v);
      return { ...v, started };
    }));
    const results = await Promise.all(viewers.map((v) => waitPlaying(v.page, {
      minFrames: 100, minWidth: 640, timeoutMs: 10000 - (Date.now() - v.started) })));
    const elapsed = Date.now() - t0;
    results.forEach((st, i) => {
      console.log(`${label}${codec} ${describeViewer(`viewer-${i + 1}`, st)}`);
      assert.equal(st.video.codec, codec, 'viewer decodes the published codec');
    });
    const p = (await stats(pub.page)).publish;
    console.log(`${label}${codec} publisher: ${p.video.framesEncoded} frames encoded ` +
                `(${p.video.encoderImplementation}), ${p.video.frameWidth}x${p.video.frameHeight}, ` +
                `${p.video.kbps ?? '-'} kbit/s, limited by ${p.video.qualityLimitationReason}; ` +
                `both viewers passed in ${elapsed} ms`);
    const cpu = await daemonCpuPercent(server, 5000);
    console.log(`${label}${codec} daemon CPU while forwarding 1 stream to 2 viewers: ` +
                `${cpu.toFixed(1)}% of one core (5 s sample)`);
    assert.equal(server.exited, null, 'ringcast still running');
    return results;
  } finally {
    await closeAll(peers);
  }
}
