// Opening the chip against the virtual passport (an independent chip-side PACE, CA and SM):
// PACE on the PACE-only sample, BAC on a BAC chip, BAC after a refused PACE, a wrong MRZ; then
// Chip Authentication on DG14: ok, refused (old session goes on), a clone (new keys fail).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadFixture, type Fixture } from '@epassport/hardware/fixtures/index';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import { nodePaceCrypto } from '../../test/support/node-pace-crypto';
import type { ApduCallback, ApduChannel } from '../icao/apdu-channel';
import { readFile, type FileSink } from '../icao/file-reader';
import { deriveKeySeed, type MrzKeyInput } from '../icao/mrz-key';
import type { IcaoError } from '../icao/errors';
import { chipAuthenticate, findChipAuthKey } from '../pace/chip-auth';
import { PaceAccess } from './access-control';
import type { SmSession } from './chip-access';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

function radio(f: Fixture, options: PassportOptions): ApduChannel & { sent: number[] } {
  const passport = new VirtualPassport(f.files, f.bac, { chipAuthKey: f.chipAuthPrivateKey, bacRefusedSw: f.paceOnly ? 0x6d00 : undefined, ...options });
  passport.reset();
  const sent: number[] = [];
  return {
    sent,
    transceive(apdu: Uint8Array, cb: ApduCallback) {
      sent.push(apdu[1]);
      cb(null, passport.transceive(apdu)!.response);
    },
  };
}

function open(f: Fixture, options: PassportOptions = {}, mrz: MrzKeyInput = f.bac) {
  const plain = radio(f, options);
  const access = new PaceAccess(plain, nodePaceCrypto(), deriveKeySeed(mrz), random, mrz);
  let out: { err: IcaoError | null; sm: SmSession | null } | null = null;
  access.open((err, sm) => { out = { err, sm }; });
  return { plain, access, ...out! };
}

function read(channel: ApduChannel, sfi: number): Uint8Array {
  let data = new Uint8Array(0);
  let error: unknown = 'not called';
  const sink: FileSink = { begin: (n) => { data = new Uint8Array(n); }, chunk: (d, o) => data.set(d, o), end: () => {} } as FileSink;
  readFile(channel, sfi, sink, { maxFileLength: 100_000 }, (err) => { error = err; });
  expect(error).toBeNull();
  return data;
}

const pace = loadFixture('utopia-pace');
const anna = loadFixture('utopia-anna');

describe('PaceAccess', () => {
  it('opens the PACE-only sample with PACE (no GET CHALLENGE sent) and reads DG1 under AES SM', () => {
    const { err, sm, access, plain } = open(pace);
    expect(err).toBeNull();
    expect(access.pace).toBe(true);
    expect(plain.sent).not.toContain(0x84);
    expect(read(sm!, 1)).toEqual(pace.files[1]);
  });

  it('opens a BAC chip (no EF.CardAccess) with BAC', () => {
    const { err, sm, access } = open(anna);
    expect(err).toBeNull();
    expect(access.pace).toBe(false);
    expect(read(sm!, 1)).toEqual(anna.files[1]);
  });

  it('falls back to BAC when the chip refuses PACE at MSE:Set AT, and not after a refused password', () => {
    const both = { ...pace, paceOnly: false };
    const r = open(both, { paceFault: 'refuse-mapping' });
    expect(r.err).toBeNull();
    expect(r.access.pace).toBe(false);
    expect(read(r.sm!, 1)).toEqual(pace.files[1]);
    const wrong = open(both, {}, { ...pace.bac, dateOfBirth: '850510' });
    expect(wrong.err!.code).toBe('access-denied');
    expect(wrong.plain.sent).not.toContain(0x84);
  });

  it('reopens with PACE after the session ended (same PACEInfo, EF.CardAccess not read again)', () => {
    const { sm, access, plain } = open(pace);
    sm!.wipe();
    const before = plain.sent.filter((i) => i === 0xb0).length;
    let again: SmSession | null = null;
    access.reopen((err, s) => { expect(err).toBeNull(); again = s; });
    expect(plain.sent.filter((i) => i === 0xb0).length).toBe(before);
    expect(read(again!, 1)).toEqual(pace.files[1]);
  });
});

describe('Chip Authentication after PACE', () => {
  const key = findChipAuthKey(pace.files[14], (id) => id === 12 || id === 13)!;

  it('finds the AES-128 brainpoolP256r1 key of DG14', () => {
    expect(Buffer.from(key.oid).toString('hex')).toBe('04007f00070202030202');
    expect([key.keyLength, key.curveId, key.keyId, key.point.length]).toEqual([16, 13, -1, 65]);
    const spki = pace.chipAuthPrivateKey!.export({ type: 'pkcs8', format: 'der' });
    expect(Buffer.from(key.point).equals(spki.subarray(spki.length - 65))).toBe(true);
    expect(findChipAuthKey(loadFixture('utopia-ec').files[14], () => true)).toBeNull(); // AA info only
    expect(() => findChipAuthKey(pace.files[14].subarray(0, 60), () => true)).toThrow(expect.objectContaining({ code: 'malformed-data' }));
  });

  function ca(options: PassportOptions) {
    const { sm, plain } = open(pace, options);
    let out: { ok: boolean; fresh: SmSession | null; lost: IcaoError | null } | null = null;
    chipAuthenticate(sm!, plain, nodePaceCrypto(), key, (ok, fresh, lost) => { out = { ok, fresh, lost }; });
    return { sm: sm!, ...out! };
  }

  it('succeeds with the right chip: DG2 reads under the new keys', () => {
    const r = ca({});
    expect([r.ok, r.lost]).toEqual([true, null]);
    expect(read(r.fresh!, 2)).toEqual(pace.files[2]);
  });

  it('a refusing chip: failed, the PACE session goes on', () => {
    const r = ca({ chipAuthFault: 'refuse' });
    expect([r.ok, r.fresh, r.lost]).toEqual([false, null, null]);
    expect(r.sm.isOpen()).toBe(true);
    expect(read(r.sm, 1)).toEqual(pace.files[1]);
  });

  it('a clone (another key than DG14): failed, both sessions wiped', () => {
    const r = ca({ chipAuthFault: 'wrong-key' });
    expect([r.ok, r.fresh, r.lost]).toEqual([false, null, null]);
    expect(r.sm.isOpen()).toBe(false);
  });
});
