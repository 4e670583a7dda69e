#!/bin/sh
# `ringcast tune` end to end against fake /proc/sys and /etc/sysctl.d trees (no root
# needed, the host is never touched). Usage: tune_cli_test.sh path/to/ringcast
set -u
bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# expect CODE CMD...: runs CMD, output in $tmp/out, fails unless it exits with CODE.
expect() {
  want=$1; shift
  "$@" >"$tmp/out" 2>&1
  got=$?
  [ "$got" -eq "$want" ] || { cat "$tmp/out"; fail "'$*' exited $got, expected $want"; }
}

# A fake tree holding every key of the sfu profile at a low value.
mkdir -p "$tmp/proc" "$tmp/dest"
"$bin" tune show sfu | sed -n 's/^-\{0,1\}\([a-z_.0-9]*\) = \(.*\)$/\1 \2/p' >"$tmp/keys"
[ -s "$tmp/keys" ] || fail "tune show sfu printed no settings"
while read -r key value; do
  f="$tmp/proc/$(echo "$key" | tr . /)"
  mkdir -p "$(dirname "$f")"
  case $value in *" "*) echo "1 1 1" >"$f" ;; *) echo 1 >"$f" ;; esac
done <"$tmp/keys"

expect 1 "$bin" tune check --proc-root "$tmp/proc"
grep -q 'net.core.rmem_max .* 1 .* >= .* 4194304 .* LOW' "$tmp/out" || fail "row for rmem_max"
grep -q 'settings differ from profile sfu' "$tmp/out" || fail "summary line"

expect 0 "$bin" tune apply --proc-root "$tmp/proc" --dest "$tmp/dest"
grep -q 'changed   net.core.rmem_max: 1 -> 4194304' "$tmp/out" || fail "apply report"
[ -f "$tmp/dest/90-ringcast.conf" ] || fail "no sysctl.d file written"
expect 0 "$bin" tune check --proc-root "$tmp/proc"
grep -q 'The host matches profile sfu' "$tmp/out" || fail "match line"

expect 1 "$bin" tune check --profile sfu-large --proc-root "$tmp/proc"
expect 0 "$bin" tune check --profile "$tmp/dest/90-ringcast.conf" --proc-root "$tmp/proc"

rm "$tmp/proc/net/core/busy_read"
expect 1 "$bin" tune check --proc-root "$tmp/proc"
grep -q 'net.core.busy_read .*(unavailable).*MISSING' "$tmp/out" || fail "missing row"

expect 0 "$bin" tune list
grep -q '^sfu-large ' "$tmp/out" || fail "list"
expect 2 "$bin" tune check --profile no-such-profile --proc-root "$tmp/proc"
grep -q "unknown profile 'no-such-profile'" "$tmp/out" || fail "unknown profile message"
expect 2 "$bin" tune check --bogus
expect 2 "$bin" tune check --proc-root "$tmp/nonexistent"
expect 2 "$bin" tune
expect 2 "$bin" tune apply --proc-root "$tmp/proc" --dest "$tmp/nonexistent"
expect 0 "$bin" tune --help
expect 0 "$bin" --help
grep -q 'tune' "$tmp/out" || fail "ringcast --help does not list tune"
echo "tune CLI: all checks passed"
