// Source of the scale-to-zero Lambda (inline, Node.js 20 runtime, AWS SDK v3 from the runtime).
// POST /wake starts the stopped instance (StartInstances also reports the state of a running
// one, so no ec2:Describe* permission is needed) and probes /healthz on the Elastic IP.
export const wakeHandlerSource = `
const { EC2Client, StartInstancesCommand } = require('@aws-sdk/client-ec2');
const ec2 = new EC2Client({});
exports.handler = async () => {
  const out = await ec2.send(new StartInstancesCommand({ InstanceIds: [process.env.INSTANCE_ID] }));
  const state = out.StartingInstances?.[0]?.CurrentState?.Name ?? 'unknown';
  let ready = false;
  if (state === 'running') {
    try {
      const r = await fetch(process.env.HEALTH_URL, { signal: AbortSignal.timeout(2000) });
      ready = r.ok;
    } catch (e) { ready = false; }
  }
  return { statusCode: ready ? 200 : 202, headers: { 'content-type': 'application/json' },
           body: JSON.stringify({ state, ready, url: process.env.PUBLIC_URL }) };
};
`;
