// Issue 4 operations: HTTPS from tls.cert_file/tls.key_file; SIGHUP loads a new certificate
// for new connections while a WHIP session (over HTTPS) keeps publishing; a bad certificate on
// SIGHUP is logged and the current one kept.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, stats, stop, waitFor } from './lib/browser.mjs';
import { startPublisher } from './lib/peers.mjs';
import { startServer, sleep } from './lib/server.mjs';

process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';  // self-signed certificates below

function makeCert(dir, name, cn) {
  const cert = path.join(dir, `${name}.crt`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
    '-nodes', '-days', '1', '-subj', `/CN=${cn}`, '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { cert, key };
}

// The certificate the server presents on a new connection.
function servedCert(url) {
  return new Promise((resolve, reject) => {
    const req = https.get(`${url}/healthz`, { rejectUnauthorized: false, agent: false }, (res) => {
      const c = res.socket.getPeerCertificate();
      res.resume();
      resolve({ status: res.statusCode, cn: c.subject?.CN, fingerprint: c.fingerprint256 });
    });
    req.on('error', reject);
  });
}

let server, browser;
before(async () => {
  server = await startServer({
    https: true,
    beforeStart: (dir) => {
      makeCert(dir, 'live', 'ringcast-first');
    },
    extraYaml: (dir) => `tls:\n  cert_file: ${path.join(dir, 'live.crt')}\n` +
      `  key_file: ${path.join(dir, 'live.key')}\n`,
  });
  browser = await launchBrowser({ extraArgs: ['--ignore-certificate-errors'] });
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('HTTPS with SIGHUP certificate reload keeps the WHIP session', { timeout: 60000 },
     async () => {
  const first = await servedCert(server.url);
  assert.equal(first.status, 200);
  assert.equal(first.cn, 'ringcast-first');
  assert.match(server.output(), /listening on https:/);

  const pub = await startPublisher(browser, server, { room: 'tls', codec: 'VP8' });
  const encoded = async () => (await stats(pub.page)).publish?.video?.framesEncoded ?? 0;
  await waitFor(async () => ({ ok: (await stats(pub.page)).publish?.connectionState === 'connected' }),
                { timeoutMs: 15000, what: 'publisher connected' });

  // Replace the files in place, then SIGHUP.
  const next = makeCert(server.dir, 'next', 'ringcast-second');
  fs.copyFileSync(next.cert, path.join(server.dir, 'live.crt'));
  fs.copyFileSync(next.key, path.join(server.dir, 'live.key'));
  server.child.kill('SIGHUP');
  let second;
  for (let i = 0; i < 30; ++i) {
    second = await servedCert(server.url);
    if (second.cn === 'ringcast-second') break;
    await sleep(100);
  }
  assert.equal(second.cn, 'ringcast-second', 'new connections get the new certificate');
  assert.notEqual(second.fingerprint, first.fingerprint);

  const before = await encoded();
  await sleep(1500);
  const st = (await stats(pub.page)).publish;
  assert.equal(st.connectionState, 'connected', 'WHIP session survived the reload');
  assert.ok((await encoded()) > before, 'still publishing');
  const m = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(m, /^ringcast_participants 1$/m);

  // A broken certificate: logged, the current one stays.
  fs.writeFileSync(path.join(server.dir, 'live.crt'), 'not a certificate\n');
  server.child.kill('SIGHUP');
  await waitFor(async () => ({ ok: /certificate reload failed/.test(server.output()) }),
                { timeoutMs: 5000, what: 'reload failure logged' });
  assert.equal((await servedCert(server.url)).cn, 'ringcast-second');

  const del = await stop(pub.page, 'publish');
  assert.ok(del.publish >= 200 && del.publish < 300, `WHIP DELETE over HTTPS: ${del.publish}`);
  await pub.page.close();
});
