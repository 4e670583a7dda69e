#!/usr/bin/env node
// cdk deploy -c deb=../../build-pkg/ringcast_0.1.0_amd64.deb [-c instanceType=c7i.xlarge]
//   [-c hosts=2] [-c domainName=sfu.example.com] [-c alarmEmail=ops@example.com]
//   [-c tuningProfile=NAME] [-c idleTimeout=15m]        (or -c debUrl=https://...)
import { App } from 'aws-cdk-lib';
import { RingcastStack } from '../lib/ringcast-stack';

const app = new App();
const ctx = (name: string): string | undefined => app.node.tryGetContext(name);
new RingcastStack(app, ctx('stackName') ?? 'Ringcast', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  debPath: ctx('deb'),
  debUrl: ctx('debUrl'),
  instanceType: ctx('instanceType'),
  hosts: ctx('hosts') ? Number(ctx('hosts')) : undefined,
  udpPort: ctx('udpPort') ? Number(ctx('udpPort')) : undefined,
  amiSsmParameter: ctx('amiSsmParameter'),
  tuningProfile: ctx('tuningProfile'),
  domainName: ctx('domainName'),
  alarmEmail: ctx('alarmEmail'),
  idleTimeout: ctx('idleTimeout'),
});
