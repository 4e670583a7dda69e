// Issue 4: the real livekit-server-sdk RoomServiceClient against ringcast's Twirp RoomService.
// Rooms are created, listed and deleted; a Chromium publisher (WHIP) and viewer (WHEP) show up
// as participants; muting the publisher's video stops the viewer's decoded frames and
// unmuting resumes them; removing the publisher ends its media; deleting a room disconnects
// everyone. Also the Twirp error shapes the SDK sees (401, 403, 404 bad_route / not_found).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AccessToken, RoomServiceClient, TwirpError } from 'livekit-server-sdk';
import { serverAndBrowser } from './lib/suite.mjs';
import { framesDecoded, stats, waitFor, waitPlaying } from './lib/browser.mjs';
import { closeAll, startPublisher, startViewer, waitPublishing } from './lib/peers.mjs';
import { sleep } from './lib/server.mjs';

const env = serverAndBrowser();
const client = () => new RoomServiceClient(env.server.url, env.server.apiKey, env.server.apiSecret);

async function rejects(promise, status, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof TwirpError, `TwirpError expected, got ${e}`);
    assert.equal(e.status, status, e.message);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

async function rtpIn() {
  const text = await (await fetch(`${env.server.url}/metrics`)).text();
  const m = text.match(/ringcast_media_total\{counter="rtp_packets_in"\} (\d+)/);
  assert.ok(m, 'rtp_packets_in is in /metrics');
  return Number(m[1]);
}

async function twirp(method, body, token) {
  return fetch(`${env.server.url}/twirp/livekit.RoomService/${method}`, {
    method: 'POST', body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
  });
}

test('createRoom / listRooms / updateRoomMetadata / deleteRoom', { timeout: 20000 }, async () => {
  const rs = client();
  const room = await rs.createRoom({ name: 'rs-a', emptyTimeout: 30, maxParticipants: 5,
                                     metadata: 'hello' });
  assert.match(room.sid, /^RM_/);
  assert.equal(room.name, 'rs-a');
  assert.equal(room.emptyTimeout, 30);
  assert.equal(room.maxParticipants, 5);
  assert.equal(room.metadata, 'hello');
  assert.ok(room.creationTime > 0n, 'creationTime (int64) is set');
  const again = await rs.createRoom({ name: 'rs-a' });
  assert.equal(again.sid, room.sid, 'creating an existing room returns it');
  await rs.createRoom({ name: 'rs-b' });
  const names = (await rs.listRooms()).map((r) => r.name).sort();
  assert.deepEqual(names.filter((n) => n.startsWith('rs-')), ['rs-a', 'rs-b']);
  const only = await rs.listRooms(['rs-b', 'nope']);
  assert.deepEqual(only.map((r) => r.name), ['rs-b']);
  const updated = await rs.updateRoomMetadata('rs-a', 'changed');
  assert.equal(updated.metadata, 'changed');
  await rs.deleteRoom('rs-a');
  await rs.deleteRoom('rs-b');
  assert.deepEqual(await rs.listRooms(['rs-a', 'rs-b']), []);
  await rejects(rs.deleteRoom('rs-a'), 404, 'not_found');
  console.log(`room ${room.sid} created, listed, updated and deleted through RoomServiceClient`);
});

test('Twirp errors: forged 401, other-room 403, bad_route 404, 405', { timeout: 20000 }, async () => {
  const forged = new RoomServiceClient(env.server.url, env.server.apiKey, 'not-the-secret');
  await rejects(forged.listRooms(), 401, 'unauthenticated');
  const other = new AccessToken(env.server.apiKey, env.server.apiSecret, { ttl: '5m' });
  other.addGrant({ roomAdmin: true, room: 'other' });
  const res403 = await twirp('ListParticipants', { room: 'mine' }, await other.toJwt());
  assert.equal(res403.status, 403);
  assert.equal(res403.headers.get('content-type'), 'application/json');
  assert.equal((await res403.json()).code, 'permission_denied');
  const res404 = await twirp('NoSuchMethod', {}, await other.toJwt());
  assert.equal(res404.status, 404);
  assert.equal((await res404.json()).code, 'bad_route');
  const res405 = await fetch(`${env.server.url}/twirp/livekit.RoomService/ListRooms`);
  assert.equal(res405.status, 405);
  await rejects(client().listParticipants('no-such-room'), 404, 'not_found');
});

