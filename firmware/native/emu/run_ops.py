"""Batch runner for the blob tests: reads {"blob": path, "loadAddress": n, "ops": [...]} as JSON
on stdin, runs every op on the emulated Cortex-M4 and prints {"results": [...]} (one per op).
One spawn runs thousands of cases. Bytes travel as hex. Ops (fields -> result):

  des_cbc   key, iv, data, decrypt, splits?, shift?, ramTables?  -> {out, cv}   splits: lengths of successive
            calls; shift: bytes the data sits past a word boundary
  mac       key, ramTables?, chunks (each a multiple of 8 bytes; padding is the caller's) -> {mac}
  hash      name (sha1|sha224|sha256|sha384|sha512), chunks -> {digest}
  crc16     init, data -> {crc}
  cobs_encode data -> {out}         cobs_decode data -> {length, out}
  dcs       data -> {dcs}
  wipe      data, offset, length -> {out}   (the whole buffer after the call)
  sm_unwrap kEnc, kMac, ssc, resp, shift?, ramTables?, guardShort? -> {r0, resp, ssc, violations}: an SM ctx
            (ABI.md) keyed by des_setkey, the response at `shift` past a word boundary; resp
            and ssc read back. With the request's "guard", violations lists every load or store
            outside the ctx, the response, the SP-table copy, the stack and the blob.
  call      entry, args -> {r0, bufs}       each arg an int, or a buffer {"hex": ..., "extra"?: n,
            "shift"?: 0-3}: written to fresh RAM (4-byte aligned + shift, `extra` zero bytes
            after), its address passed; bufs: every buffer read back after the call, in
            argument order (hex, data and extra bytes). Any entry of either blob.

The request's "blob" is native.bin or pace.bin (pace/ABI.md); aes and cmac (pace_ops.py) run
on pace.bin, the other named ops on native.bin.
"""
import json
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blob_emulator import BlobEmulator  # noqa: E402
from pace_ops import OPS as PACE_OPS  # noqa: E402  (aes, cmac: see pace_ops.py)

ENTRY = {'des_setkey': 0, 'des_cbc': 1, 'mac_update': 2, 'mac_final': 3,
         'sha512_init': 4, 'sha512_update': 5, 'sha512_final': 6, 'crc16': 7,
         'cobs_encode': 8, 'cobs_decode': 9, 'pn532_dcs': 10, 'wipe': 11,
         'sha256_init': 12, 'sha256_update': 13, 'sha256_final': 14,
         'sha1_init': 15, 'sha1_update': 16, 'sha1_final': 17, 'sm_unwrap': 18}
HASHES = {'sha1': (15, None, 104, 20), 'sha224': (12, 224, 112, 28), 'sha256': (12, 256, 112, 32),
          'sha384': (4, 384, 224, 48), 'sha512': (4, 512, 224, 64)}


def checked(result, what):
    r0, _ = result
    if r0 < 0:
        raise RuntimeError(f'{what} returned {r0}')
    return r0


def des_ctx(e, op, key):
    """A DES ctx keyed with `key`; with op['ramTables'], pointing at a RAM copy of the SP tables
    (ABI.md: word 396), the copy taken from the blob at the offset its header gives."""
    ctx, k = e.alloc(400), e.put(key)
    checked(e.call(ENTRY['des_setkey'], ctx, k, len(key)), 'des_setkey')
    if op.get('ramTables'):
        at = int.from_bytes(e.blob[12:16], 'little')  # ABI.md: header bytes 12-15
        table = e.put(e.blob[at:at + 2048])
        e.write(ctx + 396, table.to_bytes(4, 'little'))
    return ctx


def des_cbc(e, op):
    key, data = bytes.fromhex(op['key']), bytes.fromhex(op['data'])
    ctx = des_ctx(e, op, key)
    buf = e.alloc(len(data) + 3) + op.get('shift', 0)  # shift 1-3: data not word aligned
    e.write(buf, data)
    e.write(ctx + 384, bytes.fromhex(op['iv']))
    at = 0
    for n in op.get('splits') or [len(data)]:
        checked(e.call(ENTRY['des_cbc'], ctx, buf + at, n, 1 if op['decrypt'] else 0), 'des_cbc')
        at += n
    return {'out': e.read(buf, len(data)).hex(), 'cv': e.read(ctx + 384, 8).hex()}


def mac(e, op):
    ctx = des_ctx(e, op, bytes.fromhex(op['key']))
    out, mark = e.alloc(8), e.next_free
    for chunk in op['chunks']:
        data = bytes.fromhex(chunk)
        checked(e.call(ENTRY['mac_update'], ctx, e.put(data, align=1), len(data)), 'mac_update')
        e.next_free = mark
    checked(e.call(ENTRY['mac_final'], ctx, out), 'mac_final')
    return {'mac': e.read(out, 8).hex(), 'cvAfter': e.read(ctx + 384, 8).hex()}


