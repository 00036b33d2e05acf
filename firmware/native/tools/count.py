#!/usr/bin/python3
"""Counts what each primitive of the native blob costs on a Cortex-M4, under the emulator, and
writes blob/native-counts.json for the bench: instructions, loads from the blob's own bytes
(flash data reads), all data reads, taken branches and deepest stack use, per KB and per call,
and microseconds at 84 MHz as a low-high range from the model below (cycles from those counts,
Cortex-M4 TRM timings, STM32F401 flash wait states). Deterministic: fixed pseudo-random inputs.

usage: count.py [output.json]   (default: blob/native-counts.json next to this tool)"""
import hashlib
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'emu'))
from blob_emulator import BlobEmulator  # noqa: E402

BLOB_DIR = os.path.join(HERE, '..', 'blob')
KB = 1024
MODEL = {
    'clockHz': 84_000_000,
    'board': 'Espruino Pico: STM32F401CD, Cortex-M4 at 84 MHz; the blob runs in place from flash',
    'flashWaitStates': 2,
    'cyclesLow': 'instructions + takenBranches: one cycle per instruction, one for every taken '
                 'branch (its pipeline refill is at least 1), every load pipelined, every flash '
                 'read an ART cache hit',
    'cyclesHigh': 'instructions + dataReads + 3 x takenBranches + 2 x flashDataReads: a second '
                  'cycle for every word loaded (LDR 2 cycles, LDRD/LDM/POP 1 + words), the '
                  'longest pipeline refill after every taken branch, and both wait states for '
                  'every data read from the blob (tables, literal pools) missing the ART data cache',
    'sources': [
        'ARM Cortex-M4 Processor Technical Reference Manual (ARM DDI 0439), 3.3.1 "Cortex-M4 '
        'instruction set summary", Table 3-1: data processing 1 cycle; LDR 2 (neighbouring '
        'loads and stores pipeline to 1); LDRD 3; LDM/POP 1 + N; taken branch 1 + P, P = 1 to 3 '
        'pipeline refill',
        'ST RM0368 (STM32F401xB/C/D/E reference manual), chapter 3 "Embedded flash memory '
        'interface": 2 wait states for 60 < HCLK <= 84 MHz at 2.7-3.6 V; the ART accelerator '
        'prefetches on I-Code and caches 64 lines of 128 bits of instructions but only 8 lines '
        'of 128 bits of data, so the 2 KB DES tables mostly miss',
    ],
    'notMeasured': 'No board has run these figures: they are counts of the exact blob bytes under '
                   'Unicorn, scaled by the model above. Instruction fetch is taken as hidden by '
                   'the ART prefetch and I-cache (hot loops under 1 KB; the 2 KB unrolled SHA-256 '
                   'runs straight through). E.nativeCall\'s own cost in the interpreter is not '
                   'included, nor UDIV\'s 2-12 cycles (in the key schedule only).',
}


def us(s):
    """Microseconds (low, high) of a call or per-KB figure with the counts of `s`."""
    clock = MODEL['clockHz'] / 1e6
    low = s['instructions'] + s['takenBranches']
    high = (s['instructions'] + s['dataReads'] + 3 * s['takenBranches']
            + MODEL['flashWaitStates'] * s['flashDataReads'])
    return {'low': round(low / clock, 1), 'high': round(high / clock, 1)}


KEYS = ('instructions', 'takenBranches', 'dataReads', 'flashDataReads')


def figure(stats):
    s = {k: stats[k] for k in KEYS}
    return dict(s, us=us(s))


