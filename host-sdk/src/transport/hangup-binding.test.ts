// A tty that hangs up while a read is under way: the read must fail (the port then closes as
// disconnected), not spin on end-of-file. The pty's master side (socat) going away hangs up its
// slave the way an unplugged USB CDC device does.

import { describe, expect, it } from 'vitest';
import { openPseudoTerminal } from '@epassport/hardware/sim/pty';
import { requireTool } from '../../../test/support/requires-tool';
import { hangUpAwareBinding } from './hangup-binding.js';

describe.skipIf(!requireTool('pty', 'serialport on a pty that hangs up'))('hangUpAwareBinding', () => {
  it('fails a read issued after the tty hung up (bindings-cpp alone reads 0 bytes forever)', async () => {
    const pty = await openPseudoTerminal();
    const port = await hangUpAwareBinding().open({ path: pty.path, baudRate: 115200 });
    try {
      await pty.close(); // hang-up: from now on read() returns 0 bytes, at once
      const read = port.read(Buffer.alloc(64), 0, 64).then(
        () => 'read resolved',
        (e: Error) => 'read failed: ' + e.message, // 'hung up (end of file)', or EIO on some ptys
      );
      const spun = new Promise<string>((r) => setTimeout(() => r('still reading after 2 s'), 2000));
      expect(await Promise.race([read, spun])).toMatch(/^read failed: /);
    } finally {
      await port.close(); // also ends the loop of an unfixed binding (it stops once the port is closed)
    }
  });

  it('still reads what arrives before the hang-up', async () => {
    const pty = await openPseudoTerminal();
    const port = await hangUpAwareBinding().open({ path: pty.path, baudRate: 115200 });
    try {
      pty.write(new Uint8Array([1, 2, 3]));
      const { bytesRead, buffer } = await port.read(Buffer.alloc(64), 0, 64);
      expect([...buffer.subarray(0, bytesRead)]).toEqual([1, 2, 3]);
    } finally {
      await port.close();
      await pty.close();
    }
  });
});
