#!/usr/bin/env bash
# Builds the native blob: firmware/native/blob/native.bin and native.json (or into the directory
# given as $1). Deterministic: no timestamps or paths reach the output; the same compiler gives
# the same bytes. Needs Debian's gcc-arm-none-eabi and /usr/bin/python3.
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
SOURCES=(des retail-mac sha512 sha256 sha1 md crc16 cobs pn532-checksum wipe)
# Per-file overrides of -Os where speed is worth the bytes (figures in README.md): -O2 rotates
# the per-byte loops to one taken branch a byte (+96 bytes).
declare -A EXTRA=([sha256]="-O2 -funroll-loops" [crc16]="-O2" [cobs]="-O2" [pn532-checksum]="-O2")

/usr/bin/python3 "$here/tools/gen-tables.py" "$work"
objects=("$work/entries.o")
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -c "$here/entries.S" -o "$work/entries.o"
for name in "${SOURCES[@]}"; do
  (cd "$work" && arm-none-eabi-gcc "${CFLAGS[@]}" ${EXTRA[$name]:-} -I"$work" -I"$here" -c "$here/$name.c" -o "$name.o")
  objects+=("$work/$name.o")
done
arm-none-eabi-ld -nostdlib --gc-sections -T "$here/blob.ld" -o "$work/native.elf" "${objects[@]}"
arm-none-eabi-objcopy -O binary -j .blob "$work/native.elf" "$out/native.bin"
arm-none-eabi-nm -S --defined-only "$work/native.elf" > "$work/native.nm"
cat "$work"/*.su > "$work/stack.su"
/usr/bin/python3 "$here/tools/describe.py" "$here/entries.S" "$out/native.bin" "$work/native.nm" \
  "$work/stack.su" "$(arm-none-eabi-gcc --version | head -1)" > "$out/native.json"
echo "native.bin: $(stat -c %s "$out/native.bin") bytes -> $out"
