#!/usr/bin/env bash
# Check, and where we can install, the Debian packages the app needs outside Python.
#
#   scripts/system-packages.sh pdf      libraries WeasyPrint loads (required: stops if missing)
#   scripts/system-packages.sh browser  Chromium for the browser tests (optional: warns if missing)
#
# As root with apt-get, missing packages are installed; otherwise the script prints
# the exact command to run.
set -euo pipefail

# WeasyPrint opens these shared libraries at import time (harfbuzz-subset is optional).
# Each entry: "<soname as ldconfig lists it> <Debian package that ships it>".
PDF_LIBRARIES=(
    "libgobject-2.0.so.0 libglib2.0-0"
    "libpango-1.0.so.0 libpango-1.0-0"
    "libpangoft2-1.0.so.0 libpangoft2-1.0-0"
    "libharfbuzz.so.0 libharfbuzz0b"
    "libfontconfig.so.1 libfontconfig1"
)
# Without any font the PDF has no glyphs to draw text with.
PDF_FONT_PACKAGE="fonts-dejavu-core"
CHROMIUM=/usr/bin/chromium

can_install() {
    [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null
}

apt_install() {
    echo "Installing Debian packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine may have no package lists yet; update once, quietly.
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@"
}

missing_pdf_packages() {
    local known
    known="$(ldconfig -p 2>/dev/null || true)"
    for entry in "${PDF_LIBRARIES[@]}"; do
        read -r soname package <<<"$entry"
        grep -qF "$soname" <<<"$known" || echo "$package"
    done
    if command -v fc-list >/dev/null && [[ -z "$(fc-list 2>/dev/null | head -n 1)" ]]; then
        echo "$PDF_FONT_PACKAGE"
    fi
}

check_pdf() {
    local missing
    mapfile -t missing < <(missing_pdf_packages)
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if can_install; then
        apt_install "${missing[@]}"
        return 0
    fi
    echo "WeasyPrint (PDF letters) needs system libraries that are not installed." >&2
    echo "Install them, then run make again:" >&2
    echo "    sudo apt-get install ${missing[*]}" >&2
    exit 1
}

check_browser() {
    [[ -x "$CHROMIUM" ]] && return 0
    if can_install && apt_install chromium; then
        return 0
    fi
    echo "Note: $CHROMIUM is missing, so the browser tests (tests/e2e) will be skipped." >&2
    echo "      To run them: sudo apt-get install chromium" >&2
}

case "${1:-}" in
    pdf) check_pdf ;;
    browser) check_browser ;;
    *)
        echo "usage: $0 pdf|browser" >&2
        exit 2
        ;;
esac
