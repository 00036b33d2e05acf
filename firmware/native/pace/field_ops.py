"""Runs the PACE blob's field functions (ec-field.c: fe_mul, fe_add, fe_sub, fe_half (b unused);
not entries, so
called at their symbol offsets from pace.json) for ec-field.test.ts: reads {"blob": path,
"json": pace.json path, "loadAddress": n, "cases": [{"fn", "curve": 12|13, "a": hex, "b": hex,
"alias": "none"|"a"|"ab"}]} on stdin (a, b: 32-byte big-endian field elements, passed as
little-endian limbs; alias "a" writes r over a, "ab" passes one buffer as r, a and b), prints
{"results": [{"r": hex (big-endian), "instructions", "stackBytes"}]}. The curve block is the
blob's own (CURVES: 12 first, then 13). Run with /usr/bin/python3."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'emu'))
from blob_emulator import BlobEmulator, PAINT, STACK_SIZE, STOP  # noqa: E402
from unicorn.arm_const import (UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,  # noqa: E402
                               UC_ARM_REG_SP, UC_ARM_REG_LR)

CURVE_BYTES = 264  # sizeof(ec_curve), ec.h
CURVE_INDEX = {12: 0, 13: 1}  # order in ec-curves.c


def call_at(e, offset, args):
    """Calls the function at blob offset `offset` with r0-r3 = args (AAPCS); returns the
    instructions executed and the deepest stack use."""
    uc = e.uc
    uc.mem_write(e.stack_top - STACK_SIZE, PAINT * STACK_SIZE)
    for reg, v in zip((UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3), args):
        uc.reg_write(reg, v)
    uc.reg_write(UC_ARM_REG_SP, e.stack_top)
    uc.reg_write(UC_ARM_REG_LR, STOP | 1)
    e._count = e._jumps = e._next = 0
    uc.emu_start((e.base + offset) | 1, STOP)
    if uc.reg_read(UC_ARM_REG_SP) != e.stack_top:
        raise RuntimeError('unbalanced stack')
    painted = e.read(e.stack_top - STACK_SIZE, STACK_SIZE)
    return e._count, STACK_SIZE - (len(painted) - len(painted.lstrip(PAINT)))


def main():
    req = json.load(sys.stdin)
    blob = open(req['blob'], 'rb').read()
    symbols = json.load(open(req['json']))['functions']
    e = BlobEmulator(blob, load_address=req['loadAddress'])
    results = []
    for case in req['cases']:
        e.reset_heap()
        limbs = lambda h: bytes.fromhex(h)[::-1]  # noqa: E731  big-endian hex -> little-endian limbs
        curve = e.base + symbols['CURVES']['offset'] + CURVE_BYTES * CURVE_INDEX[case['curve']]
        a = e.put(limbs(case['a']))
        if case.get('alias') == 'ab':
            r = b = a
        else:
            b = e.put(limbs(case['b']))
            r = a if case.get('alias') == 'a' else e.alloc(32)
        args = (r, a, curve, 0) if case['fn'] == 'fe_half' else (r, a, b, curve)  # fe_half(r, a, c)
        instructions, stack = call_at(e, symbols[case['fn']]['offset'], args)
        results.append({'r': e.read(r, 32)[::-1].hex(), 'instructions': instructions, 'stackBytes': stack})
    print(json.dumps({'results': results}))


main()
