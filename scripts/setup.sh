#!/usr/bin/env bash
# Quick start, step 1: install everything Annals needs and build every book (HTML and PDF into out/).
#   bash scripts/setup.sh            install + build all books
#   bash scripts/setup.sh --no-build install only
# System packages: Debian's chromium and chromium-headless-shell (the PDF printer), poppler-utils (the PDF checks in the tests) and
# ghostscript (the CMYK PDF/X press files of a release), fonts-noto-color-emoji (for the tests' font checks only),
# epubcheck (the EPUB validator the tests run; it brings a Java runtime),
# installed with apt-get when running as root on Debian/Ubuntu. Elsewhere, install Chromium or Chrome
# yourself, or let puppeteer download its own browser (done below when no system browser is found).
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
[ "${1:-}" = "--no-build" ] && build=0

have_browser() {
  [ -n "${ANNALS_BROWSER:-}" ] && [ -x "${ANNALS_BROWSER}" ] && return 0
  [ -n "${PUPPETEER_EXECUTABLE_PATH:-}" ] && [ -x "${PUPPETEER_EXECUTABLE_PATH}" ] && return 0
  for b in /usr/lib/chromium/chromium-headless-shell /usr/bin/chromium-headless-shell /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    [ -x "$b" ] && return 0
  done
  return 1
}

missing=()
have_browser || missing+=(chromium)
# Chromium's headless shell prints the PDF when it is there: the same engine without the browser's user
# interface, started in a third of the CPU time (pipeline/pdf/find-browser.ts). The same version as chromium.
# Wanted, not required: an apt source without it leaves the PDF to chromium.
shell=1
[ -x /usr/lib/chromium/chromium-headless-shell ] || [ -x /usr/bin/chromium-headless-shell ] || [ -n "${ANNALS_BROWSER:-}" ] || shell=0
# A colour emoji font, as most desktops have: not for the books (their fonts come from npm) but so that the
# tests' "no font of the machine" checks meet one (tests/glyph-coverage.test.ts). Wanted, not required.
emoji=1
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || emoji=0
command -v pdfinfo >/dev/null 2>&1 || missing+=(poppler-utils)
[ -f /usr/share/java/epubcheck.jar ] || command -v epubcheck >/dev/null 2>&1 || missing+=(epubcheck)
command -v gs >/dev/null 2>&1 || missing+=(ghostscript)   # the press files of --release / --press (PDF/X)
if [ ${#missing[@]} -gt 0 ] || [ "$shell" = "0" ] || [ "$emoji" = "0" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    if [ ${#missing[@]} -gt 0 ]; then
      echo "setup: installing ${missing[*]} with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if [ "$emoji" = "0" ]; then
      echo "setup: installing fonts-noto-color-emoji with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-color-emoji >/dev/null ||
        echo "setup: fonts-noto-color-emoji is not available here; the emoji test then checks less" >&2
    fi
    if [ "$shell" = "0" ]; then
      echo "setup: installing chromium-headless-shell with apt-get"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null ||
        echo "setup: chromium-headless-shell is not available here; the PDF is printed with chromium" >&2
    fi
  elif [ ${#missing[@]} -gt 0 ]; then
    echo "setup: missing ${missing[*]}; install them with your package manager (not root or no apt-get here)" >&2
  fi
fi

echo "setup: installing npm packages"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
# npm ci / npm install compile the command line into compiled/ (`prepare`); again here if scripts were off.
[ -f compiled/cli.js ] || node scripts/compile.js

if ! have_browser; then
  echo "setup: no system Chromium/Chrome; downloading puppeteer's browser"
  npx --no-install puppeteer browsers install chrome-headless-shell
fi

if [ "$build" = "1" ]; then
  echo "setup: building every book"
  node bin/annals.js build
fi
