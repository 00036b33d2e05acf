"""Emulator server for the runtime shim (hardware/shim/native-emulator.ts): keeps the blob
loaded on an emulated Cortex-M4 and answers E.nativeCall requests, one text line each way.

usage: /usr/bin/python3 serve.py BLOB [LOAD_ADDRESS]
  BLOB          path of native.bin or pace.bin (the exact bytes of Storage file native or pace)
  LOAD_ADDRESS  where the blob sits in flash, 4-byte aligned (default 0x08010000)

Protocol (stdin -> stdout, ASCII, one line per request and per reply, numbers in decimal or
0x-hex):

  request:  ENTRY A0 A1 A2 A3 [ADDRESS:HEX ...]
            ENTRY is the entry index (ABI.md), A0-A3 the four int arguments (unsigned 32-bit).
            Each ADDRESS:HEX region is written to emulator RAM before the call: ADDRESS in
            0x20000000 - 0x2003BF00 (below the 16 KB stack), HEX the bytes (may be empty).
  reply:    R0 INSTRUCTIONS [HEX ...]
            R0 the return value as a signed int, INSTRUCTIONS the Thumb instructions executed
            (counted per translated block, IT-skipped ones included), then every request region
            read back after the call, in request order, same lengths.
  error:    !MESSAGE            (bad request, fault in the blob; the server keeps running)

RAM persists between requests (regions are simply overwritten), so a caller may also keep
contexts in the emulator. The server exits at end of input. Nothing is logged: buffers hold key
material."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blob_emulator import BlobEmulator, RAM_BASE  # noqa: E402


def parse_int(s):
    return int(s, 0)


def handle(e, line):
    parts = line.split()
    if len(parts) < 5:
        raise ValueError('expected ENTRY A0 A1 A2 A3 [ADDRESS:HEX ...]')
    entry = parse_int(parts[0])
    if not 0 <= entry < e.entry_count:
        raise ValueError(f'entry {entry} is not in the blob (0-{e.entry_count - 1})')
    args = [parse_int(a) & 0xFFFFFFFF for a in parts[1:5]]
    regions = []
    for spec in parts[5:]:
        address, _, data = spec.partition(':')
        address, data = parse_int(address), bytes.fromhex(data)
        if address < RAM_BASE or address + len(data) > e.heap_end:
            raise ValueError(f'region 0x{address:x}+{len(data)} is outside RAM below the stack')
        regions.append((address, len(data)))
        e.write(address, data)
    r0, stats = e.call(entry, *args)
    return ' '.join([str(r0), str(stats['instructions'])] + [e.read(a, n).hex() for a, n in regions])


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    blob = open(sys.argv[1], 'rb').read()
    load = parse_int(sys.argv[2]) if len(sys.argv) > 2 else 0x08010000
    e = BlobEmulator(blob, load, count=True)  # native.bin or pace.bin: entry_count from its magic
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            reply = handle(e, line)
        except Exception as err:  # noqa: BLE001 - reported to the caller, the server lives on
            reply = '!' + ' '.join(str(err).split())
        out.write(reply + '\n')
        out.flush()


if __name__ == '__main__':
    main()
