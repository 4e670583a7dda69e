#!/usr/bin/env bash
# Install test of the .deb in a clean Debian 12 root: build it (scripts/package.sh), unpack a
# cached debootstrap minbase root (made on the first run), `apt-get install` the .deb there
# (dependencies from the mirror apt uses on this host), check `ringcast --version`, that the
# packaged config refuses to start without a key, a short `ringcast serve` answering /healthz,
# a reinstall over itself keeping an edited conffile, and `apt-get purge` leaving no files.
# Exit 77 (skipped) without root or debootstrap.
# Usage: install_test.sh [deb | --pack BUILD_DIR]  (--pack: `cpack` in an already built tree
# configured like scripts/package.sh, instead of building build-pkg/)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache_dir=/var/cache/ringcast-test
cache="$cache_dir/debian12-minbase.tar.gz"
start=$SECONDS

skip() { echo "install test skipped: $*"; exit 77; }
fail() { echo "install test FAILED: $*" >&2; exit 1; }
step() { echo "[$((SECONDS - start))s] $*"; }

[[ $(id -u) -eq 0 ]] || skip "needs root (debootstrap, chroot, mount /proc)"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (scripts/setup.sh installs it)"
command -v curl >/dev/null || skip "curl is not installed"

# The Debian mirror apt already uses (deb822 .sources or one-line sources.list).
debian_mirror() {
  local uri
  uri=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

if [[ ${1:-} == --pack ]]; then
  step "packing the .deb from the built tree $2 (cpack)"
  rm -f "$2"/ringcast_*.deb
  (cd "$2" && cpack -G DEB >/dev/null)
  deb=$(ls "$2"/ringcast_*_amd64.deb)
elif [[ $# -ge 1 ]]; then
  deb="$1"
else
  step "building the .deb (scripts/package.sh)"
  deb=$(bash "$repo/scripts/package.sh" | tail -1)
fi
[[ -f $deb ]] || fail "no package at '$deb'"

step "lintian $(basename "$deb")"
if command -v lintian >/dev/null; then
  lintian --fail-on error,warning --display-info "$deb" || fail "lintian reports problems"
else
  echo "lintian is not installed (scripts/setup.sh installs it): not run"
fi

root=$(mktemp -d /var/tmp/ringcast-install.XXXXXX)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  umount "$root/proc" 2>/dev/null || true
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT

mirror=$(debian_mirror)
if [[ -f $cache ]]; then
  step "unpacking the cached Debian 12 root ($cache)"
  tar -xzf "$cache" -C "$root"
else
  step "debootstrap --variant=minbase bookworm from $mirror (first run; cached afterwards)"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
  mkdir -p "$cache_dir"
  tar -czf "$cache.tmp" --numeric-owner -C "$root" . && mv "$cache.tmp" "$cache"
fi
# mktemp made the root 0700 (and a cache made from such a root keeps it): the chroot's / must
# be traversable by the ringcast user, or running the daemon as that user is refused.
chmod 0755 "$root"

cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    LC_ALL=C.UTF-8 "$@"
}
cp "$deb" "$root/tmp/ringcast.deb"
# Files before (taken after the dependencies are installed): after the purge the root must hold
# exactly these again. The shadow tools' backups (/etc/passwd- ...) are left out.
list_files() {
  (cd "$root" && find . -xdev \( -path ./proc -o -path ./tmp -o -path ./var/lib/dpkg -o \
    -path ./var/lib/apt -o -path ./var/cache -o -path ./var/log -o -path ./run \) -prune -o -print |
    grep -vE '^\./etc/(passwd|group|shadow|gshadow)-$' | sort)
}

step "apt-get install ./ringcast.deb (dependencies first, with apt-get satisfy)"
in_root apt-get update -q >/dev/null
in_root apt-get satisfy -y -q --no-install-recommends "$(dpkg-deb -f "$deb" Depends)" >/dev/null
list_files >"$root/tmp/before"
in_root apt-get install -y -q --no-install-recommends /tmp/ringcast.deb >"$root/tmp/install.log" 2>&1 ||
  { cat "$root/tmp/install.log"; fail "apt-get install"; }
grep -q "no API key is configured, so the service was not started" "$root/tmp/install.log" ||
  { cat "$root/tmp/install.log"; fail "postinst did not explain the missing key"; }
in_root dpkg -L ringcast >"$root/tmp/owned"

version=$(in_root ringcast --version)
step "ringcast --version: $version"
[[ $version == "ringcast "* ]] || fail "unexpected --version output"
in_root getent passwd ringcast >/dev/null || fail "no ringcast user"
got=$(in_root stat -c %U:%a /var/lib/ringcast)
[[ $got == ringcast:750 ]] || fail "/var/lib/ringcast is $got, not ringcast:750"
[[ $(in_root stat -c %U:%G:%a /etc/ringcast/ringcast.yaml) == root:ringcast:640 ]] || fail "config mode"
[[ -f $root/lib/systemd/system/ringcast.service && -f $root/usr/share/man/man1/ringcast.1.gz ]] ||
  fail "unit or man page missing"
step "systemd-analyze verify ringcast.service (against the installed root)"
MANPATH="$root/usr/share/man" systemd-analyze verify --root="$root" \
  "$root/lib/systemd/system/ringcast.service" || fail "systemd-analyze verify"

step "the packaged config refuses to start without a key"
rc=0
out=$(in_root ringcast serve --config /etc/ringcast/ringcast.yaml 2>&1) || rc=$?
[[ $rc -eq 2 && $out == *"/etc/ringcast/keys.yaml"* ]] || fail "expected exit 2 naming keys.yaml, got $rc: $out"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
udp=$(python3 -c 'import socket; s=socket.socket(type=socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$root/tmp/test.yaml" <<YAML
port: $port
bind_address: 127.0.0.1
rtc: {udp_port: $udp, node_ip: 127.0.0.1, workers: 1}
keys: {APIinstalltest: install-test-secret-0123456789}
YAML
chmod 644 "$root/tmp/test.yaml"
step "ringcast serve as user ringcast on 127.0.0.1:$port (udp $udp)"
ids="$(in_root id -u ringcast):$(in_root id -g ringcast)"
chroot --userspec="$ids" "$root" /usr/bin/ringcast serve --config /tmp/test.yaml \
  >"$root/tmp/serve.log" 2>&1 &
server_pid=$!
health=""
for _ in $(seq 100); do
  health=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null) && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[[ $health == ok* ]] || { cat "$root/tmp/serve.log"; fail "/healthz did not answer ok"; }
kill -TERM "$server_pid"
wait "$server_pid" || fail "ringcast serve did not exit cleanly on SIGTERM"
server_pid=""
step "/healthz answered '$health'; stopped cleanly"

step "edit the conffile, reinstall the same .deb over itself"
echo "# edited by the install test" >>"$root/etc/ringcast/ringcast.yaml"
printf 'APIlocal: a-local-secret\n' >"$root/etc/ringcast/keys.yaml"
in_root apt-get install -y -q --reinstall /tmp/ringcast.deb >"$root/tmp/reinstall.log" 2>&1 ||
  { cat "$root/tmp/reinstall.log"; fail "reinstall"; }
grep -q "# edited by the install test" "$root/etc/ringcast/ringcast.yaml" || fail "edited conffile was replaced"
ls "$root"/etc/ringcast/*.dpkg-* 2>/dev/null && fail "dpkg left conffile copies"
[[ $(in_root stat -c %G:%a /etc/ringcast/keys.yaml) == ringcast:640 ]] || fail "keys.yaml mode after reinstall"
in_root ringcast token --config /etc/ringcast/ringcast.yaml --room r --identity i >/dev/null ||
  fail "edited config with keys.yaml does not load"

step "apt-get purge ringcast"
in_root apt-get purge -y -q ringcast >"$root/tmp/purge.log" 2>&1 || { cat "$root/tmp/purge.log"; fail "purge"; }
in_root dpkg -s ringcast >/dev/null 2>&1 && fail "ringcast still installed"
for d in /etc/ringcast /var/lib/ringcast; do [[ ! -e $root$d ]] || fail "$d left after purge"; done
while read -r f; do
  # Directories (shared ones like /usr/bin, and /lib via the merged-/usr link) are covered by the
  # file-tree comparison below.
  [[ -d $root$f ]] && continue
  [[ -e $root$f || -L $root$f ]] && fail "packaged file left after purge: $f"
done <"$root/tmp/owned"
# The shadow tools' backups (/etc/passwd- ...) come from creating the system user, which stays
# after a purge as Debian policy asks (list_files leaves them out); anything else must be gone.
list_files >"$root/tmp/after"
if ! diff -u "$root/tmp/before" "$root/tmp/after" >"$root/tmp/diff"; then
  cat "$root/tmp/diff"
  fail "the purge left or removed files (diff above)"
fi
step "purge restored the file tree (ringcast user kept, as Debian policy recommends)"
echo "install test passed in $((SECONDS - start))s"
