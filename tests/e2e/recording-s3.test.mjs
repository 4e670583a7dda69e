// Issue 5: recordings through the daemon into a real S3-compatible server (@20minutes/s3rver,
// which verifies SigV4 and implements multipart upload), started by the test on 127.0.0.1.
// - Chromium publishes VP8, then H264, for 20 s while recording; the daemon's credentials come
//   from a fake IMDSv2 on loopback (instance role) and are refreshed during the recording; the
//   object fetched through the presigned URL of /list-recordings passes ffprobe with both
//   streams, its duration is within 10 % of 20 s and a full decode prints no error.
// - S3 stopped for 30 s mid-recording and started again: nothing is lost, and the recording,
//   larger than 5 MiB (a noisy high-bitrate camera), goes up in several multipart parts.
// - kill -9 of the daemon mid-recording, then a restart on the same spool: the object appears
//   and holds the media up to the last fragment before the kill.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, waitFor } from './lib/browser.mjs';
import { closeAll, startPublisher, waitPublishing } from './lib/peers.mjs';
import { appCall, probeMedia, waitListed } from './lib/recording.mjs';
import { s3rverInstalled, startS3 } from './lib/s3_process.mjs';
import { killServer, sleep, startServer } from './lib/server.mjs';

const skip = s3rverInstalled() ? false : 'npm package @20minutes/s3rver is not installed';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ringcast-s3-e2e-'));
const peers = [];
const servers = [];
let browser;
let noisyBrowser;

// The daemon's recording section: spool in a folder that outlives one daemon (kill -9 test),
// objects to the S3 peer; no static keys means the instance role (IMDSv2) unless given.
function recordingYaml(s3, spoolDir, staticKeys) {
  return [
    'recording:',
    `  spool_dir: ${spoolDir}`,
    '  s3:',
    `    bucket: ${s3.bucket}`,
    '    region: us-east-1',
    `    endpoint: ${s3.endpoint()}`,
    '    force_path_style: true',
    ...(staticKeys ? ['    access_key: S3RVER', '    secret: S3RVER'] : []),
  ].join('\n');
}

async function daemon(s3, spoolDir, { staticKeys = false } = {}) {
  const server = await startServer({
    extraYaml: recordingYaml(s3, spoolDir, staticKeys),
    env: {
      AWS_EC2_METADATA_SERVICE_ENDPOINT: s3.imds ? s3.imdsEndpoint() : null,
      AWS_EC2_METADATA_DISABLED: s3.imds ? null : 'true',
      AWS_ACCESS_KEY_ID: null, AWS_SECRET_ACCESS_KEY: null, AWS_SESSION_TOKEN: null,
    },
  });
  servers.push(server);
  return server;
}

async function metric(server, name) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

// s3rver lists an object while it still writes it (real S3 does not): wait until the daemon
// says the upload is complete before listing.
async function waitMetric(server, name, atLeast, timeoutMs = 60000) {
  await waitFor(async () => {
    const value = await metric(server, name);
    return { ok: value >= atLeast, detail: value };
  }, { timeoutMs, what: `${name} >= ${atLeast}` });
}

const completed = 'ringcast_recordings_total{result="complete"}';

async function startRecording(server, room) {
  const started = await appCall(server, '/start-recording', { roomName: room });
  assert.equal(started.status, 200, started.text);
  return started.json.egressId;
}

async function stopRecording(server, egressId) {
  const stopped = await appCall(server, '/stop-recording', { egressId });
  assert.equal(stopped.status, 200, stopped.text);
}

// Downloads the listed object through its presigned URL (a plain GET: the signature is in the
// query) into the work folder; returns the path and the response's ETag.
async function download(listing) {
  const res = await fetch(listing.url);
  assert.equal(res.status, 200, `presigned GET of ${listing.key}: ${res.status}`);
  const file = path.join(work, path.basename(listing.key));
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return { file, etag: res.headers.get('etag') };
}

async function publishAndWait(b, server, room, opts = {}) {
  const pub = await startPublisher(b, server, { room, ...opts });
  peers.push(pub);
  await waitPublishing(pub.page);
  await sleep(1000);
  return pub;
}