def pace_figures(p, call, data, perKB, perCall):
    """Figures of the PACE blob's primitives (emulator `p`, pace/ABI.md): AES-128, CMAC, the
    curves; then PACE-GM and Chip Authentication as the device runs them (pace.ts, chip-auth.ts:
    PACE k*G, H = k*P, s*G, G' = s*G + H, k*G', K = k*P; CA k*G, K = k*P)."""
    rnd = random.Random(18)
    p.reset_heap()
    ctx, cmac = p.alloc(772), p.alloc(824)
    key = p.put(bytes(rnd.randrange(256) for _ in range(16)))
    buf = p.put(data)
    out = p.alloc(16)
    perCall['aes128_setkey'] = figure(call('aes_setkey', 0, ctx, key, 16, on=p))
    perCall['aes128_block'] = figure(call('aes_ecb', 1, ctx, buf, out, 0, on=p))
    for flags, way in ((0, 'encrypt'), (1, 'decrypt')):
        perKB[f'aes128_cbc_{way}'] = figure(call('aes_cbc', 2, ctx, buf, KB, flags, on=p))
    perCall['cmac_init'] = figure(call('cmac_init', 3, cmac, key, 16, on=p))
    perKB['cmac_update'] = figure(call('cmac_update', 4, cmac, buf, KB, on=p))
    perCall['cmac_final'] = figure(call('cmac_final', 5, cmac, out, on=p))
    for curve, name in ((13, 'brainpoolP256r1'), (12, 'P256')):
        ec = p.alloc(1764)
        p.write(ec, curve.to_bytes(4, 'little'))
        k = p.put(bytes(rnd.randrange(256) for _ in range(32)))
        pt, q, r = p.alloc(65), p.alloc(65), p.alloc(65)
        base = call('ec_mul', 10, ec, k, 0, pt, on=p)
        mul = call('ec_mul', 10, ec, k, pt, q, on=p)
        add = call('ec_add', 11, ec, pt, q, r, on=p)
        perCall[f'ec_mul_base_{name}'] = figure(base)
        perCall[f'ec_mul_{name}'] = figure(mul)
        perCall[f'ec_add_{name}'] = figure(add)
        total = lambda parts: figure({x: sum(st[x] for st in parts) for x in KEYS})  # noqa: E731
        perCall[f'pace_gm_curves_{name}'] = total([base, mul, base, add, mul, mul])
        perCall[f'chip_auth_curves_{name}'] = total([base, mul])


