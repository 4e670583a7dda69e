// Issue 5: a room recording through the app API. Chromium publishes VP8 (then, each in a room
// of its own, H264, VP9 and AV1) with Opus; /start-recording, ~8 s of media, /stop-recording;
// the file listed by /list-recordings (local recording folder: the default store) passes
// ffprobe with both streams and a video size, its duration is within 15 % of the recorded
// time, and a full decode prints no error.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, test } from 'node:test';
import { EgressClient, EgressStatus, EncodedFileOutput, WebhookReceiver } from 'livekit-server-sdk';
import { serverAndBrowser } from './lib/suite.mjs';
import { closeAll, startPublisher, waitPublishing } from './lib/peers.mjs';
import { appCall, probeMedia, waitListed } from './lib/recording.mjs';
import { sleep } from './lib/server.mjs';
import { waitFor } from './lib/browser.mjs';
import { collectHooks, listenOnLoopback } from './lib/webhook_sink.mjs';

// Webhooks of the recordings (egress_started, egress_updated, egress_ended) go here.
const hooks = [];
const hookServer = await listenOnLoopback(http.createServer(collectHooks(hooks)));
after(() => hookServer.close());

const env = serverAndBrowser({
  extraYaml: `webhook:\n  urls:\n    - http://127.0.0.1:${hookServer.address().port}/hook\n`,
});
const call = (route, body) => appCall(env.server, route, body);

for (const [codec, expected] of [['VP8', 'vp8'], ['H264', 'h264'], ['VP9', 'vp9'],
                                 ['AV1', 'av1']]) {
  test(`room recording of a ${codec} publisher`, { timeout: 90000 }, async () => {
    const room = `rec-${codec.toLowerCase()}`;
    const peers = [];
    try {
      const pub = await startPublisher(env.browser, env.server, { room, codec });
      peers.push(pub);
      await waitPublishing(pub.page);
      await sleep(1000);
      const started = await call('/start-recording', { roomName: room });
      assert.equal(started.status, 200, started.text);
      const egressId = started.json.egressId;
      assert.match(egressId, /^EG_/);
      const t0 = Date.now();
      await sleep(8000);
      const stopped = await call('/stop-recording', { egressId });
      assert.equal(stopped.status, 200, stopped.text);
      const recordedS = (Date.now() - t0) / 1000;
      const files = await waitListed(env.server, room, { timeoutMs: 15000 });
      const file = path.join(env.server.dir, 'recordings', files[0].key);
      assert.ok(fs.existsSync(file), `${file} exists`);
      const p = probeMedia(file);
      console.log(`${codec}: ${files[0].key} ${files[0].size} bytes, streams ${p.streams}, ` +
                  `${p.seconds.toFixed(2)} s of video for ${recordedS.toFixed(2)} s recorded, ` +
                  `${p.frames} frames decoded at ${p.width}x${p.height}, start ${p.starts}`);
      const ended = env.server.output().split('\n').find((l) => l.includes(`${files[0].key} ends`));
      console.log(`${codec}: ${ended ? ended.replace(/^.*recorder: /, '') : 'no end line logged'}`);
      assert.ok(p.streams.includes(expected), `video stream ${expected}: ${p.streams}`);
      assert.ok(p.streams.includes('opus'), `opus stream: ${p.streams}`);
      assert.ok(Math.abs(p.seconds - recordedS) <= 0.15 * recordedS,
                `duration ${p.seconds} s vs ${recordedS} s`);
      assert.equal(p.errors, '', 'ffmpeg decodes without errors');
      assert.ok(p.increasing, 'every stream\'s timestamps increase in the file');
      assert.ok(p.frames > 0 && p.width > 0 && p.height > 0, `decoded ${p.frames} frames`);
    } finally {
      await closeAll(peers);
    }
  });
}

// LiveKit's Egress API through the real npm EgressClient: a participant recording to a file,
// listed while active, stopped, and reported complete with its file result.
test('EgressClient: participant egress start, list, stop', { timeout: 90000 }, async () => {
  const room = 'rec-egress';
  const peers = [];
  try {
    const pub = await startPublisher(env.browser, env.server, { room, identity: 'host' });
    peers.push(pub);
    await waitPublishing(pub.page);
    const egress = new EgressClient(env.server.url, env.server.apiKey, env.server.apiSecret);
    const output = { file: new EncodedFileOutput({ filepath: 'egress/{room_name}-{time}' }) };
    const info = await egress.startParticipantEgress(room, 'host', output);
    assert.match(info.egressId, /^EG_/);
    assert.equal(info.roomName, room);
    await sleep(4000);
    const active = await egress.listEgress({ roomName: room, active: true });
    assert.equal(active.length, 1);
    assert.equal(active[0].status, EgressStatus.EGRESS_ACTIVE);
    const stopped = await egress.stopEgress(info.egressId);
    assert.ok([EgressStatus.EGRESS_ENDING, EgressStatus.EGRESS_COMPLETE].includes(stopped.status),
              `status ${stopped.status}`);
    let done;
    await waitFor(async () => {
      [done] = await egress.listEgress({ egressId: info.egressId });
      return { ok: done?.status === EgressStatus.EGRESS_COMPLETE, detail: done?.status };
    }, { timeoutMs: 15000, what: 'egress complete' });
    const file = done.fileResults[0];
    console.log(`egress ${info.egressId}: ${file.filename} ${file.size} bytes, ` +
                `${Number(file.duration) / 1e9} s`);
    assert.ok(Number(file.size) > 0);
    assert.ok(Number(file.duration) > 2e9, `duration ${file.duration}`);
    // The egress webhooks, validated by the SDK's WebhookReceiver (signature and body hash).
    const receiver = new WebhookReceiver(env.server.apiKey, env.server.apiSecret);
    let mine = [];
    await waitFor(async () => {
      const events = await Promise.all(hooks.map((h) => receiver.receive(h.raw, h.auth)));
      mine = events.filter((e) => e.egressInfo?.egressId === info.egressId);
      return { ok: mine.some((e) => e.event === 'egress_ended'), detail: mine.map((e) => e.event) };
    }, { timeoutMs: 15000, what: 'egress_ended webhook' });
    console.log(`egress webhooks: ${mine.map((e) => e.event).join(', ')}`);
    assert.equal(mine[0].event, 'egress_started');
    const ended = mine.find((e) => e.event === 'egress_ended');
    assert.equal(ended.egressInfo.status, EgressStatus.EGRESS_COMPLETE);
    assert.equal(ended.egressInfo.fileResults[0].filename, file.filename);
  } finally {
    await closeAll(peers);
  }
});
