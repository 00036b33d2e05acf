"""Runs the PACE blob's elliptic-curve entries (pace/ABI.md, 10-12) for the tests: reads
{"blob": path, "loadAddress": n, "cases": [{"curve": id, "entry": 10|11|12, "a": hex|null,
"b": hex|null}]} on stdin (a, b: the entry's 2nd and 3rd arguments; null passes 0, e.g. the
generator for ec_mul), prints {"results": [{"r0", "out" (65 bytes hex), "instructions",
"ctxWiped"}]}. Run with /usr/bin/python3."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blob_emulator import BlobEmulator  # noqa: E402

CTX_BYTES = 1764  # pace/ABI.md: EC ctx

req = json.load(sys.stdin)
e = BlobEmulator(open(req['blob'], 'rb').read(), load_address=req['loadAddress'])
results = []
for case in req['cases']:
    e.reset_heap()
    ctx, out = e.alloc(CTX_BYTES), e.alloc(65)
    e.write(ctx, case['curve'].to_bytes(4, 'little'))
    args = [e.put(bytes.fromhex(case[k]), align=1) if case.get(k) is not None else 0 for k in ('a', 'b')]
    r0, st = e.call(case['entry'], ctx, args[0], args[1], out)
    results.append({'r0': r0, 'out': e.read(out, 65).hex(), 'instructions': st['instructions'],
                    'ctxWiped': e.read(ctx + 4, CTX_BYTES - 4) == bytes(CTX_BYTES - 4)})
print(json.dumps({'results': results}))
