import { describe, expect, it } from 'vitest';
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import { hasSocat, openPseudoTerminal } from './pty';

describe.skipIf(!hasSocat())('pseudo-terminal via socat', () => {
  it('carries every byte value both ways', async () => {
    const pty = await openPseudoTerminal();
    expect(pty.path).toMatch(/^\/dev\/pts\/\d+$/);
    const got: number[] = [];
    pty.onData((d) => got.push(...d));
    const fd = openSync(pty.path, 'r+');
    const all = new Uint8Array(256).map((_, i) => i);
    writeSync(fd, all);
    while (got.length < 256) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([...all]);
    pty.write(all);
    const back = new Uint8Array(256);
    let n = 0;
    while (n < 256) n += readSync(fd, back, n, 256 - n, null);
    expect([...back]).toEqual([...all]);
    closeSync(fd);
    await pty.close();
  });
});
