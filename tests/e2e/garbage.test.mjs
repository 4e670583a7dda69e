// Issue 2 (e): garbage UDP datagrams sent to the media port during a live stream (random bytes,
// truncated/forged STUN, fake RTP/RTCP, DTLS-looking records, empty and oversized datagrams,
// from many source ports) are dropped, and the stream keeps playing.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { framesDecoded, stats, waitPlaying } from './lib/browser.mjs';
import { closeAll, startPublisher, startViewer } from './lib/peers.mjs';
import { sleep } from './lib/server.mjs';

const env = serverAndBrowser();

const u16 = (n) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const STUN_COOKIE = u32(0x2112a442);

// One datagram of each kind, chosen by i (RFC 7983 demultiplexing ranges all covered).
function garbage(i) {
  const rnd = (n) => [...randomBytes(n)];
  switch (i % 10) {
    case 0: return Buffer.from(rnd(randomInt(1, 1400)));                  // random bytes
    case 1: return Buffer.alloc(0);                                        // empty
    case 2: return Buffer.from([0x00, 0x01, ...u16(80), ...STUN_COOKIE, ...rnd(4)]);  // truncated
    case 3: {                                                              // forged binding request
      const user = Buffer.from('nosuchufrag:whoever');
      const attr = [...u16(0x0006), ...u16(user.length), ...user, ...Array((4 - user.length % 4) % 4).fill(0)];
      return Buffer.from([0x00, 0x01, ...u16(attr.length), ...STUN_COOKIE, ...rnd(12), ...attr]);
    }
    case 4: return Buffer.from([0x00, 0x01, ...u16(8), ...STUN_COOKIE, ...rnd(12),
                                ...u16(0x0008), ...u16(0xfff0), ...rnd(4)]);  // attr overruns
    case 5: return Buffer.from([0x80, 96, ...u16(randomInt(65536)), ...u32(randomInt(2 ** 32)),
                                ...u32(randomInt(2 ** 32)), ...rnd(randomInt(0, 1200))]);  // RTP
    case 6: return Buffer.from([0x90 | 0x0f, 0xe0, ...rnd(10)]);            // RTP, CSRC count 15
    case 7: return Buffer.from([0x81, 200, ...u16(0xffff), ...rnd(20)]);    // RTCP SR, bad length
    case 8: return Buffer.from([0x16, 0xfe, 0xfd, ...u16(0), ...rnd(6), ...u16(0xffff), ...rnd(30)]);  // DTLS
    default: return Buffer.from(rnd(randomInt(1500, 9000)));               // oversized
  }
}

async function sendGarbage(port, { bursts = 30, perBurst = 100, gapMs = 100 }) {
  let sent = 0;
  for (let b = 0; b < bursts; b++) {
    const sock = dgram.createSocket('udp4');  // a new source port (5-tuple) per burst
    await new Promise((resolve) => sock.bind(0, '127.0.0.1', resolve));
    await Promise.all(Array.from({ length: perBurst }, (_, i) => new Promise((resolve) => {
      sock.send(garbage(b * perBurst + i), port, '127.0.0.1', () => resolve());
    })));
    sent += perBurst;
    sock.close();
    await sleep(gapMs);
  }
  return sent;
}

test('garbage datagrams to the media port do not stop the stream', { timeout: 60000 }, async () => {
  const peers = [];
  try {
    const pub = await startPublisher(env.browser, env.server, { room: 'garbage', codec: 'VP8' });
    const viewer = await startViewer(env.browser, env.server, { room: 'garbage', identity: 'viewer' });
    peers.push(pub, viewer);
    await waitPlaying(viewer.page, { minFrames: 30, minWidth: 0, timeoutMs: 10000 });
    const before = await framesDecoded(viewer.page);
    const t0 = Date.now();
    const sent = await sendGarbage(env.server.udpPort, {});
    const during = await framesDecoded(viewer.page);
    await sleep(2000);
    const st = await stats(viewer.page);
    st.publish = (await stats(pub.page)).publish;
    const afterwards = st.watch.video.framesDecoded;
    console.log(`garbage: ${sent} datagrams in ${Date.now() - t0 - 2000} ms; viewer frames ` +
                `${before} -> ${during} (during) -> ${afterwards} (2 s after), ` +
                `viewer ${st.watch.connectionState}, publisher ${st.publish?.connectionState ?? '-'}`);
    assert.ok(during - before >= 30, 'frames kept being decoded while garbage arrived');
    assert.ok(afterwards - during >= 20, 'frames kept being decoded after the garbage');
    assert.equal(st.watch.connectionState, 'connected');
    assert.equal(env.server.exited, null, 'ringcast still running');
    assert.equal((await fetch(`${env.server.url}/healthz`)).status, 200);
    const metrics = await fetch(`${env.server.url}/metrics`).then((r) => (r.ok ? r.text() : ''),
                                                            () => '');
    const drops = metrics.split('\n')
      .filter((l) => /counter="(drop_|io_truncated)/.test(l) && !l.endsWith(' 0'));
    console.log(`daemon drop counters:\n${drops.join('\n')}`);
    const dropped = drops.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    // Every garbage datagram must land in a named drop counter (a few may be lost
    // in the kernel's socket buffer before we see them).
    assert.ok(dropped >= sent * 0.9, `dropped ${dropped} of ${sent} garbage datagrams`);
  } finally {
    await closeAll(peers);
  }
});
