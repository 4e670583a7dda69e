#!/usr/bin/env bash
# Builds the Debian package: build-pkg/ringcast_<version>_amd64.deb (prints its path last).
# Release build with Debian's hardening flags (dpkg-buildflags), yaml-cpp static and spdlog
# header-only so the one .deb installs on Debian 12 and Ubuntu 24.04; no tests are built.
# Usage: scripts/package.sh [build-dir]   (default: build-pkg in the repository root)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/build-pkg}"
jobs="${RINGCAST_JOBS:-2}"

source "$repo/scripts/package-flags.sh"
cmake -S "$repo" -B "$out" -G Ninja "${package_cmake_options[@]}" -DRINGCAST_TESTS=OFF >/dev/null
cmake --build "$out" -j"$jobs"
rm -f "$out"/ringcast_*.deb
(cd "$out" && cpack -G DEB >/dev/null)
deb=$(ls "$out"/ringcast_*_amd64.deb)
echo "$deb"
