#!/usr/bin/env bash
# Installs what the tests need and a fresh machine lacks: Debian's chromium, Node.js
# (for axe-core from the npm registry) and gettext (the translation check). Needs root or sudo once.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v npm >/dev/null 2>&1 || need+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
# tests/test_translations.py runs makemessages (xgettext) to find untranslated strings.
command -v xgettext >/dev/null 2>&1 || need+=(gettext)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing ${need[*]} for the browser tests"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
