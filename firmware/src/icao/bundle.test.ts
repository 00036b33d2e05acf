// The bundled, minified, Espruino-lowered ICAO core computes the appendix D values in a bare
// context (no Node globals, no require, no Buffer): what the gate checks statically, run once.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { bundle } from '../../tools/bundler';
import { checkBundle } from '../../tools/espruino-gate';

const V = JSON.parse(readFileSync(join(__dirname, '../../test-data/icao9303-part11-appendix-d.json'), 'utf8'));

describe('the Espruino bundle of icao/index.ts', () => {
  it('passes the gate and reproduces appendix D in a bare context', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'icao-bundle-')), 'icao.js');
    const source = await bundle(join(__dirname, 'index.ts'), out, 'Icao');
    expect(checkBundle(source)).toEqual([]);
    const script = source + `
      ;(function () {
        function hex(s) { var a = new Uint8Array(s.length / 2); for (var i = 0; i < a.length; i++) a[i] = parseInt(s.substr(i * 2, 2), 16); return a; }
        function toHex(b) { var s = ''; for (var i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16); return s.toUpperCase(); }
        var seed = Icao.deriveKeySeed({ documentNumber: V.mrz.documentNumber, dateOfBirth: V.mrz.dateOfBirth, dateOfExpiry: V.mrz.dateOfExpiry, checkDigits: '316' });
        var sk = V.sessionKeys;
        var sm = new Icao.SecureMessagingChannel({ transceive: function () {} }, hex(sk.ksEnc), hex(sk.ksMac), hex(sk.ssc));
        var out = { seed: toHex(seed), kEnc: toHex(Icao.deriveKey(seed, 1)), wrapped: [], unwrapped: [] };
        for (var i = 0; i < V.secureMessaging.length; i++) {
          var ex = V.secureMessaging[i];
          out.wrapped.push(toHex(sm.wrap(hex(ex.plainCommand))));
          out.unwrapped.push(toHex(sm.unwrap(hex(ex.protectedResponse))));
        }
        var bad = null;
        try { Icao.deriveKeySeed({ documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623', checkDigits: '317' }); } catch (e) { bad = e.code; }
        out.bad = bad;
        return out;
      })()`;
    const result = runInNewContext(script, { V });
    expect(result.seed).toBe(V.keyDerivation.kSeed);
    expect(result.kEnc).toBe(V.keyDerivation.kEnc);
    expect(result.wrapped).toEqual(V.secureMessaging.map((e: { protectedCommand: string }) => e.protectedCommand));
    expect(result.unwrapped).toEqual(V.secureMessaging.map((e: { plainResponseData: string; sw: string }) => e.plainResponseData + e.sw));
    expect(result.bad).toBe('invalid-mrz');
  });
});
