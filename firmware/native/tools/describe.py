#!/usr/bin/python3
"""Prints native.json for a built blob: entries (name, index, offset), size, sha256, the symbol
map and each function's own stack frame from gcc -fstack-usage (stackFrames: by file:function).

usage: describe.py entries.S native.bin native.nm stack.su compiler-version"""
import hashlib
import json
import os
import re
import sys

entries_s, bin_path, nm_path, su_path, compiler = sys.argv[1:6]
names = re.findall(r'^\s*b\.w\s+(\w+)', open(entries_s).read(), re.M)
blob = open(bin_path, 'rb').read()
symbols = {}
for line in open(nm_path):
    parts = line.split()
    if len(parts) == 4 and parts[2] in 'tTrR':
        name = parts[3]
        while name in symbols:  # static functions of the same name in several files
            name += "'"
        symbols[name] = {'offset': int(parts[0], 16), 'size': int(parts[1], 16)}
stack, frames, seen = {}, {}, {}
for line in open(su_path):
    # "file.c:12:5:name<TAB>bytes<TAB>static|dynamic"
    where, size, kind = line.rstrip('\n').split('\t')
    name = where.rsplit(':', 1)[-1]
    frames[os.path.basename(where.split(':', 1)[0]) + ':' + name] = int(size)  # no paths: deterministic
    seen[name] = seen.get(name, 0) + 1
    stack[name] = {'bytes': int(size), 'kind': kind}
for name, n in seen.items():
    if n > 1:  # a static name in several files: its frame is ambiguous by name; see stackFrames
        del stack[name]
print(json.dumps({
    'abiVersion': int.from_bytes(blob[4:8], 'little'),
    'size': len(blob),
    'sha256': hashlib.sha256(blob).hexdigest(),
    'compiler': compiler,
    'signature': 'int(int,int,int,int)',
    'entries': [{'index': i, 'name': n, 'offset': 16 + 4 * i, 'call': (16 + 4 * i) | 1,
                 'target': symbols.get(n, {}).get('offset'),
                 'ownStackBytes': stack.get(n, {}).get('bytes')} for i, n in enumerate(names)],
    'functions': {n: dict(symbols[n], stackBytes=stack.get(n, {}).get('bytes'))
                  for n in sorted(symbols, key=lambda s: symbols[s]['offset'])},
    'stackFrames': dict(sorted(frames.items())),
}, indent=2))
