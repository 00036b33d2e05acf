import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DesCipher } from '../crypto/des';
import { pad } from '../crypto/padding';
import { RetailMac } from '../crypto/retail-mac';
import type { ApduCallback, ApduChannel } from './apdu-channel';
import { IcaoError } from './errors';
import { SecureMessagingChannel } from './secure-messaging';

const V = JSON.parse(readFileSync(join(__dirname, '../../test-data/icao9303-part11-appendix-d.json'), 'utf8'));
const SK = V.sessionKeys;
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
const EX = V.secureMessaging[1]; // READ BINARY first 4 bytes

function fresh(inner?: ApduChannel): SecureMessagingChannel {
  return new SecureMessagingChannel(inner || { transceive: () => { throw new Error('unused'); } }, hex(SK.ksEnc), hex(SK.ksMac), hex(SK.ssc));
}

/** Builds a protected response with a correct MAC around arbitrary data objects. */
function macResponse(ssc: string, dos: Uint8Array, sw = '9000'): Uint8Array {
  const m = new RetailMac(hex(SK.ksMac));
  m.update(hex(ssc));
  m.update(dos);
  return new Uint8Array([...dos, 0x8e, 8, ...m.finish(), ...hex(sw)]);
}

function encrypt(data: Uint8Array): Uint8Array {
  return new DesCipher(hex(SK.ksEnc)).cbcEncrypt(null, data);
}

function expectFailure(sm: SecureMessagingChannel, response: Uint8Array, message?: RegExp): IcaoError {
  let err: IcaoError | null = null;
  try {
    sm.unwrap(response);
  } catch (e) {
    err = e as IcaoError;
  }
  expect(err).toBeInstanceOf(IcaoError);
  expect(err!.code).toBe('sm-failure');
  if (message) expect(err!.message).toMatch(message);
  expect(sm.isOpen()).toBe(false);
  return err!;
}

/** SM channel positioned at the second example exchange (command wrapped, SSC = ...C229). */
function atExample(): SecureMessagingChannel {
  const sm = fresh();
  sm.wrap(hex(V.secureMessaging[0].plainCommand));
  sm.unwrap(hex(V.secureMessaging[0].protectedResponse));
  expect(toHex(sm.wrap(hex(EX.plainCommand)))).toBe(EX.protectedCommand);
  return sm;
}

afterEach(() => vi.restoreAllMocks());