// A camera of moving noise, so that the encoder spends its whole bit rate (the default fake
// camera compresses to a few hundred kbit/s): 2 s of 480x270 Y4M, looped by Chromium.
function noisyCameraFile() {
  const file = path.join(work, 'noise.y4m');
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=480x270:rate=30',
    '-vf', 'noise=alls=80:allf=t+u', '-t', '2', '-pix_fmt', 'yuv420p', '-y', file]);
  return file;
}

before(async () => {
  if (skip) return;
  browser = await launchBrowser();
});

after(async () => {
  await closeAll(peers);
  await browser?.close();
  await noisyBrowser?.close();
  for (const s of servers) await killServer(s).catch(() => {});
  fs.rmSync(work, { recursive: true, force: true });
});

for (const [codec, expected] of [['VP8', 'vp8'], ['H264', 'h264']]) {
  test(`${codec} for 20 s to S3 with instance-role credentials`, { skip, timeout: 120000 },
    async () => {
      const dir = fs.mkdtempSync(path.join(work, `${codec}-`));
      // Each role credential expires 5 min + 6 s after it is served; the recorder fetches
      // new ones 5 min before expiry, so requests 6 s apart need fresh ones.
      const s3 = await startS3({ dir: path.join(dir, 's3'), imds: true, imdsExpirySec: 306 });
      try {
        const server = await daemon(s3, path.join(dir, 'spool'));
        const room = `s3-${codec.toLowerCase()}`;
        await publishAndWait(browser, server, room, { codec });
        const egressId = await startRecording(server, room);
        const t0 = Date.now();
        await sleep(20000);
        await stopRecording(server, egressId);
        const recordedS = (Date.now() - t0) / 1000;
        await waitMetric(server, completed, 1);
        const [first] = await waitListed(server, room);
        assert.match(first.url, /X-Amz-Security-Token=session/, 'presigned with role keys');
        // Past the first credential's refresh time: the next listing and URL use new keys.
        await sleep(7000);
        const [listing] = await waitListed(server, room);
        const keyOf = (url) => new URL(url).searchParams.get('X-Amz-Credential').split('/')[0];
        assert.notEqual(keyOf(listing.url), keyOf(first.url), 'refreshed role credentials');
        const { file } = await download(listing);
        const p = probeMedia(file);
        console.log(`${codec}: ${listing.key} ${listing.size} bytes, streams ${p.streams}, ` +
                    `${p.seconds.toFixed(2)} s of video for ${recordedS.toFixed(2)} s recorded; ` +
                    `${s3.imdsFetches} IMDS credential fetches`);
        assert.ok(p.streams.includes(expected), `video stream ${expected}: ${p.streams}`);
        assert.ok(p.streams.includes('opus'), `opus stream: ${p.streams}`);
        assert.ok(Math.abs(p.seconds - 20) <= 2, `duration ${p.seconds} s vs 20 s`);
        assert.equal(p.errors, '', 'ffmpeg decodes without errors');
        assert.ok(p.increasing, 'every stream\'s timestamps increase in the file');
        assert.ok(s3.imdsFetches >= 2, `role credentials refreshed (${s3.imdsFetches} fetches)`);
      } finally {
        await s3.stop();
      }
    });
}

