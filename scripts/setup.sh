#!/usr/bin/env bash
# Installs what ringcast needs to build and test on Debian 12, skipping what is already there.
# Idempotent; works unattended (CI=true, no stdin). Run as root (or it uses sudo).
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  liburing-dev libsrtp2-dev libssl-dev nettle-dev libnice-dev libboost-dev nlohmann-json3-dev
  libyaml-cpp-dev libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  chromium clang-format clang-tidy ccache
  lintian debootstrap help2man curl python3
  libavformat-dev libavcodec-dev libavutil-dev libcurl4-openssl-dev ffmpeg libxml2-dev
  gnuplot-nox jq ethtool janus
)

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo -n "$@" </dev/null || sudo "$@"
  else
    echo "setup.sh: need root to run: $*" >&2
    return 1
  fi
}

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
# Node.js: any node >= 18 with npm will do (Debian's nodejs + npm, or a nodejs package that
# bundles npm); install Debian's only when there is none.
if ! command -v node >/dev/null; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null; then
  missing+=(npm)
fi

if ((${#missing[@]})); then
  echo "setup.sh: installing ${missing[*]}"
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "setup.sh: all Debian packages present"
fi
# Janus is the bench's performance peer (bench/compare-janus, ctest bench_janus_live), which
# start their own in a namespace; the package's system service would listen on every interface.
if command -v systemctl >/dev/null && [[ -d /run/systemd/system ]] &&
   systemctl is-enabled --quiet janus 2>/dev/null; then
  as_root systemctl disable --now janus
fi

# npm packages for the end-to-end tests (playwright-core drives Debian's Chromium; it downloads
# no browser). Run as the invoking user when started through sudo, so node_modules is theirs.
cd "$repo/tests/e2e"
npm_cmd=(npm ci --no-audit --no-fund)
[[ -f package-lock.json ]] || npm_cmd=(npm install --no-audit --no-fund)
if [[ -d node_modules/playwright-core && -d node_modules/livekit-server-sdk &&
      node_modules/.package-lock.json -nt package-lock.json ]]; then
  echo "setup.sh: tests/e2e/node_modules up to date"
elif [[ $(id -u) -eq 0 && -n "${SUDO_USER:-}" && "${SUDO_USER}" != root ]]; then
  sudo -u "$SUDO_USER" -- "${npm_cmd[@]}"
else
  "${npm_cmd[@]}"
fi
# npm packages of the AWS CDK app (packaging/aws: aws-cdk-lib, constructs, typescript).
cd "$repo/packaging/aws"
if [[ -d node_modules/aws-cdk-lib && node_modules/.package-lock.json -nt package-lock.json ]]; then
  echo "setup.sh: packaging/aws/node_modules up to date"
elif [[ $(id -u) -eq 0 && -n "${SUDO_USER:-}" && "${SUDO_USER}" != root ]]; then
  sudo -u "$SUDO_USER" -- npm ci --no-audit --no-fund
else
  npm ci --no-audit --no-fund
fi
echo "setup.sh: done"
