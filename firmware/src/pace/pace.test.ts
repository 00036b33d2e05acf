// PACE against ICAO 9303-11 Appendix G.1 (ECDH-GM, AES-128, brainpoolP256r1), byte for byte, over
// a scripted chip; then hostile answers. The AES SM vector is recomputed here with node:crypto.

import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import g1 from '../../test-data/icao9303-part11-appendix-g1.json';
import { cmac16, nodePaceCrypto } from '../../test/support/node-pace-crypto';
import type { ApduCallback, ApduChannel } from '../icao/apdu-channel';
import { IcaoError } from '../icao/errors';
import { mrzInformation } from '../icao/mrz-key';
import { AesSecureMessagingChannel } from './aes-secure-messaging';
import type { PaceChoice } from './card-access';
import { Pace } from './pace';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (a: Uint8Array): string => Buffer.from(a).toString('hex').toUpperCase();
const fill = (s: string): string => s.replace(/\{(\w+)\}/g, (_, k: string) => (g1 as unknown as Record<string, string>)[k]);

const G1_CHOICE: PaceChoice = { oid: hex(g1.paceOid), keyLength: 16, parameterId: g1.parameterId, sendParameterId: false };

/** A chip that expects `script` commands in order and answers each; records what was sent. */
function scripted(script: Array<{ command: string; response: string }>): ApduChannel & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    transceive(apdu: Uint8Array, cb: ApduCallback) {
      const step = script[sent.length];
      sent.push(toHex(apdu));
      if (!step) return cb(new IcaoError('card-lost', 'script ended'), null);
      if (step.command !== '*' && step.command !== toHex(apdu)) return cb(new IcaoError('card-error', 'unexpected ' + toHex(apdu)), null);
      cb(null, hex(step.response));
    },
  };
}

function g1Random(): (n: number) => Uint8Array {
  const keys = [hex(g1.skMapIfd), hex(g1.skDhIfd)];
  return (n) => {
    const k = keys.shift();
    if (!k || k.length !== n) throw new Error('unexpected random request');
    return k;
  };
}

function runPace(chip: ApduChannel, random = g1Random()): { err: IcaoError | null; sm: AesSecureMessagingChannel | null } {
  let out: { err: IcaoError | null; sm: AesSecureMessagingChannel | null } | null = null;
  new Pace(chip, nodePaceCrypto(random), G1_CHOICE).authenticate(hex(g1.sha1OfMrzInformation), (err, sm) => { out = { err, sm }; });
  expect(out).not.toBeNull();
  return out!;
}

const G1_SCRIPT = g1.apdus.map((a) => ({ command: fill(a.command), response: fill(a.response) }));

describe('PACE, ICAO 9303-11 Appendix G.1', () => {
  it('the password is SHA-1 of the MRZ information', () => {
    const info = mrzInformation({ documentNumber: g1.mrz.documentNumber, dateOfBirth: g1.mrz.dateOfBirth, dateOfExpiry: g1.mrz.dateOfExpiry });
    expect(info).toBe(g1.mrz.mrzInformation);
    expect(createHash('sha1').update(info).digest('hex').toUpperCase()).toBe(g1.sha1OfMrzInformation);
  });

  it('sends every command byte for byte and opens AES secure messaging with KSenc/KSmac', () => {
    const chip = scripted(G1_SCRIPT);
    const { err, sm } = runPace(chip);
    expect(err).toBeNull();
    expect(chip.sent).toEqual(G1_SCRIPT.map((s) => s.command));
    // The session keys, seen through the channel: the SELECT vector below needs KSenc and KSmac.
    expect(toHex(sm!.wrap(hex('00A4040C07A0000002471001')))).toBe('0CA4040C1D871101752F676B09FAC86A87D632749A49C7CC8E08C18BA1FCE707BD9F00');
  });

  it('refuses the chip whose token does not verify, and says nothing more to it', () => {
    const bad = G1_SCRIPT.map((s) => ({ ...s }));
    bad[4].response = '7C0A8608' + '3ABB9674BCE93C09' + '9000';
    const chip = scripted(bad);
    const { err, sm } = runPace(chip);
    expect(sm).toBeNull();
    expect(err!.code).toBe('sm-failure');
    expect(chip.sent.length).toBe(5);
  });
});

describe('PACE, hostile chip answers end in clean errors', () => {
  const cases: Array<[string, number, string, string]> = [
    ['MSE:Set AT refused', 0, '6A80', 'unsupported'],
    ['password refused at the nonce', 1, '6300', 'access-denied'],
    ['nonce of 15 bytes', 1, '7C11800F95A3A016522EE98D01E76CB6B98B42' + '9000', 'malformed-data'],
    ['7C that runs past the answer', 1, '7C13801095A3A016522EE98D01E76CB6B98B42C39000', 'malformed-data'],
    ['no 7C', 1, '801095A3A016522EE98D01E76CB6B98B42C39000', 'malformed-data'],
    ['mapping key not on the curve', 2, '7C438241' + g1.pkMapIc.slice(0, -2) + '55' + '9000', 'sm-failure'],
    ['mapping key of 64 bytes', 2, '7C428240' + g1.pkMapIc.slice(2) + '9000', 'malformed-data'],
    ['mapping key echoed back', 2, '7C438241' + g1.pkMapIfd + '9000', 'sm-failure'],
    ['ephemeral key equal to ours', 3, '7C438441' + g1.pkDhIfd + '9000', 'sm-failure'],
    ['ephemeral key compressed', 3, '7C438441' + '03' + g1.pkDhIc.slice(2) + '9000', 'sm-failure'],
    ['token refused', 4, '6300', 'access-denied'],
    ['token of 4 bytes', 4, '7C0686043ABB96749000', 'malformed-data'],
    ['empty answer', 2, '', 'malformed-data'],
  ];
  it.each(cases)('%s', (_name, step, response, code) => {
    const script = G1_SCRIPT.map((s) => ({ ...s }));
    script[step].response = response;
    const { err, sm } = runPace(scripted(script));
    expect(sm).toBeNull();
    expect(err!.code).toBe(code);
  });

  it('a lost card mid-run passes the loss on', () => {
    const { err } = runPace(scripted(G1_SCRIPT.slice(0, 2)));
    expect(err!.code).toBe('card-lost');
  });
});

