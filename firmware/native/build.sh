#!/usr/bin/env bash
# Builds the native blobs into firmware/native/blob/ (or into the directory given as $1):
#   native.bin + native.json  the core blob (ABI.md): DES, retail MAC, SHA, framing, wipe
#   pace.bin   + pace.json    the PACE / Chip Authentication blob (pace/ABI.md): AES, CMAC, curves
# Two blobs so that a board without PACE (the Pico's flash budget) stores only the first.
# Deterministic: no timestamps or paths reach the output; the same compiler gives the same bytes.
# Needs Debian's gcc-arm-none-eabi and /usr/bin/python3.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/blob}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# See ../shared native-notes: -fPIC with text-relative data gives PC-relative table addresses
# and no GOT; hidden visibility and no jump tables keep absolute addresses out.
CFLAGS=(-mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -fPIC -mpic-data-is-text-relative
  -ffreestanding -fno-builtin -nostdlib -fno-common -fvisibility=hidden -ffunction-sections
  -fdata-sections -fno-jump-tables -fno-exceptions -fno-asynchronous-unwind-tables
  -fno-unwind-tables -std=c11 -Wall -Wextra -Werror -fstack-usage)
# Per-file overrides of -Os where speed is worth the bytes (figures in README.md): sha256.c
# (-Os: 8 bytes less, 39,885 instead of 37,869 instructions a KB, over 0.6 ms/KB); -O2 rotates
# the per-byte loops to one taken branch a byte (+96 bytes); pace/aes.c inlines its round
# (1,037 instead of 1,680 instructions an AES-128 block, +772 bytes).
declare -A EXTRA=([ec-field]="-O2 -funroll-loops" [sha256]="-O2" [crc16]="-O2" [cobs]="-O2" [pn532-checksum]="-O2"
  [aes]="-O2")

/usr/bin/python3 "$here/tools/gen-tables.py" "$work"

# build_blob NAME ENTRIES.S SOURCE... (sources are paths under firmware/native without .c)
build_blob() {
  local name="$1" entries="$2"
  shift 2
  local dir="$work/$name"
  mkdir -p "$dir"
  local objects=("$dir/entries.o")
  arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -c "$here/$entries" -o "$dir/entries.o"
  for src in "$@"; do
    local base="${src##*/}"
    (cd "$dir" && arm-none-eabi-gcc "${CFLAGS[@]}" ${EXTRA[$base]:-} -I"$work" -I"$here" \
      -c "$here/$src.c" -o "$base.o")
    objects+=("$dir/$base.o")
  done
  arm-none-eabi-ld -nostdlib --gc-sections -T "$here/blob.ld" -o "$dir/$name.elf" "${objects[@]}"
  arm-none-eabi-objcopy -O binary -j .blob "$dir/$name.elf" "$out/$name.bin"
  arm-none-eabi-nm -S --defined-only "$dir/$name.elf" > "$dir/$name.nm"
  cat "$dir"/*.su > "$dir/stack.su"
  /usr/bin/python3 "$here/tools/describe.py" "$here/$entries" "$out/$name.bin" "$dir/$name.nm" \
    "$dir/stack.su" "$(arm-none-eabi-gcc --version | head -1)" > "$out/$name.json"
  echo "$name.bin: $(stat -c %s "$out/$name.bin") bytes -> $out"
}

build_blob native entries.S des retail-mac sm sha512 sha256 sha1 md crc16 cobs pn532-checksum wipe
# PACE blob: add its C files (pace/*.c) here as they land; pace/entries.S numbers the entries.
build_blob pace pace/entries.S pace/reserved pace/aes pace/cmac pace/ec-field pace/ec-point pace/ec-curves \
  pace/ec-entries