test('participants, mute/unmute seen by a Chromium viewer, removeParticipant, deleteRoom',
     { timeout: 60000 }, async () => {
  const rs = client();
  const room = 'rs-live';
  const peers = [];
  try {
    const pub = await startPublisher(env.browser, env.server, { room, identity: 'pub' });
    peers.push(pub);
    await waitPublishing(pub.page);
    const viewer = await startViewer(env.browser, env.server, { room, identity: 'viewer' });
    peers.push(viewer);
    await waitPlaying(viewer.page, { minFrames: 20, minWidth: 0, timeoutMs: 15000 });

    const list = await rs.listParticipants(room);
    assert.deepEqual(list.map((p) => p.identity).sort(), ['pub', 'viewer']);
    const p = await rs.getParticipant(room, 'pub');
    assert.match(p.sid, /^PA_/);
    assert.equal(p.isPublisher, true);
    assert.equal(p.state, 2 /* ACTIVE */);
    assert.equal(p.permission.canPublish, true);
    const video = p.tracks.find((t) => t.type === 1 /* VIDEO */);
    const audio = p.tracks.find((t) => t.type === 0 /* AUDIO */);
    assert.ok(video && audio, `audio and video tracks: ${JSON.stringify(p.tracks)}`);
    assert.match(video.sid, /^TR_/);
    assert.match(video.mimeType, /^video\//);
    const [rooms] = [await rs.listRooms([room])];
    assert.equal(rooms[0].numParticipants, 2);
    assert.equal(rooms[0].numPublishers, 1);

    // Mute: the viewer stops decoding new frames.
    const muted = await rs.mutePublishedTrack(room, 'pub', video.sid, true);
    assert.equal(muted.muted, true);
    assert.equal((await rs.getParticipant(room, 'pub')).tracks.find((t) => t.sid === video.sid)
      .muted, true);
    await sleep(1000);  // frames already in flight
    const m0 = await framesDecoded(viewer.page);
    await sleep(2500);
    const m1 = await framesDecoded(viewer.page);
    console.log(`while muted: +${m1 - m0} frames in 2.5 s`);
    assert.ok(m1 - m0 <= 2, `viewer kept decoding while muted (+${m1 - m0})`);

    // Unmute: frames resume (a keyframe is requested on rebind).
    const unmuted = await rs.mutePublishedTrack(room, 'pub', video.sid, false);
    assert.equal(unmuted.muted, false);
    const resumed = await waitFor(async () => {
      const n = await framesDecoded(viewer.page);
      return { ok: n - m1 >= 15, detail: n - m1, n };
    }, { timeoutMs: 10000, what: 'frames to resume after unmute' });
    console.log(`after unmute: +${resumed.n - m1} frames`);
    await rejects(rs.mutePublishedTrack(room, 'pub', 'TR_nope', true), 404, 'not_found');

    // Remove the publisher: the server stops taking its media.
    const a0 = await rtpIn();
    await sleep(1000);
    assert.ok(await rtpIn() > a0, 'RTP arrives while the publisher is in the room');
    await rs.removeParticipant(room, 'pub');
    assert.deepEqual((await rs.listParticipants(room)).map((x) => x.identity), ['viewer']);
    await rejects(rs.getParticipant(room, 'pub'), 404, 'not_found');
    await sleep(1000);
    const r0 = await rtpIn();
    await sleep(2000);
    const r1 = await rtpIn();
    const pubState = (await stats(pub.page)).publish?.connectionState;
    console.log(`after removeParticipant: rtp_packets_in +${r1 - r0} in 2 s, publisher pc ${pubState}`);
    assert.equal(r1 - r0, 0, 'server still accepting the removed publisher\'s RTP');

    // Delete the room: the viewer is disconnected too.
    await rs.deleteRoom(room);
    assert.deepEqual(await rs.listRooms([room]), []);
    await rejects(rs.listParticipants(room), 404, 'not_found');
  } finally {
    await closeAll(peers);
  }
});

test('maxParticipants refuses a join beyond the limit with 403', { timeout: 30000 }, async () => {
  const rs = client();
  await rs.createRoom({ name: 'rs-full', maxParticipants: 1 });
  const peers = [];
  try {
    const pub = await startPublisher(env.browser, env.server, { room: 'rs-full', identity: 'one' });
    peers.push(pub);
    await assert.rejects(startViewer(env.browser, env.server, { room: 'rs-full', identity: 'two' }),
                         /HTTP 403 .*full/);
    assert.deepEqual((await rs.listParticipants('rs-full')).map((p) => p.identity), ['one']);
  } finally {
    await closeAll(peers);
    await rs.deleteRoom('rs-full').catch(() => {});
  }
});

test('updateParticipant: metadata, and revoking canPublish ends only the publish session',
     { timeout: 40000 }, async () => {
  const rs = client();
  const room = 'rs-perm';
  const peers = [];
  try {
    // One identity with a WHIP publish and a WHEP play: one participant, two sessions.
    const pub = await startPublisher(env.browser, env.server, { room, identity: 'dual' });
    peers.push(pub);
    await waitPublishing(pub.page);
    const viewer = await startViewer(env.browser, env.server, { room, identity: 'dual' });
    peers.push(viewer);
    await waitPlaying(viewer.page, { minFrames: 10, minWidth: 0, timeoutMs: 15000 });
    const before = await rs.listParticipants(room);
    assert.equal(before.length, 1);
    assert.equal(before[0].tracks.length, 2);
    assert.equal(before[0].permission.canSubscribe, true, 'grants of both tokens');

    const updated = await rs.updateParticipant(room, 'dual', {
      metadata: 'moderated', name: 'Dual', permission: { canSubscribe: true, canPublish: false,
                                                         canPublishData: true } });
    assert.equal(updated.metadata, 'moderated');
    assert.equal(updated.name, 'Dual');
    assert.equal(updated.permission.canPublish, false);
    const after = await rs.getParticipant(room, 'dual');
    assert.equal(after.tracks.length, 0, 'the publish session ended');
    assert.equal(after.isPublisher, false);
    assert.equal(after.metadata, 'moderated');
    await assert.rejects(startPublisher(env.browser, env.server, { room, identity: 'dual' }),
                         /HTTP 403 .*canPublish/);
    console.log('canPublish revoked: publish session ended, play session kept, republish refused');
  } finally {
    await closeAll(peers);
    await rs.deleteRoom(room).catch(() => {});
  }
});

test('an empty room closes after its emptyTimeout', { timeout: 15000 }, async () => {
  const rs = client();
  await rs.createRoom({ name: 'rs-brief', emptyTimeout: 1 });
  await rs.createRoom({ name: 'rs-long', emptyTimeout: 600 });
  await waitFor(async () => ({ ok: (await rs.listRooms(['rs-brief'])).length === 0 }),
                { timeoutMs: 5000, what: 'rs-brief to close' });
  assert.equal((await rs.listRooms(['rs-long'])).length, 1, 'a longer timeout keeps the room');
  await rs.deleteRoom('rs-long');
});