describe('AES secure messaging, Appendix G.1 keys, SSC 0', () => {
  const ksEnc = hex(g1.ksEnc);
  const ksMac = hex(g1.ksMac);
  const select = '00A4040C07A0000002471001';
  const protectedSelect = '0CA4040C1D871101752F676B09FAC86A87D632749A49C7CC8E08C18BA1FCE707BD9F00';

  it('the vector is what node:crypto computes from the rules of 9303-11 §9.8', () => {
    const ssc = new Uint8Array(16);
    ssc[15] = 1;
    const ecb = createCipheriv('aes-128-ecb', ksEnc, null).setAutoPadding(false);
    const iv = ecb.update(ssc);
    const cbc = createCipheriv('aes-128-cbc', ksEnc, iv).setAutoPadding(false);
    const data = Buffer.concat([hex('A0000002471001'), hex('80000000000000000000')]);
    const c = cbc.update(data);
    const do87 = Buffer.concat([hex('871101'), c]);
    const macInput = Buffer.concat([ssc, hex('0CA4040C800000000000000000000000'), do87, hex('80000000000000000000000000')]);
    const mac = cmac16(ksMac, macInput).subarray(0, 8);
    expect(toHex(Buffer.concat([hex('0CA4040C1D'), do87, hex('8E08'), mac, hex('00')]))).toBe(protectedSelect);
    // The response 99 02 9000 8E 08 MAC, SSC 2.
    ssc[15] = 2;
    const rmac = cmac16(ksMac, Buffer.concat([ssc, hex('99029000800000000000000000000000')])).subarray(0, 8);
    expect(toHex(rmac)).toBe('BEA7B381C494A079');
  });

  it('wraps the SELECT and opens its answer', () => {
    const sm = new AesSecureMessagingChannel(scripted([]), nodePaceCrypto(), ksEnc, ksMac);
    expect(toHex(sm.wrap(hex(select)))).toBe(protectedSelect);
    expect(toHex(sm.unwrap(hex('990290008E08BEA7B381C494A0799000')))).toBe('9000');
    expect(toHex(sm.ssc)).toBe('00000000000000000000000000000002');
  });

  it('round-trips data both ways (a chip built from the same rules answers)', () => {
    const crypto = nodePaceCrypto();
    const ours = new AesSecureMessagingChannel(scripted([]), crypto, ksEnc, ksMac);
    for (const len of [1, 15, 16, 17, 200]) {
      const apdu = new Uint8Array(6 + len);
      apdu.set([0x00, 0xd6, 0, 0, len], 0);
      for (let i = 0; i < len; i++) apdu[5 + i] = i * 7;
      apdu[5 + len] = 0;
      const wrapped = ours.wrap(apdu);
      const plainBody = decryptDo87(wrapped.subarray(5), ours.ssc);
      expect(toHex(plainBody)).toBe(toHex(apdu.subarray(5, 5 + len)));
      ours.ssc[15]++; // the chip's answer would come with SSC + 1: skip it
    }
  });

  function decryptDo87(body: Uint8Array, ssc: Uint8Array): Uint8Array {
    const len = body[1] === 0x81 ? body[2] : body[1];
    const start = body[1] === 0x81 ? 4 : 3;
    const iv = createCipheriv('aes-128-ecb', ksEnc, null).setAutoPadding(false).update(ssc);
    const d = createDecipheriv('aes-128-cbc', ksEnc, iv).setAutoPadding(false);
    const p = d.update(body.subarray(start, start + len - 1));
    return p.subarray(0, p.lastIndexOf(0x80));
  }

  it('refuses a wrong MAC, a bad cryptogram length and unprotected success, and ends the session', () => {
    for (const resp of ['990290008E08BEA7B381C494A0789000', '8E08BEA7B381C494A0796A82', '9000', '8709010102030405060708990290008E0800000000000000009000']) {
      const sm = new AesSecureMessagingChannel(scripted([]), nodePaceCrypto(), ksEnc, ksMac);
      sm.wrap(hex(select));
      expect(() => sm.unwrap(hex(resp))).toThrow(expect.objectContaining({ code: 'sm-failure' }));
      expect(sm.isOpen()).toBe(false);
      expect(toHex(sm.ssc)).toBe('00000000000000000000000000000000');
    }
  });
});

describe('PACE with the device crypto (the seams, TypeScript path here)', () => {
  it('runs Appendix G.1 byte for byte through native-aes.ts and native-ec.ts', async () => {
    const { devicePaceCrypto } = await import('./device-crypto');
    const chip = scripted(G1_SCRIPT);
    let out: { err: IcaoError | null; sm: AesSecureMessagingChannel | null } | null = null;
    new Pace(chip, devicePaceCrypto(g1Random()), G1_CHOICE).authenticate(hex(g1.sha1OfMrzInformation), (err, sm) => { out = { err, sm }; });
    expect(out!.err).toBeNull();
    expect(chip.sent).toEqual(G1_SCRIPT.map((s) => s.command));
    expect(toHex(out!.sm!.wrap(hex('00A4040C07A0000002471001')))).toBe('0CA4040C1D871101752F676B09FAC86A87D632749A49C7CC8E08C18BA1FCE707BD9F00');
  });
});
