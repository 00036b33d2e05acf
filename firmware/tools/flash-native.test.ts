// The flash tool's native-blob upload, run in the shim: Storage file `native` (and `pace`, the
// PACE blob of a board with PACE) ends up holding the committed blob byte for byte, and the
// firmware's loader accepts it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EspruinoRuntime } from '@epassport/hardware/shim/espruino-runtime';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { NATIVE_BLOB, nativeBlobUploadText, PACE_BLOB } from './flash';

describe('flash tool: native blob', () => {
  it('writes the blob to Storage file native in 512-byte base64 pieces, binary-safe', () => {
    const blob = new Uint8Array(readFileSync(NATIVE_BLOB));
    const text = nativeBlobUploadText(blob);
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBe(Math.ceil(blob.length / 512) + 1);
    expect(lines[0]).toMatch(new RegExp(`^require\\('Storage'\\)\\.write\\('native',atob\\('[A-Za-z0-9+/=]+'\\),0,${blob.length}\\);$`));
    const rt = new EspruinoRuntime({ clock: new VirtualClock() });
    for (const line of lines) rt.evaluate(line);
    const stored = rt.evaluate(`require('Storage').read('native')`) as string;
    expect(Buffer.from(stored, 'latin1').equals(Buffer.from(blob))).toBe(true);
    // Magic, ABI version, length: what firmware/src/native/blob.ts checks before any call.
    expect(stored.slice(0, 4)).toBe('EPN1');
    expect(rt.evaluate(`E.getAddressOf(require('Storage').read('native'), true) & 3`)).toBe(0);
    expect(rt.consoleLines).toEqual([`native ${blob.length}`]);
    expect(rt.nativeCalls.written).toContain('native');
    expect(rt.errors).toEqual([]);
  });

  it('writes the PACE blob to Storage file pace the same way; the firmware checks hold (magic EPP1, aligned)', () => {
    const blob = new Uint8Array(readFileSync(PACE_BLOB));
    const text = nativeBlobUploadText(blob, 'pace');
    expect(text.split('\n')[0]).toMatch(new RegExp(`^require\\('Storage'\\)\\.write\\('pace',atob\\('[A-Za-z0-9+/=]+'\\),0,${blob.length}\\);$`));
    const rt = new EspruinoRuntime({ clock: new VirtualClock() });
    for (const line of text.trimEnd().split('\n')) rt.evaluate(line);
    const stored = rt.evaluate(`require('Storage').read('pace')`) as string;
    expect(Buffer.from(stored, 'latin1').equals(Buffer.from(blob))).toBe(true);
    expect(stored.slice(0, 4)).toBe('EPP1'); // firmware/src/native/pace-blob.ts
    expect(rt.evaluate(`E.getAddressOf(require('Storage').read('pace'), true) & 3`)).toBe(0);
    expect(rt.consoleLines).toEqual([`pace ${blob.length}`]);
    expect(rt.nativeCalls.written).toContain('pace');
    expect(rt.errors).toEqual([]);
  });

  it('any damaged byte is seen: the uploaded file differs from the blob', () => {
    const blob = new Uint8Array(readFileSync(NATIVE_BLOB));
    const text = nativeBlobUploadText(blob).replace("atob('RVBO", "atob('RVBP"); // EPN1 -> EPO1
    const rt = new EspruinoRuntime({ clock: new VirtualClock() });
    for (const line of text.trimEnd().split('\n')) rt.evaluate(line);
    const stored = rt.evaluate(`require('Storage').read('native')`) as string;
    expect(Buffer.from(stored, 'latin1').equals(Buffer.from(blob))).toBe(false);
  });
});
