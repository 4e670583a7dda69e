#!/usr/bin/env bash
# Builds ringcast (Release, into build/) and starts it in development mode: embedded defaults,
# a dev API key/secret printed at start, the demo page at http://localhost:7880/.
# Extra arguments go to `ringcast serve` (e.g. --config ringcast.yaml).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$(nproc)"
exec build/api/ringcast serve --dev "$@"
