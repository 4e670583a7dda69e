// Offline checks of the synthesized template (no AWS account, no network): exact ingress
// ports, the least-privilege instance policy, the S3 bucket settings, alarms and outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RingcastStack, RingcastStackProps } from '../lib/ringcast-stack';

const env = { account: '123456789012', region: 'eu-west-1' };

function synth(props: Partial<RingcastStackProps> = {}): Template {
  const app = new App();
  const stack = new RingcastStack(app, 'Test', { env, debUrl: 'https://example.org/ringcast.deb', ...props });
  app.synth();
  return Template.fromStack(stack);
}

type Json = Record<string, any>;
const resources = (t: Template, type: string): Json[] => Object.values(t.findResources(type));

test('security group opens exactly TCP 443, TCP 7880 and the media UDP port', () => {
  const t = synth({ udpPort: 7890 });
  const groups = resources(t, 'AWS::EC2::SecurityGroup');
  assert.equal(groups.length, 1);
  const ingress = groups[0].Properties.SecurityGroupIngress.map((r: Json) =>
    `${r.IpProtocol}:${r.FromPort}-${r.ToPort}:${r.CidrIp}`).sort();
  assert.deepEqual(ingress, ['tcp:443-443:0.0.0.0/0', 'tcp:7880-7880:0.0.0.0/0', 'udp:7890-7890:0.0.0.0/0']);
  assert.equal(resources(t, 'AWS::EC2::SecurityGroupIngress').length, 0);
});

function instancePolicyStatements(t: Template): Json[] {
  const policies = resources(t, 'AWS::IAM::Policy').filter((p) =>
    JSON.stringify(p.Properties.Roles).includes('Host0Role'));
  assert.equal(policies.length, 1);
  return policies[0].Properties.PolicyDocument.Statement;
}

test('instance role: only s3 Put/Get/List on its prefix and GetSecretValue on its own secret', () => {
  const statements = instancePolicyStatements(synth());
  const actions = statements.map((s) => s.Action);
  assert.deepEqual(actions, [['s3:PutObject', 's3:GetObject'], 's3:ListBucket', 'secretsmanager:GetSecretValue']);
  for (const s of statements) {
    assert.equal(s.Effect, 'Allow');
    for (const a of [s.Action].flat()) assert.ok(!a.includes('*'), `wildcard action ${a}`);
    assert.notEqual(s.Resource, '*');
  }
  const json = JSON.stringify(statements);
  assert.match(json, /"\/host0\/\*"/);                   // objects under the host's prefix
  assert.match(json, /"Ref":"Host0ApiKey[0-9A-F]+"/);    // its own secret's ARN
  assert.deepEqual(statements[1].Condition, { StringLike: { 's3:prefix': ['host0/*'] } });
  const roles = resources(synth(), 'AWS::IAM::Role').filter((r) =>
    JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('ec2.amazonaws.com'));
  assert.equal(roles.length, 1);
  assert.equal(roles[0].Properties.ManagedPolicyArns, undefined);
});

test('an S3 asset .deb adds exactly s3:GetObject on that one object', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringcast-cdk-'));
  const deb = path.join(dir, 'ringcast_0.0.0_amd64.deb');
  fs.writeFileSync(deb, 'not a real package');
  const statements = instancePolicyStatements(synth({ debUrl: undefined, debPath: deb }));
  assert.equal(statements.length, 4);
  assert.equal(statements[3].Action, 's3:GetObject');
  assert.match(JSON.stringify(statements[3].Resource), /\.deb"\]\]\}$/);
});

test('bucket: public access blocked, encrypted, TLS only, lifecycle rule', () => {
  const t = synth();
  t.hasResourceProperties('AWS::S3::Bucket', {
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: 120 })] },
  });
  t.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
  });
});

test('instance: compute optimised, Elastic IP, IMDSv2, user data installs, tunes, keys, starts', () => {
  const t = synth({ instanceType: 'c7i.2xlarge', tuningProfile: 'sfu' });
  t.hasResourceProperties('AWS::EC2::Instance', { InstanceType: 'c7i.2xlarge', InstanceInitiatedShutdownBehavior: 'stop' });
  t.resourceCountIs('AWS::EC2::EIP', 1);
  t.resourceCountIs('AWS::EC2::EIPAssociation', 1);
  const userData = JSON.stringify(resources(t, 'AWS::EC2::Instance')[0].Properties.UserData);
  for (const step of ['apt-get install -y -q /tmp/ringcast.deb', "ringcast tune apply --profile 'sfu'",
    'secretsmanager get-secret-value', '/etc/ringcast/keys.yaml', 'RINGCAST_NODE_IP=', 'systemctl restart ringcast']) {
    assert.ok(userData.includes(step), `user data lacks: ${step}`);
  }
  assert.ok(userData.indexOf('tune apply') < userData.indexOf('systemctl restart ringcast'));
  assert.throws(() => synth({ instanceType: 't3.large' }), /compute-optimised/);
  assert.throws(() => synth({ debUrl: 'http://example.org/x.deb' }), /https/);
});

test('alarms: CPU and both status checks, system check recovers the instance', () => {
  const t = synth();
  const alarms = resources(t, 'AWS::CloudWatch::Alarm').map((a) => a.Properties);
  assert.deepEqual(alarms.map((a) => a.MetricName).sort(),
    ['CPUUtilization', 'StatusCheckFailed_Instance', 'StatusCheckFailed_System']);
  const system = alarms.find((a) => a.MetricName === 'StatusCheckFailed_System');
  assert.match(JSON.stringify(system.AlarmActions), /ec2:recover/);
});

test('outputs: URL, public IP, bucket, secret; two hosts get two of each', () => {
  const outputs = Object.keys(synth().toJSON().Outputs).sort();
  assert.deepEqual(outputs.map((o) => o.replace(/[0-9A-F]{8}$/, '')),
    ['Host0PublicIp', 'Host0SecretArn', 'Host0Url', 'RecordingsBucket']);
  const two = synth({ hosts: 2 });
  two.resourceCountIs('AWS::EC2::Instance', 2);
  two.resourceCountIs('AWS::SecretsManager::Secret', 2);
  const url = synth({ domainName: 'sfu.example.com' }).toJSON().Outputs;
  assert.ok(Object.values(url).some((o: any) => o.Value === 'https://sfu.example.com'));
});

test('scale-to-zero: Lambda may only start its own instance; API route POST /wake', () => {
  const t = synth({ idleTimeout: '15m' });
  const fnPolicies = resources(t, 'AWS::IAM::Policy').filter((p) =>
    JSON.stringify(p.Properties.Roles).includes('Wake'));
  assert.equal(fnPolicies.length, 1);
  const [stmt] = fnPolicies[0].Properties.PolicyDocument.Statement;
  assert.equal(stmt.Action, 'ec2:StartInstances');
  assert.match(JSON.stringify(stmt.Resource), /:instance\/".*"Ref":"Host0Instance/);
  t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /wake' });
  const userData = JSON.stringify(resources(t, 'AWS::EC2::Instance')[0].Properties.UserData);
  assert.ok(userData.includes('idle:') && userData.includes('ringcast-idle-stop.path'));
  assert.ok(Object.keys(t.toJSON().Outputs).some((k) => k.startsWith('Host0WakeUrl')));
});
