#!/usr/bin/env bash
# Sets up a Debian-family machine (Debian 12, 麒麟 Kylin, 统信 UOS) for Yichuang: system packages, then a venv in
# .venv with the client installed. `--test` also installs the test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

PACKAGES=(
  # Qt (PySide6) on X11 and offscreen; see ../shared/notes/toolchain.md §7
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libx11-6 libxcb1
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxcb-util1 libxkbcommon-x11-0 libx11-xcb1
  fonts-wqy-microhei
  # smart cards: pyscard builds against libpcsclite-dev; pcscd + vpcd give a virtual reader for tests
  libpcsclite-dev libpcsclite1 pcscd pcsc-tools vsmartcard-vpcd
  # reading PDFs back, a real X server for screenshots
  # PostgreSQL server: the reference central API is tested on it as well as SQLite
  postgresql
  poppler-utils poppler-data xvfb xauth xdotool imagemagick x11-apps
  # build tools for wheels that compile
  gcc python3-dev python3-venv
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv with $($PY --version)"
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$WITH_TEST" = 1 ]; then
  .venv/bin/python -m pip install -q -e '.[test]'
else
  .venv/bin/python -m pip install -q -e .
fi
echo "== ready: $(.venv/bin/yichuang --version)"
