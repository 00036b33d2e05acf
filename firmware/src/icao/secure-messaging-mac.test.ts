// The response MAC check of secure messaging (SecureMessagingChannel.unwrap, TypeScript path),
// written against the mutants Stryker left in it (test/README.md, mutation testing): DO'8E' must
// be exactly 8 bytes and DO'99' 2, the MAC value the card did not send is wiped, a session that
// failed opens nothing more (not even a genuine response), and a response with no DO'99' is
// accepted only for an outer 9000 (DO'8E' alone included). secure-messaging.test.ts has the rest (each MAC byte, DO'99' changed, replay).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DesCipher } from '../crypto/des';
import { pad } from '../crypto/padding';
import { RetailMac } from '../crypto/retail-mac';
import { IcaoError } from './errors';
import { SecureMessagingChannel } from './secure-messaging';

const V = JSON.parse(readFileSync(join(__dirname, '../../test-data/icao9303-part11-appendix-d.json'), 'utf8'));
const SK = V.sessionKeys;
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
/** Appendix D's second exchange: READ BINARY of 4 bytes, SSC ...C229 for the response. */
const EX = V.secureMessaging[1];
const RESPONSE_SSC = '887022120C06C22A';

function atExample(): SecureMessagingChannel {
  const sm = new SecureMessagingChannel({ transceive: () => { throw new Error('unused'); } }, hex(SK.ksEnc), hex(SK.ksMac), hex(SK.ssc));
  sm.wrap(hex(V.secureMessaging[0].plainCommand));
  sm.unwrap(hex(V.secureMessaging[0].protectedResponse));
  sm.wrap(hex(EX.plainCommand));
  return sm;
}

function macOf(ssc: string, dos: Uint8Array): Uint8Array {
  const m = new RetailMac(hex(SK.ksMac));
  m.update(hex(ssc));
  m.update(dos);
  return m.finish();
}

function encrypted(plain: string): Uint8Array {
  return new DesCipher(hex(SK.ksEnc)).cbcEncrypt(null, pad(hex(plain)));
}

function failure(sm: SecureMessagingChannel, response: Uint8Array): IcaoError {
  try {
    sm.unwrap(response);
  } catch (e) {
    expect(e).toBeInstanceOf(IcaoError);
    return e as IcaoError;
  }
  throw new Error('unwrap accepted the response');
}

afterEach(() => vi.restoreAllMocks());

describe('secure messaging: the response MAC check', () => {
  it('the Appendix D response opens (the base the cases below change one thing of)', () => {
    expect(toHex(atExample().unwrap(hex(EX.protectedResponse)))).toBe(EX.plainResponseData + '9000');
  });

  it('a DO8E longer than 8 bytes is refused even when its first 8 bytes are the right MAC', () => {
    const dos = hex(toHex(hex(EX.protectedResponse)).slice(0, -24)); // DO87 DO99, without DO8E and SW
    const mac = macOf(RESPONSE_SSC, dos);
    const sm = atExample();
    const e = failure(sm, new Uint8Array([...dos, 0x8e, 10, ...mac, 0, 0, 0x90, 0x00]));
    expect([e.code, e.message]).toEqual(['sm-failure', 'DO8E length']);
    expect(sm.isOpen()).toBe(false);
    // The same bytes with DO8E of 8 open: only the length was wrong.
    expect(toHex(atExample().unwrap(new Uint8Array([...dos, 0x8e, 8, ...mac, 0x90, 0x00])))).toBe('60145F019000');
  });

  it('a DO8E shorter than 8 bytes is refused for its length, before any MAC is computed', () => {
    const sm = atExample();
    const spy = vi.spyOn(RetailMac.prototype, 'finish');
    const e = failure(sm, hex('99029000' + '8E04AABBCCDD' + '9000'));
    expect([e.code, e.message]).toEqual(['sm-failure', 'DO8E length']);
    expect(spy).not.toHaveBeenCalled();
  });

  it('no DO8E at all: sm-failure "no DO8E", no MAC computed over the rest', () => {
    const sm = atExample();
    const spy = vi.spyOn(RetailMac.prototype, 'finish');
    const e = failure(sm, new Uint8Array([0x87, 9, 0x01, ...encrypted('01'), 0x99, 2, 0x90, 0x00, 0x90, 0x00]));
    expect([e.code, e.message]).toEqual(['sm-failure', 'no DO8E']);
    expect(spy).not.toHaveBeenCalled();
  });

  it('no DO99 is accepted for an outer 9000 only: an authentic 6282 or 6A82 without DO99 is refused', () => {
    const dos = new Uint8Array([0x87, 9, 0x01, ...encrypted('01')]);
    const mac = macOf(RESPONSE_SSC, dos);
    for (const sw of [[0x62, 0x82], [0x6a, 0x82]]) {
      const e = failure(atExample(), new Uint8Array([...dos, 0x8e, 8, ...mac, ...sw]));
      expect([e.code, e.message]).toEqual(['sm-failure', 'no DO99']);
    }
    expect(toHex(atExample().unwrap(new Uint8Array([...dos, 0x8e, 8, ...mac, 0x90, 0x00])))).toBe('019000');
  });

  it('a DO99 of 1 or 3 bytes is refused even under an authentic MAC (the status word is 2 bytes)', () => {
    for (const do99 of [[0x99, 1, 0x90], [0x99, 3, 0x90, 0x00, 0x00]]) {
      const dos = new Uint8Array([0x87, 9, 0x01, ...encrypted('01'), ...do99]);
      const e = failure(atExample(), new Uint8Array([...dos, 0x8e, 8, ...macOf(RESPONSE_SSC, dos), 0x90, 0x00]));
      expect([e.code, e.message]).toEqual(['sm-failure', 'DO99 length']);
    }
  });

  it('DO8E alone (a MAC over the SSC only) with an outer 9000 opens to 9000; changed, it is refused', () => {
    const mac = macOf(RESPONSE_SSC, new Uint8Array(0));
    expect(toHex(atExample().unwrap(new Uint8Array([0x8e, 8, ...mac, 0x90, 0x00])))).toBe('9000');
    mac[7] ^= 1;
    expect(failure(atExample(), new Uint8Array([0x8e, 8, ...mac, 0x90, 0x00])).message).toBe('MAC does not verify');
  });

  it('the MAC it computed is wiped after the comparison, whether it matched or not', () => {
    const good = atExample();
    const bad = atExample();
    const computed: Uint8Array[] = [];
    const finish = RetailMac.prototype.finish;
    vi.spyOn(RetailMac.prototype, 'finish').mockImplementation(function (this: RetailMac, out?: Uint8Array, at?: number) {
      const r = finish.call(this, out, at);
      if (!out) computed.push(r);
      return r;
    });
    good.unwrap(hex(EX.protectedResponse));
    const forged = hex(EX.protectedResponse);
    forged[forged.length - 3] ^= 1;
    failure(bad, forged);
    expect(computed).toHaveLength(2);
    for (const mac of computed) expect(toHex(mac)).toBe('0000000000000000');
  });

  it('after a MAC failure the session opens nothing, not even the genuine response', () => {
    const sm = atExample();
    const forged = hex(EX.protectedResponse);
    forged[forged.length - 3] ^= 1;
    expect(failure(sm, forged).message).toBe('MAC does not verify');
    const e = failure(sm, hex(EX.protectedResponse));
    expect([e.code, e.message]).toEqual(['sm-failure', 'secure messaging session has ended']);
    expect(sm.ssc.every((b) => b === 0)).toBe(true);
  });
});
