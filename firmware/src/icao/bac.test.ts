import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DesCipher } from '../crypto/des';
import { RetailMac } from '../crypto/retail-mac';
import type { ApduCallback, ApduChannel } from './apdu-channel';
import { BacProtocol } from './bac';
import { selectApplicationApdu } from './commands';
import { IcaoError } from './errors';
import { KDF_ENC, KDF_MAC, deriveKey } from './key-derivation';
import { deriveKeySeed } from './mrz-key';
import { SecureMessagingChannel } from './secure-messaging';
import { MockChip } from '../../test/support/mock-chip';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const SEED = deriveKeySeed({ documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623' });
const OTHER = deriveKeySeed({ documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940624' });

function run(channel: ApduChannel, seed: Uint8Array, rnd = random): { err: IcaoError | null; sm: SecureMessagingChannel | null } {
  let out: { err: IcaoError | null; sm: SecureMessagingChannel | null } | null = null;
  new BacProtocol(channel, rnd).authenticate(seed, (err, sm) => {
    expect(out).toBeNull(); // called once
    out = { err, sm };
  });
  expect(out).not.toBeNull();
  return out!;
}

/** A channel answering each APDU with the next canned response. */
function canned(...answers: (string | ((apdu: Uint8Array) => Uint8Array))[]): ApduChannel & { count: number } {
  return {
    count: 0,
    transceive(apdu: Uint8Array, cb: ApduCallback) {
      const a = answers[this.count++];
      cb(null, typeof a === 'string' ? hex(a) : a(apdu));
    },
  };
}

function chipWithApp(seed: Uint8Array): MockChip {
  const chip = new MockChip({ files: { 0x1e: hex('600A5F0104303130375C0161') }, keySeed: seed });
  chip.transceive(selectApplicationApdu(), () => {});
  return chip;
}

describe('BAC against a mock chip', () => {
  it('right MRZ: a working SM channel (random randoms)', () => {
    const chip = chipWithApp(SEED);
    const { err, sm } = run(chip, SEED);
    expect(err).toBeNull();
    expect(chip.secured).toBe(true);
    let answer = '';
    sm!.transceive(hex('00B09E0004'), (e, r) => {
      expect(e).toBeNull();
      answer = Buffer.from(r!).toString('hex').toUpperCase();
    });
    expect(answer).toBe('600A5F019000');
  });

  it('wrong MRZ: the chip answers 6300 and BAC fails with access-denied', () => {
    const { err, sm } = run(chipWithApp(SEED), OTHER);
    expect(sm).toBeNull();
    expect(err).toBeInstanceOf(IcaoError);
    expect(err!.code).toBe('access-denied');
    expect(err!.sw).toBe(0x6300);
  });

  it.each(['6982', '6988', '6300', '63C2', '6985'])('MUTUAL AUTHENTICATE %s -> access-denied', (sw) => {
    const { err } = run(canned('0102030405060708' + '9000', sw), SEED);
    expect(err!.code).toBe('access-denied');
    expect(err!.sw).toBe(parseInt(sw, 16));
  });

  it('GET CHALLENGE refused: 6D00 -> unsupported, 6F00 -> card-error, short challenge -> malformed-data', () => {
    expect(run(canned('6D00'), SEED).err!.code).toBe('unsupported');
    expect(run(canned('6F00'), SEED).err!.code).toBe('card-error');
    expect(run(canned('01020304' + '9000'), SEED).err!.code).toBe('malformed-data');
  });

  it('a forged chip cryptogram (MAC) is refused with sm-failure', () => {
    const chip = chipWithApp(SEED);
    chip.transceive(hex('0084000008'), () => {}); // the next GET CHALLENGE is ours
    const wrapper: ApduChannel = {
      transceive(apdu, cb) {
        chip.transceive(apdu, (e, r) => {
          if (apdu[1] === 0x82 && r) r[35] ^= 1; // flip one bit of M.IC
          cb(e, r);
        });
      },
    };
    const { err } = run(wrapper, SEED);
    expect(err!.code).toBe('sm-failure');
  });

  it('a chip that echoes another RND.IFD (correct MAC) is refused with sm-failure', () => {
    const kEnc = deriveKey(SEED, KDF_ENC);
    const kMac = deriveKey(SEED, KDF_MAC);
    const rndIc = hex('4608F91988702212');
    const answer = (): Uint8Array => {
      const r = new Uint8Array(42);
      r.set(rndIc, 0);
      r.set(hex('0000000000000000'), 8); // not our RND.IFD
      r.set(random(16), 16);
      new DesCipher(kEnc).cbcEncrypt(null, r.subarray(0, 32), r.subarray(0, 32));
      const m = new RetailMac(kMac);
      m.update(r, 0, 32);
      m.finish(r, 32);
      r[40] = 0x90;
      return r;
    };
    const { err } = run(canned('4608F919887022129000', answer), SEED);
    expect(err!.code).toBe('sm-failure');
  });

  it('a MUTUAL AUTHENTICATE answer of the wrong length is malformed-data', () => {
    expect(run(canned('4608F919887022129000', '00'.repeat(32) + '9000'), SEED).err!.code).toBe('malformed-data');
  });

  it('transport errors pass through unchanged', () => {
    const lost: ApduChannel = { transceive: (_a, cb) => cb(new IcaoError('card-lost', 'gone'), null) };
    expect(run(lost, SEED).err!.code).toBe('card-lost');
  });

  it('a random source giving the wrong length is an internal error, not a crash', () => {
    const { err } = run(canned('4608F919887022129000'), SEED, (n) => new Uint8Array(n - 1));
    expect(err!.code).toBe('internal');
  });

  it('asks the random source for RND.IFD (8) then K.IFD (16)', () => {
    const asked: number[] = [];
    run(chipWithApp(SEED), SEED, (n) => { asked.push(n); return random(n); });
    expect(asked).toEqual([8, 16]);
  });
});