def sm_figure(e, call, fresh, rnd, blob, plain_len, ram, perCall):
    """perCall['sm_unwrap_<n>[_ram_tables]']: sm_unwrap of a valid protected answer of n bytes."""
    sm = fresh(808)
    for at in (0, 400):
        key = e.put(bytes(rnd.randrange(256) for _ in range(16)))
        e.call(0, sm + at, key, 16)
    if ram:
        at = int.from_bytes(blob[12:16], 'little')
        table = e.put(blob[at:at + 2048])
        for k in (0, 400):
            e.write(sm + k + 396, table.to_bytes(4, 'little'))
    padded = plain_len // 8 * 8 + 8
    body = bytes(rnd.randrange(256) for _ in range(plain_len)) + b'\x80' + bytes(padded - plain_len - 1)
    v = padded + 1
    head = b'\x87' + (bytes([v]) if v < 0x80 else b'\x81' + bytes([v]) if v < 0x100 else b'\x82' + v.to_bytes(2, 'big'))
    resp = e.alloc(len(head) + v + 4 + 10 + 2)
    e.write(resp, head + b'\x01' + body)
    e.call(1, sm, resp + len(head) + 1, padded, 0)  # encrypt with KSenc, IV 0
    e.write(sm + 384, bytes(8))
    e.write(resp + len(head) + v, b'\x99\x02\x90\x00')
    dos = len(head) + v + 4
    mac_in = e.alloc(8 + dos + 8)
    e.write(mac_in, bytes(7) + b'\x01' + e.read(resp, dos) + b'\x80' + bytes((7 - dos) % 8))
    e.call(2, sm + 400, mac_in, (8 + dos + 8) // 8 * 8)  # SSC 0...01 || DOs || padding
    e.call(3, sm + 400, resp + dos + 2)
    e.write(resp + dos, b'\x8e\x08')
    e.write(resp + dos + 10, b'\x90\x00')
    st = call('sm_unwrap', 18, sm, resp, dos + 12)
    perCall[f'sm_unwrap_{plain_len}' + ('_ram_tables' if ram else '')] = figure(st)


def main(out_path):
    blob = open(os.path.join(BLOB_DIR, 'native.bin'), 'rb').read()
    pace_blob = open(os.path.join(BLOB_DIR, 'pace.bin'), 'rb').read()
    e = BlobEmulator(blob, flash_reads=True)
    pace = BlobEmulator(pace_blob, flash_reads=True)  # pace/ABI.md: AES, CMAC, curves
    rnd = random.Random(13)
    data = bytes(rnd.randrange(256) for _ in range(KB))
    stack = {}
    perKB, perCall = {}, {}

    def call(name, index, *args, on=None):
        """Entry `index` of the core blob (or of the blob emulated by `on`), figures kept."""
        r0, st = (on or e).call(index, *args, measure_stack=True)
        if r0 < 0:
            raise RuntimeError(f'{name}: entry {index} returned {r0}')
        stack[name] = max(stack.get(name, 0), st['stackBytes'])
        return st

    def fresh(n):
        e.reset_heap()
        return e.alloc(n)

    # DES / 3DES: the key schedule per key, CBC per KB both ways, SP tables in flash or RAM.
    for keylen, label in ((8, 'des'), (16, '3des')):
        ctx = fresh(400)
        key = e.put(bytes(rnd.randrange(256) for _ in range(keylen)))
        perCall[f'{label}_setkey'] = figure(call('des_setkey', 0, ctx, key, keylen))
        buf = e.put(data)
        for ram in (False, True):
            if ram:
                at = int.from_bytes(blob[12:16], 'little')  # ABI.md: header bytes 12-15
                table = e.put(blob[at:at + 2048])
                e.write(ctx + 396, table.to_bytes(4, 'little'))
            suffix = '_ram_tables' if ram else ''
            for flags, way in ((0, 'encrypt'), (1, 'decrypt')):
                perKB[f'{label}_cbc_{way}{suffix}'] = figure(call('des_cbc', 1, ctx, buf, KB, flags))
            one = call('des_cbc', 1, ctx, buf, 8, 0)
            perCall[f'{label}_cbc_one_block{suffix}'] = figure(one)
            perCall[f'{label}_cbc_one_block_decrypt{suffix}'] = figure(call('des_cbc', 1, ctx, buf, 8, 1))
            if label == '3des':
                perKB[f'retail_mac_update{suffix}'] = figure(call('mac_update', 2, ctx, buf, KB))
                perCall[f'retail_mac_final{suffix}'] = figure(call('mac_final', 3, ctx, e.alloc(8)))
    # Secure-messaging unwrap (entry 18): a whole READ BINARY answer of 239 and of 2,048 plain
    # bytes (DO'87', DO'99', DO'8E'), made valid with the blob's own 3DES and MAC entries.
    for plain_len in (239, 2048):
        for ram in (False, True):
            sm_figure(e, call, fresh, rnd, blob, plain_len, ram, perCall)
    # Hashes: per KB of update, and init + final of an empty message (padding, one block).
    for name, (init, bits, size) in {'sha1': (15, 0, 104), 'sha256': (12, 256, 112), 'sha512': (4, 512, 224)}.items():
        state = fresh(size)
        buf = e.put(data)
        out = e.alloc(64)
        call(f'{name}_init', init, state, bits)
        perKB[f'{name}_update'] = figure(call(f'{name}_update', init + 1, state, buf, KB))
        call(f'{name}_final', init + 2, state, out)
        a = call(f'{name}_init', init, state, bits)
        b = call(f'{name}_final', init + 2, state, out)
        perCall[f'{name}_init_final'] = figure({k: a[k] + b[k] for k in KEYS})
    # The byte-by-byte work of the links.
    buf = fresh(KB)
    e.write(buf, data)
    perKB['crc16'] = figure(call('crc16', 7, 0xFFFF, buf, KB))
    perKB['pn532_dcs'] = figure(call('pn532_dcs', 10, buf, KB))
    dst = e.alloc(KB + KB // 254 + 1)
    st = call('cobs_encode', 8, buf, KB, dst)
    perKB['cobs_encode'] = figure(st)
    n = e.call(8, buf, KB, dst)[0]
    perKB['cobs_decode'] = figure(call('cobs_decode', 9, dst, n))
    perKB['wipe'] = figure(call('wipe', 11, buf, KB))
    perCall['empty_call'] = figure(call('pn532_dcs', 10, buf, 0))

    # PACE blob (pace.bin): each primitive adds its figures here, calling with on=pace.
    pace_figures(pace, call, data, perKB, perCall)

    counts = {
        'what': 'Cost of the native blob per primitive on an 84 MHz Cortex-M4 (npm run native:count)',
        'blobSha256': hashlib.sha256(blob).hexdigest(),
        'blobBytes': len(blob),
        'paceBlobSha256': hashlib.sha256(pace_blob).hexdigest(),
        'paceBlobBytes': len(pace_blob),
        'model': MODEL,
        'perKB': perKB,
        'perCall': perCall,
        'stackBytes': dict(sorted(stack.items())),
    }
    with open(out_path, 'w') as f:
        json.dump(counts, f, indent=2)
        f.write('\n')
    for k, v in perKB.items():
        print(f"{k:28} {v['instructions']:>8} instr/KB  {v['us']['low']:>7}-{v['us']['high']:<7} us/KB  flash reads {v['flashDataReads']}")
    for k, v in perCall.items():
        print(f"{k:28} {v['instructions']:>8} instr/call {v['us']['low']:>7}-{v['us']['high']:<7} us")
    print('stack', counts['stackBytes'])


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(BLOB_DIR, 'native-counts.json'))
