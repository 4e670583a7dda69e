#!/usr/bin/env bash
# Fails when an option or subcommand that `ringcast --help` (and each subcommand's --help)
# prints is missing from the man page. Usage: manpage_check.sh <ringcast binary> <ringcast.1>
set -euo pipefail
bin="$1"
page="$2"
# Man-page source writes "-" as "\-"; compare against the unescaped text.
text=$(sed 's/\\-/-/g' "$page")
missing=()
subcommands=$("$bin" --help | awk 'tolower($0) ~ /^subcommands:/{s=1; next} s && NF {print $1}')
for cmd in "" $subcommands; do
  # shellcheck disable=SC2086
  help=$("$bin" $cmd --help)
  for opt in $(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$help" | sort -u); do
    grep -qE -- "${opt}([^a-z0-9-]|$)" <<<"$text" || missing+=("${cmd:-ringcast} $opt")
  done
  [[ -z $cmd ]] || grep -qE "^\.B $cmd\$" <<<"$text" || missing+=("command $cmd")
done
if ((${#missing[@]})); then
  echo "packaging/ringcast.1 does not document: ${missing[*]}"
  exit 1
fi
echo "ringcast.1 documents every option of: ringcast ${subcommands//$'\n'/ }"
