// Tokens minted by livekit-server-sdk's AccessToken are accepted by ringcast's WHIP/WHEP
// endpoints as they are; expired, foreign-room, wrong-secret and missing tokens are refused
// with 401/403 (issue 2, "Signalling and tokens").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { startServer, stopServer } from './lib/server.mjs';

// A publishing offer as Chromium 120 writes it for camera + microphone
// (BUNDLE, rtcp-mux, Opus and VP8, mid / abs-send-time / transport-cc extensions).
const chromeOffer = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS stream',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Hn7c',
  'a=ice-pwd:s0bqSZ4dpnxbS1J0hJ6cGc7N',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:0',
  'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendonly',
  'a=msid:stream audio0',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=ssrc:1001 cname:e2ecname',
  'a=ssrc:1001 msid:stream audio0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Hn7c',
  'a=ice-pwd:s0bqSZ4dpnxbS1J0hJ6cGc7N',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:1',
  'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid',
  'a=sendonly',
  'a=msid:stream video0',
  'a=rtcp-mux',
  'a=rtcp-rsize',
  'a=rtpmap:96 VP8/90000',
  'a=rtcp-fb:96 goog-remb',
  'a=rtcp-fb:96 transport-cc',
  'a=rtcp-fb:96 ccm fir',
  'a=rtcp-fb:96 nack',
  'a=rtcp-fb:96 nack pli',
  'a=rtpmap:97 rtx/90000',
  'a=fmtp:97 apt=96',
  'a=ssrc-group:FID 2001 2002',
  'a=ssrc:2001 cname:e2ecname',
  'a=ssrc:2001 msid:stream video0',
  'a=ssrc:2002 cname:e2ecname',
  'a=ssrc:2002 msid:stream video0',
  '',
].join('\r\n');

// WHEP clients offer recvonly sections without SSRCs or msids.
const chromeRecvOffer = chromeOffer.split('\r\n')
  .filter((l) => !/^a=(ssrc|ssrc-group|msid):/.test(l))
  .map((l) => (l === 'a=sendonly' ? 'a=recvonly' : l))
  .join('\r\n');

let server;

before(async () => {
  server = await startServer({ workers: 1 });
});

after(async () => {
  await stopServer(server);
});

async function sdkToken({ room, identity = 'e2e-user', secret = server.apiSecret,
                          canPublish, canSubscribe, ttl = '10m' }) {
  const at = new AccessToken(server.apiKey, secret, { identity, ttl });
  const grant = { roomJoin: true, room };
  if (canPublish !== undefined) grant.canPublish = canPublish;
  if (canSubscribe !== undefined) grant.canSubscribe = canSubscribe;
  at.addGrant(grant);
  return at.toJwt();
}

// Re-signs an SDK token after changing its claims (same header, same key), e.g. to expire it.
function resign(token, change) {
  const [header, payload] = token.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url').toString()), ...change };
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const sig = createHmac('sha256', server.apiSecret).update(body).digest('base64url');
  return `${body}.${sig}`;
}

async function post(kind, room, token, { contentType = 'application/sdp', query = '' } = {}) {
  const headers = { 'Content-Type': contentType, Origin: 'http://elsewhere.test' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}/${kind}/${encodeURIComponent(room)}${query}`, {
    method: 'POST', headers, body: kind === 'whep' ? chromeRecvOffer : chromeOffer,
  });
  const body = await res.text();
  if (res.status === 201) {  // clean up the session the engine created
    const loc = res.headers.get('location');
    assert.ok(loc, 'a 201 carries a Location');
    await fetch(new URL(loc, server.url), {
      method: 'DELETE', headers: { Authorization: `Bearer ${token}` },
    });
  }
  return { status: res.status, body, headers: res.headers };
}

function assertAuthorized(res, what) {
  assert.ok(res.status !== 401 && res.status !== 403,
            `${what}: token refused with ${res.status}: ${res.body}`);
  assert.ok(res.status === 201 || res.status === 400,
            `${what}: engine should answer 201 or 400, got ${res.status}: ${res.body}`);
}

test('a livekit-server-sdk token publishes via WHIP', async () => {
  const res = await post('whip', 'sdk-room', await sdkToken({ room: 'sdk-room' }));
  assertAuthorized(res, 'WHIP with SDK token');
  assert.equal(res.headers.get('access-control-allow-origin'), 'http://elsewhere.test');
  if (res.status === 201) assert.match(res.body, /^v=0/);
});

test('a livekit-server-sdk subscribe-only token plays via WHEP', async () => {
  const token = await sdkToken({ room: 'sdk-room', identity: 'viewer', canPublish: false });
  assertAuthorized(await post('whep', 'sdk-room', token), 'WHEP with SDK token');
  // The same token may not publish.
  assert.equal((await post('whip', 'sdk-room', token)).status, 403);
});

test('expired and not-yet-valid tokens get 401', async () => {
  const now = Math.floor(Date.now() / 1000);
  const fresh = await sdkToken({ room: 'sdk-room' });
  const expired = resign(fresh, { nbf: now - 7200, exp: now - 3600 });
  const res = await post('whip', 'sdk-room', expired);
  assert.equal(res.status, 401, res.body);
  assert.match(res.body, /expired/);
  const early = resign(fresh, { nbf: now + 3600, exp: now + 7200 });
  assert.equal((await post('whip', 'sdk-room', early)).status, 401);
});

test('a token for another room gets 403', async () => {
  const res = await post('whip', 'room-b', await sdkToken({ room: 'room-a' }));
  assert.equal(res.status, 403, res.body);
});

test('missing token, wrong secret, unknown key get 401', async () => {
  assert.equal((await post('whip', 'sdk-room', null)).status, 401);
  const wrongSecret = await sdkToken({ room: 'sdk-room', secret: 'not-the-secret' });
  assert.equal((await post('whip', 'sdk-room', wrongSecret)).status, 401);
  const otherKey = await new AccessToken('otherkey', server.apiSecret, { identity: 'x' });
  otherKey.addGrant({ roomJoin: true, room: 'sdk-room' });
  assert.equal((await post('whip', 'sdk-room', await otherKey.toJwt())).status, 401);
});

test('CORS preflight on the WHIP endpoint', async () => {
  const res = await fetch(`${server.url}/whip/sdk-room`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://elsewhere.test', 'Access-Control-Request-Method': 'POST',
               'Access-Control-Request-Headers': 'authorization,content-type' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), 'http://elsewhere.test');
  assert.match(res.headers.get('access-control-allow-headers'), /Authorization/);
  assert.match(res.headers.get('access-control-expose-headers'), /Location/);
});
