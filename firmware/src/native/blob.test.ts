// callOver copies data that is not flat through the stage in pieces: each piece must end on a
// block of every cipher that streams through it (DES 8, AES 16 bytes), although the stage itself
// is 264 bytes (a whole short SM answer, native-sm.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { callOver, STAGE_SIZE, stageBuffer } from './blob';

const g = globalThis as { E?: unknown };

afterEach(() => {
  delete g.E;
});

describe('native stage', () => {
  it('streams non-flat data in pieces of whole AES and DES blocks, copied back in order', () => {
    const stage = stageBuffer();
    // Only the stage is flat here (a fragmented heap).
    g.E = { getAddressOf: (a: unknown) => (a === stage ? 0x20001000 : 0) };
    expect(STAGE_SIZE).toBe(264);
    const data = new Uint8Array(600).map((_, i) => i & 0xff);
    const pieces: number[] = [];
    callOver((_ctx, at, n) => {
      expect(at).toBe(0x20001000);
      pieces.push(n);
      for (let i = 0; i < n; i++) stage[i] ^= 0xff; // a stand-in cipher, in place
      return 0;
    }, 0, data, 0, data.length, 0, 1 /* COPY_BACK */ | 4 /* SECRET */);
    expect(pieces).toEqual([256, 256, 88]);
    for (const n of pieces.slice(0, -1)) expect(n % 16).toBe(0);
    expect(data.every((b, i) => b === ((i & 0xff) ^ 0xff))).toBe(true);
    expect(stage.every((b) => b === 0)).toBe(true); // SECRET: wiped after
  });
});
