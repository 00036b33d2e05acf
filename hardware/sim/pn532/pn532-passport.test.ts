// The virtual passport behind the PN532 model: BAC and a secure-messaging file read through
// InDataExchange frames over HSU, on virtual time, with the benchmark's counters.

import { describe, expect, it } from 'vitest';
import { HsuTestHost, fromHex, hex } from './hsu-test-host';
import { VirtualPassport } from '../passport/virtual-passport';
import { ReferenceReader } from '../passport/reference-reader';

const MRZ = { documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' };
const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');

function dg2Like(n: number): Uint8Array {
  const f = Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
  f[0] = 0x75;
  f[1] = 0x82;
  f[2] = ((n - 4) >> 8) & 0xff;
  f[3] = (n - 4) & 0xff;
  return f;
}

describe('PN532 simulator with the virtual passport', () => {
  it('lists the passport, runs BAC and reads files through InDataExchange', () => {
    const dg2 = dg2Like(3000);
    const card = new VirtualPassport({ 0x1e: EF_COM, 0x02: dg2 }, MRZ);
    const host = new HsuTestHost({ card });
    host.open();
    const list = host.command([0x4a, 0x01, 0x00]);
    expect(hex(list.subarray(0, 4))).toBe('01 01 00 04');
    const id = card.identity;
    if (id.type !== 'A') throw new Error('type A expected');
    expect(hex(list.subarray(list.length - id.ats.length))).toBe(hex(id.ats));

    const reader = new ReferenceReader((apdu) => {
      const r = host.command([0x40, 0x01, ...apdu]);
      if (r[0] !== 0x00) throw new Error('PN532 status ' + r[0].toString(16));
      return r.subarray(1);
    });
    expect(reader.selectApplication().sw).toBe(0x9000);
    reader.bac(MRZ, fromHex('781723860C06C226'), fromHex('0B795240CB7049B01C19B33E32804F0B'));
    expect(hex(reader.readFile(0x011e))).toBe(hex(EF_COM));
    host.sim.resetStats();
    const t0 = host.clock.now();
    expect(hex(reader.readFile(0x0102))).toBe(hex(dg2));
    const s = host.sim.stats;
    const ms = host.clock.now() - t0;
    console.log(
      `3000-byte file under BAC SM at 115200 baud / 106 kbit/s: ${s.apdus} APDUs, ${ms.toFixed(0)} ms modelled ` +
        `(air ${s.airTimeMs.toFixed(0)} ms, card ${s.cardProcessingMs.toFixed(0)} ms), UART ${s.linkBytesToChip}/${s.linkBytesFromChip} B, ` +
        `air ${s.airBytesToCard}/${s.airBytesFromCard} B, I-blocks ${s.iBlocksToCard}/${s.iBlocksFromCard}, R-blocks ${s.rBlocks}`,
    );
    expect(s.apdus).toBeGreaterThan(3000 / 256);
    // Card answers are chained by the PN532's FSD of 64 bytes: several I-blocks per APDU.
    expect(s.iBlocksFromCard).toBeGreaterThan(s.apdus * 3);
    expect(s.rBlocks).toBe(s.iBlocksFromCard - s.apdus + (s.iBlocksToCard - s.apdus));
  });
});
