// The board's built-in require('crypto').SHA1 / .SHA256 on the real interpreter equal node:crypto,
// and the shim's stand-in (over node:crypto) gives the same lines for the same script.

import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { interpreterRuns } from './availability';
import { LINE_PREFIX, complaints, openSession, type EspruinoSession } from './espruino-runner';
import { runInShim } from './shim-run';

/** Inputs around the 64-byte block edges (55/56 bytes: the length no longer fits the last block). */
const LENGTHS = [0, 1, 3, 55, 56, 63, 64, 65, 119, 1000];
const byteAt = (length: number, i: number): number => (i * 31 + length * 7 + 1) & 0xff;

// Plain ES5, as any Espruino program: builds the same inputs, prints "<algo> <length> <hex>".
const SCRIPT = `
var c = require('crypto');
var lengths = ${JSON.stringify(LENGTHS)};
function hex(buf) { var u = new Uint8Array(buf), s = ''; for (var i = 0; i < u.length; i++) s += (u[i] < 16 ? '0' : '') + u[i].toString(16); return s; }
['SHA1', 'SHA256'].forEach(function (algo) {
  lengths.forEach(function (n) {
    var u = new Uint8Array(n);
    for (var i = 0; i < n; i++) u[i] = (i * 31 + n * 7 + 1) & 255;
    print('${LINE_PREFIX}' + algo + ' ' + n + ' ' + hex(c[algo](u)));
  });
  print('${LINE_PREFIX}' + algo + ' abc-string ' + hex(c[algo]('abc')));
});
`;

function expected(): string[] {
  const lines: string[] = [];
  for (const [algo, node] of [['SHA1', 'sha1'], ['SHA256', 'sha256']]) {
    for (const n of LENGTHS) {
      const u = new Uint8Array(n).map((_, i) => byteAt(n, i));
      lines.push(`${algo} ${n} ${createHash(node).update(u).digest('hex')}`);
    }
    lines.push(`${algo} abc-string ${createHash(node).update('abc').digest('hex')}`);
  }
  return lines;
}

describe.skipIf(!interpreterRuns('require("crypto") SHA1/SHA256 on the real interpreter'))('require("crypto") on the real Espruino interpreter', () => {
  let session: EspruinoSession;
  afterAll(() => session?.close());

  it('SHA1 and SHA256 of 11 inputs each equal node:crypto', () => {
    session = openSession();
    const r = session.run(SCRIPT);
    expect(complaints(r.output)).toEqual([]);
    expect(r.lines).toEqual(expected());
  });
});

describe('require("crypto") in the runtime shim', () => {
  it('prints the same lines as node:crypto (and so as the interpreter) for the same script', () => {
    expect(runInShim(SCRIPT)).toEqual(expected());
  });
});
