// Runs tests/e2e/lib/s3_peer.mjs (s3rver, optionally a fake IMDSv2) as a child process for
// the end-to-end recording tests: start, stop (an S3 outage), start again on the same port and
// folder, and count the instance-role credential fetches it served.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const peerScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 's3_peer.mjs');
const verbose = !!process.env.RINGCAST_E2E_VERBOSE;

export function s3rverInstalled() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return fs.existsSync(path.join(here, '../node_modules/@20minutes/s3rver'));
}

// Options: dir (s3rver's storage folder), bucket, port (0 = any), imds (also serve a fake
// IMDSv2), imdsExpirySec (lifetime of each role credential it hands out).
export async function startS3(opts) {
  const peer = { ...opts, bucket: opts.bucket ?? 'recordings', imdsFetches: 0, child: null };
  peer.start = () => launch(peer);
  peer.stop = () => halt(peer);
  peer.endpoint = () => `http://127.0.0.1:${peer.port}`;
  peer.imdsEndpoint = () => `http://127.0.0.1:${peer.imdsPort}`;
  await peer.start();
  return peer;
}

function launch(peer) {
  const args = [peerScript, '--dir', peer.dir, '--bucket', peer.bucket, '--port',
                String(peer.port ?? 0)];
  if (peer.imds) {
    args.push('--imds-port', String(peer.imdsPort ?? 0));
    args.push('--imds-expiry-sec', String(peer.imdsExpirySec ?? 3600));
  }
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  peer.child = child;
  peer.exited = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let pending = '';
    let s3Up = false;
    let imdsUp = !peer.imds;  // this launch's own announcements, not the previous launch's
    const timer = setTimeout(() => reject(new Error('s3 peer did not start in 15 s')), 15000);
    const ready = () => s3Up && imdsUp;
    child.stdout.on('data', (chunk) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (verbose) process.stderr.write(`[s3] ${line}\n`);
        const [word, value] = line.trim().split(' ');
        if (word === 'S3') [peer.port, s3Up] = [Number(value), true];
        if (word === 'IMDS') [peer.imdsPort, imdsUp] = [Number(value), true];
        if (word === 'IMDS-FETCH') peer.imdsFetches += 1;
      }
      if (ready()) {
        clearTimeout(timer);
        resolve(peer);
      }
    });
    child.stderr.on('data', (chunk) => process.stderr.write(`[s3 stderr] ${chunk}`));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3 peer exited with ${code} before it listened`));
    });
  });
}

async function halt(peer) {
  if (!peer.child || peer.child.exitCode !== null) return;
  peer.child.kill('SIGKILL');
  await peer.exited;
}
