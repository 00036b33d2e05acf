// The flash tool's native-blob upload (tools/flash.ts nativeBlobUploadText) on the real Espruino
// interpreter: Storage file `native` holds the blob byte for byte (base64 through atob is
// binary-safe on 2v29), and on Linux the file has no address, so the firmware's loader would take
// the TypeScript path instead of calling Thumb code on x86.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NATIVE_BLOB, nativeBlobUploadText } from '../../tools/flash';
import { interpreterRuns } from './availability';
import { LINE_PREFIX, complaints, openSession } from './espruino-runner';

const runs = interpreterRuns('native blob upload on the real interpreter');

const CHECK = `var f = require('Storage').read('native');
for (var i = 0; i < f.length; i += 256) {
  var h = '';
  for (var k = i; k < i + 256 && k < f.length; k++) { var c = f.charCodeAt(k); h += (c < 16 ? '0' : '') + c.toString(16); }
  print('${LINE_PREFIX}' + h);
}
print('${LINE_PREFIX}address ' + E.getAddressOf(f, true) + ' ' + typeof E.nativeCall);
`;

describe.skipIf(!runs)('flash tool: native blob on the real interpreter', () => {
  it('Storage file native equals the blob; E.getAddressOf of it is 0 on Linux', () => {
    const blob = new Uint8Array(readFileSync(NATIVE_BLOB));
    const session = openSession();
    try {
      const r = session.run(nativeBlobUploadText(blob) + CHECK, 60_000);
      expect(complaints(r.output)).toEqual([]);
      const last = r.lines[r.lines.length - 1];
      expect(last).toBe('address 0 function');
      expect(r.lines.slice(0, -1).join('')).toBe(Buffer.from(blob).toString('hex'));
    } finally {
      session.close();
    }
  }, 90_000);
});
