#!/usr/bin/env bash
# Rebuilds the blob from the C into a temporary directory and fails if a byte differs from the
# committed blobs in firmware/native/blob/ (native.bin, pace.bin and their .json descriptions).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/build.sh" "$tmp" >/dev/null
status=0
for f in native.bin native.json pace.bin pace.json; do
  if ! cmp -s "$tmp/$f" "$here/blob/$f"; then
    echo "native:check: blob/$f differs from a fresh build of the C: run npm run native:build and commit" >&2
    status=1
  fi
done
[ "$status" = 0 ] && echo "native:check: blob/native.bin, pace.bin and their .json match a fresh build"
exit "$status"
