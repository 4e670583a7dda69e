// Checks the demo page (api/web/index.html) and the browser set-up without the daemon: a stub
// HTTP server speaks WHIP/WHEP and hands each offer to a second Chromium page that answers as a
// plain WebRTC peer. Proves headless Chromium + fake devices give 1280x720 video, that the page
// sends what WHIP/WHEP expect (SDP, Bearer token, codec preference, DELETE) and reads stats.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { demoPagePath, launchBrowser, publish, stats, stop, waitFor, watch,
         waitFirstFrame } from './lib/browser.mjs';

let browser, stub, answerer;
const requests = [];

function startStub() {
  return new Promise((resolve) => {
    const srv = http.createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const url = new URL(req.url, 'http://x');
      requests.push({ method: req.method, path: url.pathname, search: url.search,
                      headers: req.headers, body });
      const m = url.pathname.match(/^\/(whip|whep)\/([^/]+)(?:\/([^/]+))?$/);
      try {
        if (req.method === 'GET' && url.pathname === '/') {
          res.writeHead(200, { 'Content-Type': 'text/html' });
          return res.end(fs.readFileSync(demoPagePath));
        }
        if (req.method === 'GET' && url.pathname === '/blank') {
          res.writeHead(200, { 'Content-Type': 'text/html' });
          return res.end('<!doctype html><title>answerer</title>');
        }
        if (req.method === 'GET' && url.pathname === '/api/dev-token') {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          const q = url.searchParams;
          return res.end(JSON.stringify({ token: `dev.${q.get('room')}.${q.get('identity')}` }));
        }
        if (m && req.method === 'POST' && !m[3]) {
          if (m[2].startsWith('reject')) {
            res.writeHead(400, { 'Content-Type': 'text/plain' });
            return res.end('rejected by stub');
          }
          const answer = await answerer.evaluate(
            ([kind, offer]) => window.answer(kind, offer), [m[1], body]);
          res.writeHead(201, { 'Content-Type': 'application/sdp',
                               'Location': `/${m[1]}/${m[2]}/s${requests.length}` });
          return res.end(answer);
        }
        if (m && req.method === 'DELETE' && m[3]) {
          res.writeHead(200);
          return res.end();
        }
        res.writeHead(404);
        res.end();
      } catch (e) {
        res.writeHead(500);
        res.end(String(e));
      }
    });
    srv.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

// The answering peer: receives WHIP offers, sends its fake camera to WHEP offers.
async function setUpAnswerer(page) {
  await page.evaluate(async () => {
    const cam = await navigator.mediaDevices.getUserMedia({
      video: { width: 1280, height: 720 }, audio: true });
    window.peers = [];
    window.answer = async (kind, offer) => {
      const pc = new RTCPeerConnection();
      window.peers.push({ kind, pc });
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      if (kind === 'whep') {
        for (const t of pc.getTransceivers()) {
          const track = t.receiver.track.kind === 'video' ? cam.getVideoTracks()[0]
                                                          : cam.getAudioTracks()[0];
          t.direction = 'sendonly';
          await t.sender.replaceTrack(track);
        }
      }
      await pc.setLocalDescription(await pc.createAnswer());
      await new Promise((resolve) => {
        if (pc.iceGatheringState === 'complete') return resolve();
        pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
        setTimeout(resolve, 2000);
      });
      return pc.localDescription.sdp;
    };
    window.inboundFrames = async () => {
      let n = 0;
      for (const { kind, pc } of window.peers) {
        if (kind !== 'whip') continue;
        for (const r of (await pc.getStats()).values()) {
          if (r.type === 'inbound-rtp' && r.kind === 'video') n = Math.max(n, r.framesDecoded || 0);
        }
      }
      return n;
    };
  });
}

// The payload type names of the first m=video section, in preference order.
function videoCodecOrder(sdp) {
  const section = sdp.split(/\r\n(?=m=)/).find((s) => s.startsWith('m=video'));
  const pts = section.split('\r\n')[0].split(' ').slice(3);
  const names = {};
  for (const m of section.matchAll(/a=rtpmap:(\d+) ([^/]+)\//g)) names[m[1]] = m[2];
  return pts.map((pt) => names[pt]);
}

before(async () => {
  stub = await startStub();
  browser = await launchBrowser({ extraArgs: ['--disable-features=WebRtcHideLocalIpsWithMdns'] });
  answerer = await browser.newPage();
  await answerer.goto(`http://127.0.0.1:${stub.address().port}/blank`);
  await setUpAnswerer(answerer);
});

after(async () => {
  await browser?.close();
  stub?.closeAllConnections();
  stub?.close();
});

const base = () => `http://127.0.0.1:${stub.address().port}`;

test('fake camera gives 1280x720 and every codec can be preferred', async () => {
  const page = await browser.newPage();
  await page.goto(`${base()}/`);
  const settings = await page.evaluate(async () => {
    const s = await navigator.mediaDevices.getUserMedia({
      video: { width: 1280, height: 720 }, audio: true });
    const v = s.getVideoTracks()[0].getSettings();
    s.getTracks().forEach((t) => t.stop());
    return v;
  });
  console.log(`fake camera: ${settings.width}x${settings.height} @ ${settings.frameRate} fps`);
  assert.equal(settings.width, 1280);
  assert.equal(settings.height, 720);
  for (const codec of ['VP8', 'H264', 'VP9', 'AV1']) {
    await assert.rejects(publish(page, { room: `reject-${codec}`, identity: 'p', codec }),
                         /HTTP 400 rejected by stub/);
    const offer = requests.at(-1).body;
    const order = videoCodecOrder(offer);
    console.log(`${codec} offer video codecs: ${order.join(' ')}`);
    assert.equal(order[0], codec);
    assert.ok(order.every((n) => n === codec || n === 'rtx'), `only ${codec}+rtx: ${order}`);
    assert.match(offer, /a=sendonly/);
    assert.match(offer, /m=audio/);
  }
  await page.close();
});

test('publish (WHIP) and watch (WHEP) through the page API', async () => {
  const pub = await browser.newPage();
  await pub.goto(`${base()}/`);
  const session = await publish(pub, { room: 'demo', identity: 'alice', codec: 'VP9' });
  const post = requests.find((r) => r.method === 'POST' && r.path === '/whip/demo');
  assert.equal(post.headers['content-type'], 'application/sdp');
  assert.equal(post.headers.authorization, 'Bearer dev.demo.alice');
  assert.match(session.location, /\/whip\/demo\/s\d+$/);
  await waitFor(() => answerer.evaluate(() => window.inboundFrames()).then((n) => n >= 20),
                { timeoutMs: 15000, what: 'answerer decoding the published video' });
  const pst = (await stats(pub)).publish;
  console.log(`publisher: ${JSON.stringify(pst.video)}`);
  assert.equal(pst.video.codec, 'VP9');
  assert.ok(pst.video.framesEncoded > 0);

  const viewer = await browser.newPage();
  await viewer.goto(`${base()}/`);
  await watch(viewer, { room: 'demo', identity: 'bob', token: 'given-token', participant: 'alice' });
  const wpost = requests.find((r) => r.method === 'POST' && r.path === '/whep/demo');
  assert.equal(wpost.headers.authorization, 'Bearer given-token');
  assert.equal(wpost.search, '?participant=alice');
  assert.match(wpost.body, /a=recvonly/);
  const ms = await waitFirstFrame(viewer, 10000);
  console.log(`viewer: first frame ${ms} ms after setRemoteDescription(answer)`);
  const st = await waitFor(async () => {
    const w = (await stats(viewer)).watch;
    return { ok: w.video && w.video.framesDecoded >= 30 && w.audio.totalSamplesReceived > 0,
             detail: w, ...w };
  }, { timeoutMs: 15000, what: 'viewer decoding 30 frames and audio' });
  console.log(`viewer: ${st.video.framesDecoded} frames decoded, ` +
              `${st.video.frameWidth}x${st.video.frameHeight}, audio samples ` +
              `${st.audio.totalSamplesReceived}, state ${st.connectionState}`);
  assert.equal(st.firstFrameMs, ms);

  const deleted = await stop(viewer);
  assert.equal(deleted.watch, 200);
  assert.deepEqual(await stop(pub, 'publish'), { publish: 200 });
  const deletes = requests.filter((r) => r.method === 'DELETE');
  assert.equal(deletes.length, 2);
  assert.ok(deletes.every((d) => /^Bearer /.test(d.headers.authorization)));
  assert.deepEqual(await stats(pub), {});
  await pub.close();
  await viewer.close();
});