def hash_op(e, op):
    init, bits, size, n = HASHES[op['name']]
    state = e.alloc(size)
    e.write(state, b'\xee' * size)  # init must not depend on what the caller's buffer held
    checked(e.call(init, state, bits or 0), 'init')
    out, mark = e.alloc(64), e.next_free
    for chunk in op['chunks']:
        data = bytes.fromhex(chunk)
        checked(e.call(init + 1, state, e.put(data, align=1), len(data)), 'update')
        e.next_free = mark  # each chunk's buffer is free again once hashed
    got = checked(e.call(init + 2, state, out), 'final')
    return {'digest': e.read(out, got).hex(), 'stateWiped': e.read(state, size) == bytes(size)}


def sm_unwrap(e, op):
    resp = bytes.fromhex(op['resp'])
    ctx = e.alloc(808)
    for at, key in ((0, op['kEnc']), (400, op['kMac'])):
        k = bytes.fromhex(key)
        checked(e.call(ENTRY['des_setkey'], ctx + at, e.put(k), len(k)), 'des_setkey')
    e.write(ctx + 800, bytes.fromhex(op['ssc']))
    allowed = [(ctx, ctx + 808)]
    if op.get('ramTables'):
        at = int.from_bytes(e.blob[12:16], 'little')
        table = e.put(e.blob[at:at + 2048])
        allowed.append((table, table + 2048))
        for k in (0, 400):
            e.write(ctx + k + 396, table.to_bytes(4, 'little'))
    buf = e.alloc(len(resp) + 3) + op.get('shift', 0)
    e.write(buf, resp)
    allowed.append((buf, buf + len(resp) - op.get('guardShort', 0)))  # guardShort: the guard's own test
    e.allowed, e.violations = allowed, []
    r0 = e.call(ENTRY['sm_unwrap'], ctx, buf, len(resp), 0)[0]
    violations, e.allowed, e.violations = e.violations, [], []
    return {'r0': r0, 'resp': e.read(buf, len(resp)).hex(), 'ssc': e.read(ctx + 800, 8).hex(),
            'violations': violations}


def raw_call(e, op):
    args, bufs = [], []
    for a in op['args']:
        if isinstance(a, dict):
            data = bytes.fromhex(a['hex'])
            n = len(data) + a.get('extra', 0)
            addr = e.alloc(n + 3) + a.get('shift', 0)
            e.write(addr, data)
            bufs.append((addr, n))
            args.append(addr)
        else:
            args.append(a)
    r0 = e.call(op['entry'], *args)[0]
    return {'r0': r0, 'bufs': [e.read(addr, n).hex() for addr, n in bufs]}


def run(e, op):
    kind = op['op']
    if kind in PACE_OPS:
        return PACE_OPS[kind](e, op)
    if kind == 'des_cbc':
        return des_cbc(e, op)
    if kind == 'mac':
        return mac(e, op)
    if kind == 'hash':
        return hash_op(e, op)
    data = bytes.fromhex(op.get('data', ''))
    if kind == 'crc16':
        return {'crc': e.call(ENTRY['crc16'], op['init'], e.put(data, align=1), len(data))[0]}
    if kind == 'cobs_encode':
        src, dst = e.put(data, align=1), e.alloc(len(data) + len(data) // 254 + 1, align=1)
        n = checked(e.call(ENTRY['cobs_encode'], src, len(data), dst), 'cobs_encode')
        return {'out': e.read(dst, n).hex()}
    if kind == 'cobs_decode':
        buf = e.put(data, align=1)
        n = e.call(ENTRY['cobs_decode'], buf, len(data))[0]
        return {'length': n, 'out': e.read(buf, max(n, 0)).hex()}
    if kind == 'dcs':
        return {'dcs': e.call(ENTRY['pn532_dcs'], e.put(data, align=1), len(data))[0]}
    if kind == 'wipe':
        buf = e.put(data)
        checked(e.call(ENTRY['wipe'], buf + op['offset'], op['length']), 'wipe')
        return {'out': e.read(buf, len(data)).hex()}
    if kind == 'call':
        return raw_call(e, op)
    if kind == 'sm_unwrap':
        return sm_unwrap(e, op)
    raise ValueError(f'unknown op {kind}')


def main():
    request = json.load(sys.stdin)
    e = BlobEmulator(open(request['blob'], 'rb').read(), request['loadAddress'], count=False,
                     guard=bool(request.get('guard')))
    results = []
    for op in request['ops']:
        e.reset_heap()
        results.append(run(e, op))
    json.dump({'results': results}, sys.stdout)


if __name__ == '__main__':
    main()