describe('unwrap refuses', () => {
  it('a forged response MAC, and never decrypts before the MAC is verified', () => {
    const sm = atExample();
    const spy = vi.spyOn(DesCipher.prototype, 'cbcDecrypt');
    const forged = hex(EX.protectedResponse);
    forged[forged.length - 3] ^= 0x01; // last MAC byte
    expectFailure(sm, forged, /MAC/);
    expect(spy).not.toHaveBeenCalled();
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7])('a response MAC wrong in byte %i alone (all 8 bytes are compared)', (i) => {
    const sm = atExample();
    const forged = hex(EX.protectedResponse);
    forged[forged.length - 10 + i] ^= 0x01; // DO8E's value: the 8 bytes before SW1 SW2
    expectFailure(sm, forged, /MAC/);
  });

  it('a response whose status (DO99) was changed: the MAC covers it', () => {
    const sm = atExample();
    const forged = hex(EX.protectedResponse);
    const do99 = forged.length - 2 - 10 - 4; // 99 02 SW1 SW2 just before DO8E
    expect(forged[do99]).toBe(0x99);
    forged[do99 + 3] ^= 0x01;
    expectFailure(sm, forged, /MAC/);
  });

  it('a changed ciphertext (MAC no longer matches) without decrypting it', () => {
    const sm = atExample();
    const spy = vi.spyOn(DesCipher.prototype, 'cbcDecrypt');
    const forged = hex(EX.protectedResponse);
    forged[4] ^= 0x80;
    expectFailure(sm, forged, /MAC/);
    expect(spy).not.toHaveBeenCalled();
  });

  it('a replayed response (the SSC has moved on)', () => {
    const sm = atExample();
    sm.unwrap(hex(EX.protectedResponse));
    sm.wrap(hex(EX.plainCommand));
    expectFailure(sm, hex(EX.protectedResponse), /MAC/);
  });

  it('a truncated DO87', () => {
    const sm = atExample();
    expectFailure(sm, hex('870901' + '9FF0EC34' + '9000'));
  });

  it('DO87 whose length runs past the response', () => {
    const sm = atExample();
    const r = hex(EX.protectedResponse);
    r[1] = 0x7f;
    expectFailure(sm, r);
  });

  it('DO87 without the 01 padding indicator (authentic MAC)', () => {
    const sm = atExample();
    const ct = encrypt(pad(hex('60145F01')));
    expectFailure(sm, macResponse('887022120C06C22A', new Uint8Array([0x87, 9, 0x02, ...ct, 0x99, 2, 0x90, 0])), /indicator/);
  });

  it('a cryptogram that is not a multiple of 8 (authentic MAC)', () => {
    const sm = atExample();
    expectFailure(sm, macResponse('887022120C06C22A', new Uint8Array([0x87, 6, 0x01, 1, 2, 3, 4, 5, 0x99, 2, 0x90, 0])), /multiple of 8/);
  });

  it('wrong padding inside the cryptogram (authentic MAC)', () => {
    const sm = atExample();
    const ct = encrypt(hex('60145F0100000000')); // no 80
    expectFailure(sm, macResponse('887022120C06C22A', new Uint8Array([0x87, 9, 0x01, ...ct, 0x99, 2, 0x90, 0])), /padding/);
  });

  it('a response without DO99 or without DO8E, or with an unknown object', () => {
    // No DO'99' is allowed only for a success (9000); any other outer status is refused.
    expectFailure(atExample(), macResponse('887022120C06C22A', new Uint8Array([0x87, 9, 0x01, ...encrypt(pad(hex('01')))]), '6282'), /DO99/);
    expectFailure(atExample(), hex('990290009000'), /DO8E/);
    expectFailure(atExample(), macResponse('887022120C06C22A', new Uint8Array([0x53, 1, 0, 0x99, 2, 0x90, 0])), /unexpected/);
    expectFailure(atExample(), hex('99029000' + '8E04AABBCCDD' + '9000'), /DO8E/);
  });

  it('oversized TLV lengths', () => {
    expectFailure(atExample(), hex('8784FFFFFFFF01' + '9000'));
    expectFailure(atExample(), hex('8785010000000001' + '9000'));
    expectFailure(atExample(), hex('87' + '9000'));
  });

  it('bare 9000 (unauthenticated success) and bare 6987/6988', () => {
    expectFailure(atExample(), hex('9000'));
    const e = expectFailure(atExample(), hex('6988'));
    expect(e.sw).toBe(0x6988);
    expectFailure(atExample(), hex('6987'));
    expectFailure(atExample(), hex('90'));
  });
});

