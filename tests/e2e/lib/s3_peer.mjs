// A real S3-compatible peer for the recorder storage tests (tests/unit/record_store): runs
// @20minutes/s3rver (SigV4-verifying, multipart) on 127.0.0.1 and, with --imds-port, a fake
// EC2 IMDSv2 on 127.0.0.1 that serves instance-role credentials expiring after
// --imds-expiry-sec seconds, a new key pair on every fetch (each registered with s3rver).
// Prints "S3 <port>" and "IMDS <port>" when listening; exits on SIGTERM or stdin close.
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const S3rver = require('@20minutes/s3rver');
const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account');

const args = Object.fromEntries(
  process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : null))
    .filter(Boolean));

const s3 = new S3rver({
  address: '127.0.0.1',
  port: Number(args.port ?? 0),
  silent: true,
  directory: args.dir,
  configureBuckets: [{ name: args.bucket ?? 'recordings' }],
});
const { port } = await s3.run();
console.log(`S3 ${port}`);

if (args['imds-port'] !== undefined) {
  let fetches = 0;
  const tokens = new Set();
  const imds = http.createServer((req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    };
    if (req.method === 'PUT' && req.url === '/latest/api/token') {
      if (!req.headers['x-aws-ec2-metadata-token-ttl-seconds']) return reply(400, 'ttl missing');
      const token = `tok${tokens.size + 1}`;
      tokens.add(token);
      return reply(200, token);
    }
    if (!tokens.has(req.headers['x-aws-ec2-metadata-token'])) return reply(401, 'no token');
    if (req.url === '/latest/meta-data/iam/security-credentials/') return reply(200, 'recorder-role');
    if (req.url === '/latest/meta-data/iam/security-credentials/recorder-role') {
      fetches += 1;
      const key = `ROLEKEY${fetches}`;
      DUMMY_ACCOUNT.createKeyPair(key, `rolesecret${fetches}`);
      const expiry = Number(args['imds-expiry-sec'] ?? 3600);
      console.log(`IMDS-FETCH ${fetches}`);
      return reply(200, JSON.stringify({
        Code: 'Success', Type: 'AWS-HMAC', AccessKeyId: key, SecretAccessKey: `rolesecret${fetches}`,
        Token: `session${fetches}`, Expiration: new Date(Date.now() + expiry * 1000).toISOString(),
      }));
    }
    return reply(404, 'not found');
  });
  await new Promise((r) => imds.listen(Number(args['imds-port']), '127.0.0.1', r));
  console.log(`IMDS ${imds.address().port}`);
}

const stop = async () => {
  await s3.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