test('S3 away for 30 s mid-recording: nothing lost, several parts', { skip, timeout: 180000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(work, 'outage-'));
    noisyBrowser = await launchBrowser({
      extraArgs: [`--use-file-for-fake-video-capture=${noisyCameraFile()}`],
    });
    const s3 = await startS3({ dir: path.join(dir, 's3') });
    try {
      const server = await daemon(s3, path.join(dir, 'spool'), { staticKeys: true });
      const room = 's3-outage';
      await publishAndWait(noisyBrowser, server, room, {
        codec: 'VP8', maintainResolution: false, publishOptions: { maxBitrateKbps: 4000 } });
      const egressId = await startRecording(server, room);
      const t0 = Date.now();
      await sleep(6000);
      await s3.stop();
      const pendingBefore = await metric(server, 'ringcast_recorder_pending_bytes');
      await sleep(30000);
      const pendingDuring = await metric(server, 'ringcast_recorder_pending_bytes');
      await s3.start();  // same port, same folder
      await sleep(8000);
      await stopRecording(server, egressId);
      const recordedS = (Date.now() - t0) / 1000;
      await waitMetric(server, completed, 1);
      const [listing] = await waitListed(server, room);
      const { file, etag } = await download(listing);
      const p = probeMedia(file);
      const parts = await metric(server, 'ringcast_recorder_upload_parts_total');
      const retries = await metric(server, 'ringcast_recorder_upload_retries_total');
      console.log(`outage: ${listing.size} bytes (${(listing.size / 1048576).toFixed(1)} MiB), ` +
                  `etag ${etag}, ${parts} parts, ${retries} retries, spool pending ` +
                  `${pendingBefore} -> ${pendingDuring} bytes during the outage; ` +
                  `${p.seconds.toFixed(2)} s of video for ${recordedS.toFixed(2)} s recorded`);
      assert.ok(pendingDuring > pendingBefore, 'the spool grows while S3 is away');
      assert.ok(retries > 0, 'uploads were retried');
      assert.equal(fs.statSync(file).size, listing.size, 'the listed size is what was stored');
      assert.ok(listing.size > 5 * 1048576, `larger than 5 MiB: ${listing.size}`);
      assert.ok(parts >= 2, `several parts: ${parts}`);
      assert.ok(p.streams.includes('vp8') && p.streams.includes('opus'), `${p.streams}`);
      assert.ok(Math.abs(p.seconds - recordedS) <= 0.1 * recordedS,
                `duration ${p.seconds} s vs ${recordedS} s`);
      assert.equal(p.errors, '', 'ffmpeg decodes without errors');
      assert.ok(p.increasing, 'every stream\'s timestamps increase in the file');
    } finally {
      // The noisy encoder loads the CPU: gone before the next test records a plain camera.
      await closeAll(peers.splice(0));
      await noisyBrowser.close();
      noisyBrowser = null;
      await s3.stop();
    }
  });

test('kill -9 mid-recording, restart: the object holds the media up to the kill',
  { skip, timeout: 120000 }, async () => {
    const dir = fs.mkdtempSync(path.join(work, 'kill-'));
    const spool = path.join(dir, 'spool');
    const s3 = await startS3({ dir: path.join(dir, 's3'), imds: true });
    try {
      const first = await daemon(s3, spool);
      const room = 's3-kill';
      await publishAndWait(browser, first, room, { codec: 'H264' });
      await startRecording(first, room);
      const t0 = Date.now();
      await sleep(12000);
      // The clock stops when SIGKILL is sent (killServer sends it before it first waits), not
      // when the process is reaped: once a reap took 19 s on a stalled VM.
      const killed = killServer(first);
      const recordedS = (Date.now() - t0) / 1000;
      await killed;
      await closeAll(peers.splice(0));
      const second = await daemon(s3, spool);  // recovers the spool at start
      await waitMetric(second, 'ringcast_recorder_recovered_total', 1);
      const [listing] = await waitListed(second, room);
      const { file } = await download(listing);
      const p = probeMedia(file);
      console.log(`kill -9 after ${recordedS.toFixed(2)} s: ${listing.size} bytes, streams ` +
                  `${p.streams}, ${p.seconds.toFixed(2)} s of video recovered; recovered_total ` +
                  `${await metric(second, 'ringcast_recorder_recovered_total')}`);
      assert.ok(p.streams.includes('h264') && p.streams.includes('opus'), `${p.streams}`);
      // Fragments are ~2 s: everything up to the last whole fragment before the kill is kept.
      assert.ok(p.seconds >= recordedS - 3, `${p.seconds} s of ${recordedS} s recovered`);
      assert.ok(p.seconds <= recordedS + 0.5, `${p.seconds} s is not more than was recorded`);
      assert.equal(p.errors, '', 'ffmpeg decodes the recovered object without errors');
      assert.ok(p.increasing, 'every stream\'s timestamps increase in the file');
      assert.equal(await metric(second, 'ringcast_recorder_recovered_total'), 1);
    } finally {
      await s3.stop();
    }
  });
