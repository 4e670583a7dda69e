// Issue 4: the app API. /get-token, called with an AccessToken from livekit-server-sdk, mints
// host and viewer tokens that the SDK's TokenVerifier accepts and that ringcast enforces (a
// viewer may not publish over WHIP); every error case answers with the Twirp JSON shape; the
// recording calls are refused with 501 until the recorder exists.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccessToken, TokenVerifier } from 'livekit-server-sdk';
import { serverAndBrowser } from './lib/suite.mjs';
import { openRingcastPage, publish, stop } from './lib/browser.mjs';

const env = serverAndBrowser();

async function adminToken(grant, { secret, ttl = '5m' } = {}) {
  const at = new AccessToken(env.server.apiKey, secret ?? env.server.apiSecret, { ttl });
  at.addGrant(grant);
  return at.toJwt();
}

async function call(path, body, token, { contentType = 'application/json', method = 'POST' } = {}) {
  const headers = { 'Content-Type': contentType };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${env.server.url}${path}`, {
    method, headers, body: method === 'GET' ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch (_) { /* not JSON */ }
  return { status: res.status, json, text, type: res.headers.get('content-type') };
}

function expectError(r, status, code, mention) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.type, 'application/json');
  assert.equal(r.json.code, code, r.text);
  if (mention) assert.match(r.json.msg, mention);
}

test('get-token mints host and viewer tokens the SDK and ringcast accept', { timeout: 30000 },
     async () => {
  const admin = await adminToken({ roomCreate: true });
  const host = await call('/get-token', { roomName: 'app', identity: 'teacher', name: 'T',
                                          metadata: '{"x":1}', role: 'host', ttl: 600 }, admin);
  assert.equal(host.status, 200, host.text);
  assert.equal(host.json.url, env.server.url);
  const verifier = new TokenVerifier(env.server.apiKey, env.server.apiSecret);
  const hc = await verifier.verify(host.json.token);
  assert.equal(hc.sub, 'teacher');
  assert.equal(hc.name, 'T');
  assert.equal(hc.metadata, '{"x":1}');
  assert.ok(hc.exp - hc.nbf === 600, 'ttl honoured');
  assert.deepEqual(
    { ...hc.video },
    { roomJoin: true, room: 'app', canPublish: true, canSubscribe: true, canPublishData: true,
      roomAdmin: true, roomRecord: true });
  const viewer = await call('/get-token', { room_name: 'app', identity: 'student', ttl: '1h' },
                            await adminToken({ roomAdmin: true, room: 'app' }));
  assert.equal(viewer.status, 200, viewer.text);
  const vc = await verifier.verify(viewer.json.token);
  assert.equal(vc.video.canPublish, false);
  assert.equal(vc.video.canSubscribe, true);
  assert.equal(vc.video.canPublishData, true);
  assert.equal(vc.video.roomAdmin, undefined);
  assert.equal(vc.exp - vc.nbf, 3600);

  // ringcast enforces them: the host publishes over WHIP, the viewer is refused.
  const page = await openRingcastPage(env.browser, env.server.url);
  try {
    const s = await publish(page, { room: 'app', identity: 'teacher', token: host.json.token });
    assert.match(s.answerSdp, /^v=0/);
    await stop(page, 'publish');
    await assert.rejects(publish(page, { room: 'app', identity: 'student',
                                         token: viewer.json.token }), /HTTP 403/);
  } finally {
    await page.close();
  }
});

test('get-token errors: 401, 403, 400 naming the field, 405', { timeout: 20000 }, async () => {
  const body = { roomName: 'app', identity: 'u' };
  expectError(await call('/get-token', body, null), 401, 'unauthenticated', /missing/);
  expectError(await call('/get-token', body, await adminToken({ roomCreate: true },
                                                              { secret: 'forged' })),
              401, 'unauthenticated');
  expectError(await call('/get-token', body, await adminToken({ roomCreate: true },
                                                              { ttl: -60 })),
              401, 'unauthenticated', /expired/);
  expectError(await call('/get-token', body, await adminToken({ roomList: true })),
              403, 'permission_denied');
  expectError(await call('/get-token', body, await adminToken({ roomAdmin: true, room: 'x' })),
              403, 'permission_denied');
  const admin = await adminToken({ roomCreate: true });
  expectError(await call('/get-token', { identity: 'u' }, admin), 400, 'invalid_argument',
              /roomName/);
  expectError(await call('/get-token', { roomName: 'app' }, admin), 400, 'invalid_argument',
              /identity/);
  expectError(await call('/get-token', { roomName: 7, identity: 'u' }, admin), 400, 'malformed',
              /roomName/);
  expectError(await call('/get-token', { ...body, role: 'king' }, admin), 400, 'invalid_argument',
              /role/);
  expectError(await call('/get-token', { ...body, ttl: 'forever' }, admin), 400,
              'invalid_argument', /ttl/);
  expectError(await call('/get-token', '{"roomName":', admin), 400, 'malformed', /JSON/);
  expectError(await call('/get-token', body, admin, { contentType: 'text/plain' }), 400,
              'malformed', /Content-Type/);
  const r405 = await call('/get-token', null, admin, { method: 'GET' });
  assert.equal(r405.status, 405);
});

test('recording calls check auth and body; unknown rooms and egresses are 404', { timeout: 20000 },
     async () => {
  const rec = await adminToken({ roomRecord: true, room: 'app' });
  const cases = [['/start-recording', { roomName: 'app' }, /roomName/],
                 ['/stop-recording', { egressId: 'EG_1' }, /egressId/],
                 ['/list-recordings', { roomName: 'app' }, /roomName/]];
  for (const [path, body, field] of cases) {
    expectError(await call(path, body, null), 401, 'unauthenticated');
    expectError(await call(path, body, await adminToken({ roomAdmin: true, room: 'app' })),
                403, 'permission_denied', /roomRecord/);
    expectError(await call(path, {}, rec), 400, 'invalid_argument', field);
  }
  // A room with nobody in it cannot be recorded; an egress id never issued is not found.
  expectError(await call('/start-recording', { roomName: 'app' }, rec), 404, 'not_found');
  expectError(await call('/stop-recording', { egressId: 'EG_1' }, rec), 404, 'not_found');
  const listed = await call('/list-recordings', { roomName: 'app' }, rec);
  assert.equal(listed.status, 200, listed.text);
  assert.deepEqual(listed.json.files, []);
  expectError(await call('/start-recording', { roomName: 'other' }, rec), 403,
              'permission_denied');
});
