// Starts and stops a ringcast daemon on its own ports with its own API key, for one test file.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ringcastBin = process.env.RINGCAST_BIN || path.join(repoRoot, 'build/api/ringcast');
const verbose = !!process.env.RINGCAST_E2E_VERBOSE;
const live = new Set();

// Make sure no daemon outlives the test process, whatever ends it.
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const child of live) child.kill('SIGKILL');
    process.exit(128 + os.constants.signals[sig]);
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function freeTcpPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', reject);
    sock.bind(0, '0.0.0.0', () => {
      const { port } = sock.address();
      sock.close(() => resolve(port));
    });
  });
}

function yamlConfig({ port, udpPort, workers, ioBackend, transportTimeout, apiKey, apiSecret, extra }) {
  return [
    `port: ${port}`,
    'rtc:',
    `  udp_port: ${udpPort}`,
    '  node_ip: 127.0.0.1',
    `  workers: ${workers}`,
    `  io_backend: ${ioBackend}`,
    ...(transportTimeout ? [`  transport_timeout: ${transportTimeout}`] : []),
    'keys:',
    `  ${apiKey}: ${apiSecret}`,
    extra || '',
  ].join('\n') + '\n';
}

async function waitHealthy(server, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exited) {
      throw new Error(`ringcast exited during start-up (${server.exited})\n${server.logTail()}`);
    }
    try {
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch (_) { /* not listening yet */ }
    await sleep(100);
  }
  throw new Error(`ringcast not healthy within ${timeoutMs} ms\n${server.logTail()}`);
}

// Starts the daemon. Options: ioBackend ('auto' | 'io_uring' | 'mmsg'), workers,
// transportTimeout (seconds), extraYaml, https (the config serves TLS: url is https://),
// beforeStart(dir) (writes files the config names, e.g. certificates), env (variables added to
// the daemon's environment; a value of null removes one).
export async function startServer(opts = {}) {
  if (!fs.existsSync(ringcastBin)) {
    throw new Error(`ringcast binary not found at ${ringcastBin} (build it or set RINGCAST_BIN)`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringcast-e2e-'));
  const cfg = {
    port: await freeTcpPort(),
    udpPort: await freeUdpPort(),
    workers: opts.workers ?? 2,
    ioBackend: opts.ioBackend ?? 'auto',
    transportTimeout: opts.transportTimeout,
    apiKey: 'testkey',
    apiSecret: randomBytes(24).toString('hex'),
    extra: opts.extraYaml,
  };
  if (opts.beforeStart) await opts.beforeStart(dir);
  if (typeof cfg.extra === 'function') cfg.extra = cfg.extra(dir);
  const configPath = path.join(dir, 'ringcast.yaml');
  fs.writeFileSync(configPath, yamlConfig(cfg));
  const env = { ...process.env, ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1' };
  for (const [name, value] of Object.entries(opts.env || {})) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  const child = spawn(ringcastBin, ['serve', '--config', configPath], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env,
  });
  live.add(child);
  const lines = [];
  const server = {
    ...cfg, dir, configPath, child, exited: null,
    url: `${opts.https ? 'https' : 'http'}://127.0.0.1:${cfg.port}`,
    output: () => lines.join(''),
    logTail: (n = 60) => lines.join('').split('\n').slice(-n).join('\n'),
    stop: () => stopServer(server),
  };
  const onData = (chunk) => {
    lines.push(chunk.toString());
    if (verbose) process.stderr.write(`[ringcast] ${chunk}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  server.done = new Promise((resolve) => child.on('exit', (code, signal) => {
    live.delete(child);
    server.exited = signal ? `signal ${signal}` : `code ${code}`;
    resolve({ code, signal });
  }));
  try {
    await waitHealthy(server, opts.startTimeoutMs ?? 20000);
  } catch (e) {
    await stopServer(server).catch(() => {});
    throw e;
  }
  return server;
}

// Stops the daemon (SIGTERM starts a drain; a second SIGTERM after 2 s exits at once; SIGKILL
// after 10 s). Throws when it crashed or a sanitizer
// reported an error, with the tail of its log.
export async function stopServer(server) {
  if (!server) return;
  let hung = false;
  if (!server.exited) {
    server.child.kill('SIGTERM');
    const again = setTimeout(() => server.child.kill('SIGTERM'), 2000);
    const timer = setTimeout(() => {
      hung = true;
      server.child.kill('SIGKILL');
    }, 10000);
    await server.done;
    clearTimeout(again);
    clearTimeout(timer);
  }
  const { code, signal } = await server.done;
  fs.rmSync(server.dir, { recursive: true, force: true });
  const log = server.output();
  const sanitizer = /ERROR: (Address|Leak|Thread)Sanitizer|runtime error:/.test(log);
  const cleanExit = code === 0 || signal === 'SIGTERM';
  if (hung) {
    throw new Error(`ringcast did not exit within 10 s of SIGTERM\n${server.logTail(80)}`);
  }
  if (sanitizer || !cleanExit) {
    throw new Error(`ringcast ended badly (${server.exited})\n${server.logTail(80)}`);
  }
}

// Kills the daemon with SIGKILL (a crash, as far as it can tell) and removes its folder.
export async function killServer(server) {
  if (!server.exited) server.child.kill('SIGKILL');
  await server.done;
  fs.rmSync(server.dir, { recursive: true, force: true });
}

// CPU time the daemon used over `ms`, as a percentage of one core (utime + stime from
// /proc/<pid>/stat, fields 14 and 15, in clock ticks of 1/100 s on Linux).
export async function daemonCpuPercent(server, ms) {
  const ticks = () => {
    const stat = fs.readFileSync(`/proc/${server.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const t0 = ticks();
  const start = Date.now();
  await sleep(ms);
  return ((ticks() - t0) / 100) / ((Date.now() - start) / 1000) * 100;
}
