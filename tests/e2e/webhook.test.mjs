// Issue 4: webhooks in LiveKit's format, validated by the real livekit-server-sdk
// WebhookReceiver. A small node HTTP receiver gets room_started, participant_joined,
// track_published, track_unpublished, participant_left and room_finished for a room with a
// Chromium publisher; its first answer is a 500 (the event must be retried), and a second
// webhook URL points at a dead port (its retries must not hold back the live receiver).
// HTTPS receivers: one whose certificate is trusted through webhook.ca_file gets the events;
// one with an untrusted certificate never gets a request.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';
import { launchBrowser } from './lib/browser.mjs';
import { closeAll, startPublisher, waitPublishing } from './lib/peers.mjs';
import { freeTcpPort, startServer } from './lib/server.mjs';
import { waitFor } from './lib/browser.mjs';
import { collectHooks, listenOnLoopback } from './lib/webhook_sink.mjs';

const env = { server: null, browser: null, receiver: null };
const received = [];  // { event, raw, auth, contentType }
let failFirst = true;

before(async () => {
  env.receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      if (failFirst) {  // the first delivery fails: the notifier must retry it
        failFirst = false;
        res.writeHead(500).end('try again');
        return;
      }
      received.push({ raw: body, auth: req.headers.authorization,
                      contentType: req.headers['content-type'] });
      res.writeHead(200).end();
    });
  });
  await listenOnLoopback(env.receiver);
  const deadPort = await freeTcpPort();
  const url = `http://127.0.0.1:${env.receiver.address().port}/hook`;
  env.server = await startServer({
    extraYaml: `webhook:\n  urls:\n    - http://127.0.0.1:${deadPort}/nobody\n    - ${url}\n`,
  });
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  env.receiver?.close();
});

test('WebhookReceiver validates every event of a room\'s life', { timeout: 60000 }, async () => {
  const rs = new RoomServiceClient(env.server.url, env.server.apiKey, env.server.apiSecret);
  const receiver = new WebhookReceiver(env.server.apiKey, env.server.apiSecret);
  const room = 'hooked';
  const peers = [];
  try {
    await rs.createRoom({ name: room });
    const pub = await startPublisher(env.browser, env.server, { room, identity: 'pub' });
    peers.push(pub);
    await waitPublishing(pub.page);
    await rs.removeParticipant(room, 'pub');
    await rs.deleteRoom(room);
    const wanted = ['room_started', 'participant_joined', 'track_published', 'track_published',
                    'track_unpublished', 'track_unpublished', 'participant_left', 'room_finished'];
    await waitFor(() => ({ ok: received.length >= wanted.length, detail: received.length }),
                  { timeoutMs: 15000, what: `${wanted.length} webhook events` });
    const events = [];
    for (const r of received) {
      assert.equal(r.contentType, 'application/webhook+json');
      const ev = await receiver.receive(r.raw, r.auth);  // throws on a bad signature or hash
      events.push(ev);
    }
    console.log(`received: ${events.map((e) => e.event).join(', ')}`);
    assert.deepEqual(events.map((e) => e.event).sort(), [...wanted].sort());
    for (const e of events) {
      assert.equal(e.room.name, room);
      assert.match(e.room.sid, /^RM_/);
      assert.match(e.id, /^EV_/);
      assert.ok(e.createdAt > 0n, 'createdAt set');
    }
    const joined = events.find((e) => e.event === 'participant_joined');
    assert.equal(joined.participant.identity, 'pub');
    const tracks = events.filter((e) => e.event === 'track_published');
    assert.deepEqual(tracks.map((e) => e.track.type).sort(), [0, 1], 'audio and video');
    assert.ok(tracks.every((e) => e.participant.identity === 'pub'));
    const left = events.find((e) => e.event === 'participant_left');
    assert.equal(left.participant.state, 3 /* DISCONNECTED */);
    // A tampered body is refused by the SDK: the signature covers the body hash.
    const tampered = received[0].raw.replace('"event":"', '"event":"x');
    await assert.rejects(receiver.receive(tampered, received[0].auth), /sha256/);
  } finally {
    await closeAll(peers);
  }
});

// A self-signed certificate for 127.0.0.1 (subjectAltName IP, so hostname checks pass).
function selfSigned(dir, name) {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert: fs.readFileSync(cert), key: fs.readFileSync(key), certFile: cert };
}

async function httpsReceiver(tls, sink) {
  return listenOnLoopback(
    https.createServer({ cert: tls.cert, key: tls.key }, collectHooks(sink)));
}

test('HTTPS receivers: verified against webhook.ca_file, untrusted ones refused', { timeout: 60000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-hook-tls-'));
    const trusted = selfSigned(dir, 'trusted');
    const stranger = selfSigned(dir, 'stranger');
    const got = [];
    const refused = [];
    const good = await httpsReceiver(trusted, got);
    const bad = await httpsReceiver(stranger, refused);
    const server = await startServer({
      extraYaml: `webhook:\n  ca_file: ${trusted.certFile}\n  urls:\n` +
        `    - https://127.0.0.1:${bad.address().port}/hook\n` +
        `    - https://127.0.0.1:${good.address().port}/hook\n`,
    });
    try {
      const rs = new RoomServiceClient(server.url, server.apiKey, server.apiSecret);
      const receiver = new WebhookReceiver(server.apiKey, server.apiSecret);
      await rs.createRoom({ name: 'secure-hooks' });
      await rs.deleteRoom('secure-hooks');
      await waitFor(() => ({ ok: got.length >= 2, detail: got.length }),
                    { timeoutMs: 15000, what: '2 events over HTTPS' });
      const events = [];
      for (const r of got) events.push((await receiver.receive(r.raw, r.auth)).event);
      assert.deepEqual(events.sort(), ['room_finished', 'room_started']);
      assert.equal(refused.length, 0, 'a receiver with an untrusted certificate got a request');
    } finally {
      await server.stop();
      good.close();
      bad.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
