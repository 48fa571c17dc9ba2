#!/usr/bin/env bash
# The browser tests drive the system's Chromium (never a downloaded browser), with a CJK font so the
# Chinese page and its screenshots show characters, not empty boxes, and an emoji font for the
# reactions. Install what is missing when we can; otherwise say how.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Any font that covers Simplified Chinese will do; Debian's Noto CJK is the one we install.
[ -n "$(fc-list :lang=zh-cn family 2>/dev/null)" ] || missing+=(fonts-noto-cjk)
# Any font with a thumbs-up (U+1F44D) will do; Debian's Noto Color Emoji is the one we install.
[ -n "$(fc-list :charset=1f44d family 2>/dev/null)" ] || missing+=(fonts-noto-color-emoji)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${missing[*]} for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "The browser tests need ${missing[*]}: run 'sudo apt-get install -y ${missing[*]}'." >&2
exit 1
