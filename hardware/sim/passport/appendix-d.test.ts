// The virtual passport against the worked example of ICAO Doc 9303 Part 11, Appendix D.
import { describe, expect, it } from 'vitest';
import vectors from './test-data/icao9303-part11-appendix-d.json';
import { bacKeySeed, deriveKey, fromHex, hex, KEY_ENC, KEY_MAC, mrzInformation, retailMac, pad, sessionKeys } from './bac-crypto';
import { VirtualPassport } from './virtual-passport';
import { ReferenceReader } from './reference-reader';
import { parseApdu } from './apdu';
import { wrapCommand } from './secure-messaging';

const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');
const MRZ = { documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' };
const ma = vectors.mutualAuthentication;

function chip(): VirtualPassport {
  return new VirtualPassport({ 0x1e: EF_COM }, MRZ, { rndIC: fromHex(ma.rndIC), kIC: fromHex(ma.kIC) });
}

function tx(card: VirtualPassport, apduHex: string): string {
  const r = card.transceive(fromHex(apduHex));
  if (!r) throw new Error('no answer');
  return hex(r.response);
}

describe('BAC crypto (node:crypto) against Appendix D', () => {
  it('derives the key seed and the BAC keys', () => {
    const info = mrzInformation('L898902C<', '690806', '940623');
    expect(info).toBe(vectors.mrz.mrzInformation);
    const seed = bacKeySeed(info);
    expect(hex(seed)).toBe(vectors.keyDerivation.kSeed);
    expect(hex(deriveKey(seed, KEY_ENC))).toBe(vectors.keyDerivation.kEnc);
    expect(hex(deriveKey(seed, KEY_MAC))).toBe(vectors.keyDerivation.kMac);
  });

  it('computes M.IFD with the retail MAC and the session keys', () => {
    expect(hex(retailMac(fromHex(vectors.keyDerivation.kMac), pad(fromHex(ma.eIFD))))).toBe(ma.mIFD);
    const s = sessionKeys(fromHex(ma.kIFD), fromHex(ma.kIC), fromHex(ma.rndIC), fromHex(ma.rndIFD));
    expect(hex(s.ksEnc)).toBe(vectors.sessionKeys.ksEnc);
    expect(hex(s.ksMac)).toBe(vectors.sessionKeys.ksMac);
    expect(hex(s.ssc)).toBe(vectors.sessionKeys.ssc);
  });

  it('the reference reader wraps the three commands exactly as published', () => {
    const keys = { ksEnc: fromHex(vectors.sessionKeys.ksEnc), ksMac: fromHex(vectors.sessionKeys.ksMac), ssc: fromHex(vectors.sessionKeys.ssc) };
    for (const step of vectors.secureMessaging) {
      const plain = parseApdu(fromHex(step.plainCommand))!;
      expect(hex(wrapCommand(keys, plain))).toBe(step.protectedCommand);
      keys.ssc = fromHex(step.sscForResponse);
    }
  });
});

describe('virtual passport replays the Appendix D transcript', () => {
  it('answers GET CHALLENGE and MUTUAL AUTHENTICATE with the published bytes', () => {
    const card = chip();
    expect(tx(card, '00A4040C07A0000002471001')).toBe('9000');
    expect(tx(card, ma.getChallenge)).toBe(ma.rndIC + '9000');
    expect(tx(card, ma.commandApdu)).toBe(ma.responseData + '9000');
    expect(card.secureMessaging).toBe(true);
  });

  it('answers the three protected commands with the published protected responses', () => {
    const card = chip();
    tx(card, '00A4040C07A0000002471001');
    tx(card, ma.getChallenge);
    tx(card, ma.commandApdu);
    for (const step of vectors.secureMessaging) {
      expect(tx(card, step.protectedCommand), step.name).toBe(step.protectedResponse);
    }
  });

  it('a reference reader with the example nonces reads EF.COM in full', () => {
    const card = chip();
    const reader = new ReferenceReader((a) => card.transceive(a)?.response ?? null);
    expect(reader.selectApplication().sw).toBe(0x9000);
    reader.bac(MRZ, fromHex(ma.rndIFD), fromHex(ma.kIFD));
    expect(hex(reader.session!.ssc)).toBe(vectors.sessionKeys.ssc);
    expect(hex(reader.readFile(0x011e))).toBe(hex(EF_COM));
  });
});
