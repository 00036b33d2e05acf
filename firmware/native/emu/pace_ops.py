"""run_ops.py ops for the PACE blob's AES and CMAC entries (pace/ABI.md 0-5). Bytes as hex.

  aes   key, data, mode ('ecb'|'cbc'), decrypt, iv? (cbc), splits? (cbc: lengths of successive
        calls, multiples of 16), shift? (0-3: data this far past a word boundary; ecb: the output
        one byte further), inPlace? (ecb) -> {out, iv} (iv: the ctx's chaining value after)
  cmac  key, chunks (any lengths), again? (a second message on the same ctx after final)
        -> {tag, again?, cleared} (cleared: X, the last block and its count all zero after final)
"""
AES_SETKEY, AES_ECB, AES_CBC, CMAC_INIT, CMAC_UPDATE, CMAC_FINAL = range(6)
AES_CTX, CMAC_CTX = 772, 824
IV_AT = 240          # aes ctx: chaining value
CMAC_LAST_AT = 804   # cmac ctx: last block, then its byte count


def checked(result, what):
    r0, _ = result
    if r0 < 0:
        raise RuntimeError(f'{what} returned {r0}')
    return r0


def aes(e, op):
    key, data = bytes.fromhex(op['key']), bytes.fromhex(op['data'])
    ctx = e.alloc(AES_CTX)
    e.write(ctx, b'\xee' * AES_CTX)  # setkey must not depend on what the buffer held
    checked(e.call(AES_SETKEY, ctx, e.put(key), len(key)), 'aes_setkey')
    shift = op.get('shift', 0)
    buf = e.alloc(len(data) + 4) + shift
    e.write(buf, data)
    decrypt = 1 if op['decrypt'] else 0
    if op['mode'] == 'ecb':
        out = buf if op.get('inPlace') else e.alloc(len(data) + 4) + ((shift + 1) & 3)
        for at in range(0, len(data), 16):
            checked(e.call(AES_ECB, ctx, buf + at, out + at, decrypt), 'aes_ecb')
        return {'out': e.read(out, len(data)).hex(), 'iv': e.read(ctx + IV_AT, 16).hex()}
    e.write(ctx + IV_AT, bytes.fromhex(op['iv']))
    at = 0
    for n in op.get('splits') or [len(data)]:
        checked(e.call(AES_CBC, ctx, buf + at, n, decrypt), 'aes_cbc')
        at += n
    return {'out': e.read(buf, len(data)).hex(), 'iv': e.read(ctx + IV_AT, 16).hex()}


def cmac(e, op):
    key = bytes.fromhex(op['key'])
    ctx, out = e.alloc(CMAC_CTX), e.alloc(16)
    e.write(ctx, b'\xee' * CMAC_CTX)
    checked(e.call(CMAC_INIT, ctx, e.put(key), len(key)), 'cmac_init')

    def message(chunks):
        mark = e.next_free
        for chunk in chunks:
            data = bytes.fromhex(chunk)
            checked(e.call(CMAC_UPDATE, ctx, e.put(data, align=1) if data else 0, len(data)), 'cmac_update')
            e.next_free = mark
        checked(e.call(CMAC_FINAL, ctx, out), 'cmac_final')
        return e.read(out, 16).hex()

    result = {'tag': message(op['chunks'])}
    state = e.read(ctx + IV_AT, 16) + e.read(ctx + CMAC_LAST_AT, 20)
    result['cleared'] = state == bytes(36)
    if 'again' in op:
        result['again'] = message(op['again'])
    return result


OPS = {'aes': aes, 'cmac': cmac}
