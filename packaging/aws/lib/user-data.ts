// The first-boot script of a ringcast host: install the .deb, apply the tuning profile, fetch
// the API key from Secrets Manager into /etc/ringcast/keys.yaml, point ICE at the Elastic IP,
// optionally put Caddy (HTTPS on 443) in front and arm the idle stop, then start the service.

export interface UserDataOptions {
  region: string;
  secretArn: string;
  publicIp: string;
  udpPort: number;
  deb: { s3Url: string } | { httpsUrl: string };
  tuningProfile?: string;
  domainName?: string;
  idleTimeout?: string;
}

function fetchDeb(deb: UserDataOptions['deb']): string {
  if ('s3Url' in deb) return `aws s3 cp '${deb.s3Url}' /tmp/ringcast.deb`;
  return `curl -fsSL --proto '=https' -o /tmp/ringcast.deb '${deb.httpsUrl}'`;
}

function caddy(domainName: string): string[] {
  return [
    'apt-get install -y -q caddy',
    `printf '%s {\\n\\treverse_proxy 127.0.0.1:7880\\n}\\n' '${domainName}' > /etc/caddy/Caddyfile`,
    'systemctl restart caddy',
  ];
}

// The daemon runs unprivileged with NoNewPrivileges, so its idle hook only drops a flag file;
// a root path unit sees it and powers the instance off (shutdown behaviour: stop).
function idleStop(timeout: string): string[] {
  return [
    `printf 'idle:\\n  timeout: ${timeout}\\n  command: touch /var/lib/ringcast/idle-stop\\n' >> /etc/ringcast/ringcast.yaml`,
    "printf '[Path]\\nPathExists=/var/lib/ringcast/idle-stop\\n[Install]\\nWantedBy=multi-user.target\\n' > /etc/systemd/system/ringcast-idle-stop.path",
    "printf '[Service]\\nType=oneshot\\nExecStart=/bin/rm -f /var/lib/ringcast/idle-stop\\nExecStart=/bin/systemctl poweroff\\n' > /etc/systemd/system/ringcast-idle-stop.service",
    'systemctl daemon-reload',
    'systemctl enable --now ringcast-idle-stop.path',
  ];
}

export function ringcastUserData(o: UserDataOptions): string[] {
  const tune = o.tuningProfile ? `ringcast tune apply --profile '${o.tuningProfile}'` : 'ringcast tune apply';
  return [
    'set -euxo pipefail',
    'export DEBIAN_FRONTEND=noninteractive',
    'apt-get update -q',
    'apt-get install -y -q --no-install-recommends awscli jq curl ca-certificates',
    fetchDeb(o.deb),
    'apt-get install -y -q /tmp/ringcast.deb',
    tune,
    `secret=$(aws secretsmanager get-secret-value --region '${o.region}' --secret-id '${o.secretArn}' --query SecretString --output text)`,
    'umask 027',
    `printf '%s: %s\\n' "$(jq -r .key <<<"$secret")" "$(jq -r .secret <<<"$secret")" > /etc/ringcast/keys.yaml`,
    'unset secret',
    'chgrp ringcast /etc/ringcast/keys.yaml && chmod 0640 /etc/ringcast/keys.yaml',
    'mkdir -p /etc/systemd/system/ringcast.service.d',
    `printf '[Service]\\nEnvironment=RINGCAST_NODE_IP=${o.publicIp}\\nEnvironment=RINGCAST_UDP_PORT=${o.udpPort}\\n' > /etc/systemd/system/ringcast.service.d/aws.conf`,
    ...(o.domainName ? caddy(o.domainName) : []),
    ...(o.idleTimeout ? idleStop(o.idleTimeout) : []),
    'systemctl daemon-reload',
    'systemctl enable ringcast',
    'systemctl restart ringcast',
    'for i in $(seq 30); do curl -fsS http://127.0.0.1:7880/healthz && break; sleep 1; done',
  ];
}
