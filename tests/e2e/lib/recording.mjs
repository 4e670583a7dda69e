// Helpers of the recording tests: app API calls with a roomRecord token, listing until a
// recording appears, and what ffprobe/ffmpeg say of a recorded file.
import { execFileSync, spawnSync } from 'node:child_process';
import { AccessToken } from 'livekit-server-sdk';
import { waitFor } from './browser.mjs';

// POST to the app API (/start-recording, /stop-recording, /list-recordings).
export async function appCall(server, route, body) {
  const at = new AccessToken(server.apiKey, server.apiSecret, { ttl: '5m' });
  at.addGrant({ roomRecord: true });
  const res = await fetch(`${server.url}${route}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await at.toJwt()}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (_) { /* the assertion on status shows the text */ }
  return { status: res.status, json, text };
}

// Waits until /list-recordings shows `count` media files (the manifest left out) of `room`;
// returns them.
export async function waitListed(server, room, { count = 1, timeoutMs = 30000 } = {}) {
  let files = [];
  await waitFor(async () => {
    const listed = await appCall(server, '/list-recordings', { roomName: room });
    files = (listed.json?.files || []).filter((f) => !f.key.endsWith('.json'));
    return { ok: files.length === count && files.every((f) => f.size > 0), detail: listed.text };
  }, { timeoutMs, what: `${count} recording(s) of ${room} listed` });
  return files;
}

// Whether every stream's packet timestamps in the file strictly increase (in the container's
// own time base, as ffprobe reads them).
function timestampsIncrease(file) {
  const lines = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'packet=stream_index,dts',
    '-of', 'csv=p=0', file], { maxBuffer: 64 << 20 }).toString().trim().split('\n');
  const last = new Map();
  for (const line of lines) {
    const [stream, dts] = line.split(',').map(Number);
    if (last.has(stream) && dts <= last.get(stream)) return false;
    last.set(stream, dts);
  }
  return true;
}

// ffmpeg's null output re-times frames into its own 1/frame-rate time base (frame rate guessed
// from the file, e.g. 30/1) and passes them through, so two frames of a variable-rate WebRTC
// stream that a CPU-starved browser captured less than one frame interval apart land on the
// same tick and the null muxer prints "non monotonically increasing dts". That line is about
// ffmpeg's re-timing, not the file: it is counted apart (the file's own timestamps are checked
// by timestampsIncrease).
const nullMuxerRetiming = /^\[null @ [^\]]+\] Application provided invalid, non monotonically increasing dts to muxer/;

// Stream codecs, the last video timestamp, every error a full decode prints, whether the
// file's timestamps increase, the decoded video size and frame count, and each stream's start.
export function probeMedia(file) {
  const streams = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name',
    '-of', 'csv=p=0', file]).toString().trim().split('\n');
  const last = execFileSync('sh', ['-c', 'ffprobe -v error -select_streams v -show_entries ' +
    `packet=pts_time -of csv=p=0 '${file}' | sort -g | tail -1`]).toString();
  // ffmpeg prints decode errors on stderr; a non-zero exit is an error too.
  const decode = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = decode.stderr.toString().split('\n').filter((l) => l);
  const retimed = lines.filter((l) => nullMuxerRetiming.test(l)).length;
  const errors = lines.filter((l) => !nullMuxerRetiming.test(l)).join('\n') +
                 (decode.status ? `exit ${decode.status}` : '');
  if (retimed) console.log(`${file}: ffmpeg's null output re-timed ${retimed} frame(s) onto a used tick`);
  const [width, height, frames] = execFileSync('ffprobe', ['-v', 'error', '-count_frames',
    '-select_streams', 'v', '-show_entries', 'stream=width,height,nb_read_frames', '-of',
    'csv=p=0', file]).toString().trim().split(',').map(Number);
  const starts = execFileSync('ffprobe', ['-v', 'error', '-show_entries',
    'stream=codec_type,start_time', '-of', 'csv=p=0', file]).toString().trim().replace(/\n/g, ' ');
  return { streams, seconds: Number(last), errors, retimed, increasing: timestampsIncrease(file),
           width, height, frames, starts };
}
