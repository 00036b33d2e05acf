import { describe, expect, it } from 'vitest';
import { openSync, readSync, writeSync, closeSync, readlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '../../test/support/requires-tool';
import { canOpenPseudoTerminal, openPseudoTerminal, type PseudoTerminal } from './pty';

async function carriesEveryByte(pty: PseudoTerminal): Promise<void> {
  expect(pty.path).toMatch(/^\/dev\/pts\/\d+$/);
  const got: number[] = [];
  pty.onData((d) => got.push(...d));
  // A client that sets no termios of its own (plain open) still gets a raw line.
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
}

describe.skipIf(process.platform === 'win32')('pseudo-terminal without system tools (openpty from node-pty)', () => {
  it('is available on this platform', () => {
    // node-pty ships binaries for linux/darwin x64/arm64; anything else falls back to socat.
    expect(canOpenPseudoTerminal()).toBe(true);
  });

  it('carries every byte value both ways, raw', async () => {
    const pty = await openPseudoTerminal({ via: 'openpty' });
    expect(pty.via).toBe('openpty');
    await carriesEveryByte(pty);
  });

  it('survives a client closing the device and hangs the client up when it closes', async () => {
    const link = join(tmpdir(), `pty-link-${process.pid}`);
    const pty = await openPseudoTerminal({ via: 'openpty', link });
    expect(readlinkSync(link)).toBe(pty.path);
    const got: number[] = [];
    pty.onData((d) => got.push(...d));
    for (let i = 0; i < 2; i++) {
      const fd = openSync(link, 'r+');
      writeSync(fd, Uint8Array.of(i));
      closeSync(fd);
    }
    while (got.length < 2) await new Promise((r) => setTimeout(r, 10));
    expect(got).toEqual([0, 1]);
    const fd = openSync(pty.path, 'r+');
    await pty.close();
    expect(existsSync(link)).toBe(false);
    // The master is gone: a read returns end of file or EIO, never blocks.
    let ended = false;
    try {
      ended = readSync(fd, new Uint8Array(1), 0, 1, null) === 0;
    } catch (e) {
      ended = (e as NodeJS.ErrnoException).code === 'EIO';
    }
    expect(ended).toBe(true);
    closeSync(fd);
  });
});

describe.skipIf(!requireTool(['socat'], 'the pty fallback through socat'))('pseudo-terminal via socat (the fallback)', () => {
  it('carries every byte value both ways, raw', async () => {
    const pty = await openPseudoTerminal({ via: 'socat' });
    expect(pty.via).toBe('socat');
    await carriesEveryByte(pty);
  });
});
