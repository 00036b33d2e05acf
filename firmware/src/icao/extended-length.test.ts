// Extended-length READ BINARY under secure messaging, against the virtual passport (an
// independent chip-side implementation): blocks of EXTENDED_READ when the chip takes them, and a
// single refused try (bare 6700, the chip's SSC untouched) then short blocks when it does not.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import type { ApduCallback, ApduChannel } from './apdu-channel';
import { BacProtocol } from './bac';
import { readBinaryApdu, selectApplicationApdu } from './commands';
import { EXTENDED_READ, SM_MAX_READ, readFile, type FileSink } from './file-reader';
import { deriveKeySeed } from './mrz-key';
import { SecureMessagingChannel } from './secure-messaging';

const fixture = loadFixture('utopia-anna');

class Collect implements FileSink {
  data = new Uint8Array(0);
  begin(n: number): void {
    this.data = new Uint8Array(n);
  }
  chunk(d: Uint8Array, o: number): void {
    this.data.set(d, o);
  }
  end(): void {}
}

/** BAC with the passport; returns the SM channel and the log of (command, response) pairs. */
function session(options: PassportOptions): { sm: SecureMessagingChannel; log: { c: Uint8Array; r: Uint8Array }[] } {
  const passport = new VirtualPassport(fixture.files, fixture.bac, options);
  passport.reset();
  const log: { c: Uint8Array; r: Uint8Array }[] = [];
  const radio: ApduChannel = {
    transceive(apdu: Uint8Array, cb: ApduCallback) {
      const reply = passport.transceive(apdu)!;
      log.push({ c: apdu.slice(), r: reply.response });
      cb(null, reply.response);
    },
  };
  radio.transceive(selectApplicationApdu(), () => {});
  let sm: SecureMessagingChannel | null = null;
  new BacProtocol(radio, (n) => new Uint8Array(randomBytes(n))).authenticate(deriveKeySeed(fixture.bac), (err, s) => {
    expect(err).toBeNull();
    sm = s;
  });
  log.length = 0;
  return { sm: sm!, log };
}

function readSync(channel: ApduChannel, sfi: number): Uint8Array {
  const sink = new Collect();
  let error: unknown = 'not called';
  readFile(channel, sfi, sink, { maxFileLength: 100_000 }, (err) => {
    error = err;
  });
  expect(error).toBeNull();
  return sink.data;
}

const readBinaries = (log: { c: Uint8Array }[]): Uint8Array[] => log.filter((x) => x.c[1] === 0xb0).map((x) => x.c);

describe('extended-length READ BINARY under secure messaging', () => {
  it('wraps a case-2E command as an extended protected APDU with a two-byte DO97', () => {
    const { sm } = session({ extendedLength: true });
    const w = sm.wrap(readBinaryApdu(0x0010, 0x0800));
    expect(Buffer.from(w.subarray(0, 11)).toString('hex')).toBe('0cb00010' + '00000e' + '97020800');
    expect(w[11]).toBe(0x8e);
    expect(Buffer.from(w.subarray(w.length - 2)).toString('hex')).toBe('0000');
    expect(w.length).toBe(7 + 14 + 2);
  });

  it('a chip that takes extended length: DG2 in blocks of EXTENDED_READ, byte for byte', () => {
    const { sm, log } = session({ extendedLength: true });
    const dg2 = readSync(sm, 2);
    expect(dg2).toEqual(fixture.files[2]);
    const reads = readBinaries(log);
    const rest = fixture.files[2].length - SM_MAX_READ;
    expect(reads.length).toBe(1 + Math.ceil(rest / EXTENDED_READ));
    // The R-APDUs are longer than the PN532's 262 bytes: the MAC covered each whole one.
    expect(Math.max(...log.map((x) => x.r.length))).toBeGreaterThan(EXTENDED_READ);
    expect(sm.readBlock).toBe(EXTENDED_READ);
    expect(sm.isOpen()).toBe(true);
  });

  it('a chip without extended length: one refused try, then short blocks; the session goes on', () => {
    const { sm, log } = session({ extendedLength: false });
    const dg2 = readSync(sm, 2);
    expect(dg2).toEqual(fixture.files[2]);
    const refused = log.filter((x) => x.c[4] === 0 && x.c[1] === 0xb0);
    expect(refused).toHaveLength(1);
    expect(Buffer.from(refused[0].r).toString('hex')).toBe('6700');
    expect(sm.readBlock).toBe(-1);
    // The SSC stayed in step with the chip's: another file reads, without trying again.
    log.length = 0;
    expect(readSync(sm, 15)).toEqual(fixture.files[15]);
    expect(log.every((x) => !(x.c[4] === 0 && x.c.length > 7 && x.c[1] === 0xb0))).toBe(true);
    expect(sm.isOpen()).toBe(true);
  });

  it('extendedBlock 0 never sends extended length', () => {
    const { sm, log } = session({ extendedLength: true });
    const sink = new Collect();
    readFile(sm, 2, sink, { maxFileLength: 100_000, extendedBlock: 0 }, (err) => expect(err).toBeNull());
    expect(sink.data).toEqual(fixture.files[2]);
    expect(readBinaries(log).every((c) => c[4] !== 0)).toBe(true);
  });
});
