// Choosing the PACEInfo of EF.CardAccess (9303-11 §9.2.1): the strongest ECDH-GM-AES on a curve we
// have, DO'84' when the OID is not unique, everything else skipped, hostile structure refused.
import { describe, expect, it } from 'vitest';
import { choosePace } from './card-access';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
/** PACEInfo with the OID's last two arcs (mapping, cipher), version and parameter id. */
const info = (mapping: number, cipher: number, id: number, version = 2): string =>
  '3012060a04007f00070202040' + mapping + '0' + cipher + '02010' + version + '0201' + id.toString(16).padStart(2, '0');
const set = (...infos: string[]): Uint8Array => {
  const body = infos.join('');
  return hex('31' + (body.length / 2).toString(16).padStart(2, '0') + body);
};
const both = (id: number): boolean => id === 12 || id === 13;

describe('choosePace', () => {
  it('reads the utopia-pace EF.CardAccess: ECDH-GM AES-128 on brainpoolP256r1', () => {
    const c = choosePace(hex('31143012060a04007f0007020204020202010202010d'), both)!;
    expect(Buffer.from(c.oid).toString('hex')).toBe('04007f00070202040202');
    expect([c.keyLength, c.parameterId, c.sendParameterId]).toEqual([16, 13, false]);
  });

  it('prefers the longest AES key, and sends DO84 when the chosen OID appears twice', () => {
    const c = choosePace(set(info(2, 2, 13), info(2, 4, 12), info(2, 4, 13)), both)!;
    expect([c.keyLength, c.parameterId, c.sendParameterId]).toEqual([32, 12, true]);
    expect(choosePace(set(info(2, 3, 13), info(2, 2, 12)), both)!.keyLength).toBe(24);
  });

  it('skips DH, Integrated Mapping, 3DES, other versions and curves we do not have', () => {
    expect(choosePace(set(info(1, 2, 13), info(4, 2, 13), info(2, 1, 13), info(2, 2, 13, 1), info(2, 2, 16)), both)).toBeNull();
    expect(choosePace(set(info(2, 2, 13)), (id) => id === 12)).toBeNull();
    expect(choosePace(hex('3000'), both)).toBeNull();
  });

  it('refuses a structure that runs past its end', () => {
    const good = set(info(2, 2, 13));
    expect(() => choosePace(good.subarray(0, good.length - 1), both)).toThrow(expect.objectContaining({ code: 'malformed-data' }));
    expect(() => choosePace(hex('3181'), both)).toThrow(expect.objectContaining({ code: 'malformed-data' }));
  });
});
