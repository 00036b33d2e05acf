// ICAO 9303-11 Appendix D (BAC and 3DES secure messaging worked example), every value.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DesCipher } from '../crypto/des';
import { hashWhole } from '../crypto/hash';
import { retailMac } from '../crypto/retail-mac';
import type { ApduCallback, ApduChannel } from './apdu-channel';
import { BacProtocol, buildMutualAuthData, completeBac } from './bac';
import { IcaoError } from './errors';
import { KDF_ENC, KDF_MAC, deriveKey } from './key-derivation';
import { deriveKeySeed, mrzInformation } from './mrz-key';
import { SecureMessagingChannel } from './secure-messaging';

const V = JSON.parse(readFileSync(join(__dirname, '../../test-data/icao9303-part11-appendix-d.json'), 'utf8'));
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const MA = V.mutualAuthentication;
const SK = V.sessionKeys;

const mrzInput = {
  documentNumber: V.mrz.documentNumber,
  dateOfBirth: V.mrz.dateOfBirth,
  dateOfExpiry: V.mrz.dateOfExpiry,
  checkDigits: V.mrz.documentNumberCheck + V.mrz.dateOfBirthCheck + V.mrz.dateOfExpiryCheck,
};

/** Replays expected commands and answers; fails on any deviation. */
class ScriptedChannel implements ApduChannel {
  sent: string[] = [];
  constructor(private script: [string, string][]) {}
  transceive(apdu: Uint8Array, callback: ApduCallback): void {
    const step = this.script.shift();
    this.sent.push(toHex(apdu));
    if (!step) throw new Error('unexpected APDU ' + toHex(apdu));
    expect(toHex(apdu)).toBe(step[0]);
    callback(null, hex(step[1]));
  }
}

function exampleRandom(): (n: number) => Uint8Array {
  const queue = [hex(MA.rndIFD), hex(MA.kIFD)];
  return (n) => {
    const r = queue.shift()!;
    expect(r.length).toBe(n);
    return r;
  };
}

describe('key derivation', () => {
  it('MRZ information, SHA-1, K_seed', () => {
    expect(mrzInformation(mrzInput)).toBe(V.mrz.mrzInformation);
    expect(toHex(hashWhole('sha1', new Uint8Array(Buffer.from(V.mrz.mrzInformation, 'latin1'))))).toBe(V.keyDerivation.sha1OfMrzInformation);
    expect(toHex(deriveKeySeed(mrzInput))).toBe(V.keyDerivation.kSeed);
    // without check digits, and without the trailing filler, the same seed
    expect(toHex(deriveKeySeed({ documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' }))).toBe(V.keyDerivation.kSeed);
  });
  it('Kenc and Kmac with parity', () => {
    const seed = hex(V.keyDerivation.kSeed);
    expect(toHex(deriveKey(seed, KDF_ENC))).toBe(V.keyDerivation.kEnc);
    expect(toHex(deriveKey(seed, KDF_MAC))).toBe(V.keyDerivation.kMac);
  });
});

describe('mutual authentication', () => {
  const kEnc = hex(V.keyDerivation.kEnc);
  const kMac = hex(V.keyDerivation.kMac);
  it('S, E.IFD, M.IFD', () => {
    const s = new Uint8Array([...hex(MA.rndIFD), ...hex(MA.rndIC), ...hex(MA.kIFD)]);
    expect(toHex(s)).toBe(MA.S);
    expect(toHex(new DesCipher(kEnc).cbcEncrypt(null, s))).toBe(MA.eIFD);
    expect(toHex(retailMac(kMac, hex(MA.eIFD)))).toBe(MA.mIFD);
    expect(toHex(buildMutualAuthData(kEnc, kMac, s))).toBe(MA.commandData);
  });
  it('chip response check and session keys', () => {
    expect(toHex(new DesCipher(kEnc).cbcDecrypt(null, hex(MA.responseData).subarray(0, 32)))).toBe(MA.decryptedResponse);
    const keys = completeBac(kEnc, kMac, hex(MA.rndIFD), hex(MA.rndIC), hex(MA.kIFD), hex(MA.responseData));
    expect(toHex(keys.ksEnc)).toBe(SK.ksEnc);
    expect(toHex(keys.ksMac)).toBe(SK.ksMac);
    expect(toHex(keys.ssc)).toBe(SK.ssc);
    const kic = hex(MA.kIC);
    const kifd = hex(MA.kIFD);
    expect(toHex(kic.map((b, i) => b ^ kifd[i]))).toBe(SK.kSeed);
    expect(toHex(deriveKey(hex(SK.kSeed), KDF_ENC))).toBe(SK.ksEnc);
  });

  it('BacProtocol over a scripted channel: exact APDUs, session keys, SSC', () => {
    const ch = new ScriptedChannel([
      [MA.getChallenge, MA.rndIC + '9000'],
      [MA.commandApdu, MA.responseData + '9000'],
    ]);
    let result: SecureMessagingChannel | null = null;
    let error: IcaoError | null = null;
    new BacProtocol(ch, exampleRandom()).authenticate(hex(V.keyDerivation.kSeed), (err, sm) => {
      error = err;
      result = sm;
    });
    expect(error).toBeNull();
    expect(result).not.toBeNull();
    expect(ch.sent).toEqual([MA.getChallenge, MA.commandApdu]);
    expect(toHex(result!.ssc)).toBe(SK.ssc);
  });
});

describe('secure messaging exchanges', () => {
  function channelAfterBac(inner: ApduChannel): SecureMessagingChannel {
    return new SecureMessagingChannel(inner, hex(SK.ksEnc), hex(SK.ksMac), hex(SK.ssc));
  }

  it('wrap gives protectedCommand, unwrap gives plain data + SW, SSC steps as in the example', () => {
    const sm = channelAfterBac({ transceive: () => { throw new Error('not used'); } });
    for (const ex of V.secureMessaging) {
      expect(toHex(sm.wrap(hex(ex.plainCommand)))).toBe(ex.protectedCommand);
      expect(toHex(sm.ssc)).toBe(ex.sscForCommand);
      expect(toHex(sm.unwrap(hex(ex.protectedResponse)))).toBe(ex.plainResponseData + ex.sw);
      expect(toHex(sm.ssc)).toBe(ex.sscForResponse);
    }
  });

  it('the whole example end to end: BAC then the three protected exchanges through transceive', () => {
    const script: [string, string][] = [
      [MA.getChallenge, MA.rndIC + '9000'],
      [MA.commandApdu, MA.responseData + '9000'],
      ...V.secureMessaging.map((ex: { protectedCommand: string; protectedResponse: string }) => [ex.protectedCommand, ex.protectedResponse] as [string, string]),
    ];
    const ch = new ScriptedChannel(script);
    const plain: string[] = [];
    new BacProtocol(ch, exampleRandom()).authenticate(deriveKeySeed(mrzInput), (err, sm) => {
      expect(err).toBeNull();
      for (const ex of V.secureMessaging) {
        sm!.transceive(hex(ex.plainCommand), (e, r) => {
          expect(e).toBeNull();
          plain.push(toHex(r!));
        });
      }
    });
    expect(plain).toEqual(V.secureMessaging.map((ex: { plainResponseData: string; sw: string }) => ex.plainResponseData + ex.sw));
    expect(ch.sent.length).toBe(5);
  });
});