describe('session life', () => {
  it('a bare error status such as 6A82 is passed up and the session ends (the chip SSC is unknown)', () => {
    const sm = atExample();
    expect(toHex(sm.unwrap(hex('6A82')))).toBe('6A82');
    expect(sm.isOpen()).toBe(false);
  });

  it('a protected 9000 without DO99: the MAC covers DO87 alone, the status is the outer 9000', () => {
    const sm = atExample();
    const out = sm.unwrap(macResponse('887022120C06C22A', new Uint8Array([0x87, 9, 0x01, ...encrypt(pad(hex('01')))])));
    expect(toHex(out)).toBe('019000');
    expect(sm.isOpen()).toBe(true);
  });

  it('on MAC failure keys and SSC are zeroed and later commands fail without radio traffic', () => {
    const ksEnc = hex(SK.ksEnc);
    const ksMac = hex(SK.ksMac);
    const ssc = hex(SK.ssc);
    let sent = 0;
    const inner: ApduChannel = {
      transceive(_apdu: Uint8Array, cb: ApduCallback) {
        sent++;
        cb(null, hex('990290008E080102030405060708' + '9000'));
      },
    };
    const sm = new SecureMessagingChannel(inner, ksEnc, ksMac, ssc);
    const errors: string[] = [];
    sm.transceive(hex('00B0000004'), (e) => errors.push(e!.code));
    sm.transceive(hex('00B0000004'), (e) => errors.push(e!.code));
    expect(errors).toEqual(['sm-failure', 'sm-failure']);
    expect(sent).toBe(1);
    expect([...ksEnc, ...ksMac, ...ssc].every((b) => b === 0)).toBe(true);
  });

  it('a lost card ends the session too', () => {
    const ssc = hex(SK.ssc);
    const sm = new SecureMessagingChannel({ transceive: (_a, cb) => cb(new IcaoError('card-lost', 'gone'), null) }, hex(SK.ksEnc), hex(SK.ksMac), ssc);
    let code = '';
    sm.transceive(hex('00B0000004'), (e) => { code = e!.code; });
    expect(code).toBe('card-lost');
    expect(sm.isOpen()).toBe(false);
    expect(ssc.every((b) => b === 0)).toBe(true);
  });

  it('wipe() is explicit and idempotent', () => {
    const ksEnc = hex(SK.ksEnc);
    const sm = new SecureMessagingChannel({ transceive: () => {} }, ksEnc, hex(SK.ksMac), hex(SK.ssc));
    sm.wipe();
    sm.wipe();
    expect(ksEnc.every((b) => b === 0)).toBe(true);
    expect(() => sm.wrap(hex('00B0000004'))).toThrowError(/ended/);
  });
});

describe('wrap', () => {
  it('case 1 (no data, no Le): only DO8E', () => {
    const w = fresh().wrap(hex('00A40000'));
    expect(toHex(w.subarray(0, 7))).toBe('0CA400000A8E08');
    expect(w.length).toBe(4 + 1 + 10 + 1);
  });
  it('odd INS uses DO85 without the padding indicator', () => {
    const w = fresh().wrap(hex('00B1000004540280000A'));
    expect(toHex(w.subarray(0, 7))).toBe('0CB10000178508');
    expect(toHex(w.subarray(15, 18))).toBe('97010A');
  });
  it('Le 00 (256) is carried in DO97 as 00', () => {
    const w = fresh().wrap(hex('00B0000000'));
    expect(toHex(w.subarray(5, 8))).toBe('970100');
  });
  it('extended case 4 (INTERNAL AUTHENTICATE, long answer): 00 Lc Lc, the same DO87 as short, DO97 of 2 bytes, Le 00 00', () => {
    const challenge = '0102030405060708';
    const short = fresh().wrap(hex('0088000008' + challenge + '00'));
    const ext = fresh().wrap(hex('00880000000008' + challenge + '0000'));
    expect(toHex(short.subarray(0, 5))).toBe('0C88000020');
    expect(toHex(ext.subarray(0, 7))).toBe('0C880000000021'); // DO97 one byte longer
    expect(toHex(ext.subarray(7, 26))).toBe(toHex(short.subarray(5, 24))); // DO87, same SSC and keys
    expect(toHex(ext.subarray(26, 30))).toBe('97020000');
    expect(toHex(ext.subarray(ext.length - 2))).toBe('0000');
    expect(ext.length).toBe(7 + 0x21 + 2);
    expect(() => fresh().wrap(hex('00880000000009' + challenge + '0000'))).toThrowError(/extended case 4/);
  });
  it('refuses malformed, extended or already-protected commands', () => {
    expect(() => fresh().wrap(hex('00B000'))).toThrowError(IcaoError);
    expect(() => fresh().wrap(hex('00A4020C0301'))).toThrowError(IcaoError);
    expect(() => fresh().wrap(hex('0CB0000004'))).toThrowError(IcaoError);
    const big = new Uint8Array(5 + 250);
    big[1] = 0xd6; big[4] = 250;
    let code = '';
    try { fresh().wrap(big); } catch (e) { code = (e as IcaoError).code; }
    expect(code).toBe('unsupported');
  });
});
