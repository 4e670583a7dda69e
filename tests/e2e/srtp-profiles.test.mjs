// Both DTLS-SRTP profiles with real Chromium through ringcast's own SRTP transforms
// (crypto/srtp_transform.cpp): the daemon offers one profile only (RINGCAST_SRTP_PROFILES);
// a publisher and two viewers exchange VP8 + Opus (SRTP both ways), a viewer joining late
// decodes after the keyframe request (SRTCP PLI to the publisher, SRTCP reports from it),
// and the daemon's log names the negotiated profile for every transport.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { serverAndBrowser } from './lib/suite.mjs';
import { waitPlaying } from './lib/browser.mjs';
import { checkFanout, closeAll, describeViewer, startPublisher, startViewer,
         waitPublishing } from './lib/peers.mjs';
import { sleep } from './lib/server.mjs';

const profiles = [
  { knob: 'cm', name: 'SRTP_AES128_CM_SHA1_80', other: 'SRTP_AEAD_AES_128_GCM' },
  { knob: 'gcm', name: 'SRTP_AEAD_AES_128_GCM', other: 'SRTP_AES128_CM_SHA1_80' },
];

for (const profile of profiles) {
  describe(profile.name, () => {
    before(() => { process.env.RINGCAST_SRTP_PROFILES = profile.knob; });
    const env = serverAndBrowser();
    after(() => { delete process.env.RINGCAST_SRTP_PROFILES; });

    test('1 publisher, 2 viewers: 100 frames + audio within 10 s', { timeout: 60000 },
         () => checkFanout(env.browser, env.server, { codec: 'VP8', label: `${profile.knob} ` }));

    // Chromium's VP8 encoder sends keyframes rarely unless asked, so a viewer that joins 3 s
    // into the stream decodes soon only if the daemon's PLI (SRTCP) reached the publisher.
    test('a viewer joining 3 s late decodes (keyframe request over SRTCP)', { timeout: 60000 },
         async () => {
      const peers = [];
      try {
        peers.push(await startPublisher(env.browser, env.server, { room: 'late', codec: 'VP8' }));
        await waitPublishing(peers[0].page);
        await sleep(3000);
        peers.push(await startViewer(env.browser, env.server, { room: 'late', identity: 'late' }));
        const st = await waitPlaying(peers[1].page, { minFrames: 20, minWidth: 0, timeoutMs: 10000 });
        console.log(describeViewer(`${profile.knob} late viewer`, st));
      } finally {
        await closeAll(peers);
      }
    });

    test('every transport negotiated the offered profile', () => {
      const connected = env.server.output().split('\n').filter((l) => l.includes(' connected ('));
      assert.ok(connected.length >= 4, `connected transports logged: ${connected.length}`);
      for (const line of connected) {
        assert.ok(line.includes(profile.name), line);
        assert.ok(!line.includes(profile.other), line);
      }
    });
  });
}
