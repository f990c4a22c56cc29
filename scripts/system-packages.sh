#!/usr/bin/env bash
# Install the Debian packages the gateway needs when any is missing: xmlsec1 (pysaml2 runs it to
# check signatures), the libxmlsec1 headers for the python-xmlsec build, and chromium for the
# browser tests. Needs root, or sudo, only when something is missing.
# Usage: system-packages.sh [--runtime]   (--runtime: only what the running service needs)
set -euo pipefail

packages=(xmlsec1 libxmlsec1-dev pkg-config)
[ "${1-}" = "--runtime" ] || packages+=(chromium)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages: ${missing[*]}"
run_as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Run as root or install: ${missing[*]}" >&2; exit 1; }
  run_as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${run_as_root[@]}" apt-get update -qq
"${run_as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
