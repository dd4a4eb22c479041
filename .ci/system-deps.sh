#!/usr/bin/env bash
# Install the Debian packages the test suite needs, when they are missing (root only).
set -euo pipefail
pkgs=(qgis python3-qgis qgis-providers postgresql-15-postgis-3 gdal-bin poppler-utils chromium chromium-driver
      python3-venv xvfb qttools5-dev-tools)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
