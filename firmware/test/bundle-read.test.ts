// The bundled firmware in the Espruino shim, wired to the PN532 simulator over HSU, I2C and SPI,
// reading the virtual passport end to end through the protocol.
import { describe, expect, it } from 'vitest';
import { CAP, FILE, type Message } from '@epassport/protocol';
import { filesOf, rig } from './device-host';

const BOARDS = ['pico', 'pico-i2c', 'pico-spi', 'espruino-wifi'];

function finalOf(messages: Message[]): Message {
  return messages[messages.length - 1];
}

describe.each(BOARDS)('bundled firmware on board %s', (board) => {
  it('answers hello and reads EF.COM, EF.SOD, DG1, DG2, DG15 byte for byte with every hash matching', async () => {
    const r = await rig(board);
    const hello = r.host.hello();
    expect(hello.nfcFirmware).toBe(0x32010607);
    expect(hello.board).toBe(r.device.board.board);
    expect(hello.capabilities & CAP.BAC).toBeTruthy();

    const from = r.host.messages.length;
    r.host.startRead({ ...r.bac, dataGroups: [1, 2, 15] });
    r.host.waitFor((m) => m.type === 'file-begin' && m.fileId === 2, from);
    // InPSL took the link to 424 kbit/s both ways (the passport's ATS TA allows it).
    expect(r.device.pn532.chip.target!.link).toMatchObject({ txRate: 424, rxRate: 424 });
    r.host.waitFor((m) => m.type === 'result' || m.type === 'error', from);
    const messages = r.host.messages.slice(from);
    const last = finalOf(messages);
    expect(last).toMatchObject({ type: 'result', ok: true });
    const files = filesOf(messages);
    expect([...files.keys()]).toEqual([FILE.COM, FILE.SOD, 1, 2, 15]);
    for (const id of [FILE.COM, FILE.SOD, 1, 2, 15]) expect(files.get(id)).toEqual(r.fixture.files[id]);
    const ends = messages.filter((m) => m.type === 'file-end');
    expect(ends.map((m) => [m.fileId, m.verdict])).toEqual([
      [FILE.COM, 'not-checked'], [FILE.SOD, 'not-checked'], [1, 'match'], [2, 'match'], [15, 'match'],
    ]);
    if (last.type === 'result') {
      expect(last.files).toEqual([1, 2, 15, FILE.SOD, FILE.COM].sort((a, b) => a - b));
      expect(last.bytesRead).toBe([FILE.COM, FILE.SOD, 1, 2, 15].reduce((n, id) => n + r.fixture.files[id].length, 0));
    }
    // Progress came in the documented order.
    const phases = messages.filter((m) => m.type === 'progress').map((m) => m.type === 'progress' && m.phase);
    expect(phases.indexOf('waiting-for-card')).toBeLessThan(phases.indexOf('connecting'));
    expect(phases.indexOf('connecting')).toBeLessThan(phases.indexOf('authenticating'));
    expect(r.device.errors).toEqual([]);
    // The chip was released and put to sleep.
    expect(r.device.pn532.asleep).toBe(true);

    // And the next read works the same.
    const again = r.host.read({ ...r.bac, dataGroups: [1] });
    expect(finalOf(again)).toMatchObject({ type: 'result', ok: true, files: [1, FILE.SOD, FILE.COM] });
    r.device.stop();
  });
});
