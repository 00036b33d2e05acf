import { createHash, constants, generateKeyPairSync, publicDecrypt, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeApdu } from './apdu';
import { fromHex, hex } from './bac-crypto';
import { ReferenceReader, ReaderError, oddOffset, stripDo53 } from './reference-reader';
import { VirtualPassport, type PassportOptions } from './virtual-passport';
import { READ_BINARY_BASE_MS, READ_BINARY_MS_PER_BYTE } from './passport-options';
import { encodeDg14ActiveAuth } from '../document/lds';

const MRZ = { documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' };
const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');
const RND_IFD = fromHex('781723860C06C226');
const K_IFD = fromHex('0B795240CB7049B01C19B33E32804F0B');

/** Deterministic random source: a counter, so tests are repeatable. */
function counterRandom(): (n: number) => Uint8Array {
  let c = 1;
  return (n) => Uint8Array.from({ length: n }, () => (c = (c * 73 + 41) & 0xff));
}

function bigFile(n: number): Uint8Array {
  const f = Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
  // a TLV header 75 82 LL LL so readers can size it
  f[0] = 0x75;
  f[1] = 0x82;
  f[2] = ((n - 4) >> 8) & 0xff;
  f[3] = (n - 4) & 0xff;
  return f;
}

function setup(options: PassportOptions = {}, files: { [id: number]: Uint8Array } = { 0x1e: EF_COM }) {
  const card = new VirtualPassport(files, MRZ, { random: counterRandom(), ...options });
  const reader = new ReferenceReader((a) => card.transceive(a)?.response ?? null);
  return { card, reader };
}

function open(options: PassportOptions = {}, files?: { [id: number]: Uint8Array }) {
  const s = setup(options, files);
  expect(s.reader.selectApplication().sw).toBe(0x9000);
  s.reader.bac(MRZ, RND_IFD, K_IFD);
  return s;
}

function sw(r: Uint8Array | null): string {
  if (!r) return 'none';
  return hex(r.subarray(r.length - 2));
}

describe('identity', () => {
  it('type A: random UID starting 08, SAK 20, ATQA 00 04, ATS allowing 424 kbps', () => {
    const a = new VirtualPassport({}, MRZ).identity;
    const b = new VirtualPassport({}, MRZ).identity;
    if (a.type !== 'A' || b.type !== 'A') throw new Error('type');
    expect(a.uid.length).toBe(4);
    expect(a.uid[0]).toBe(0x08);
    expect(hex(a.uid)).not.toBe(hex(b.uid));
    expect(a.sak).toBe(0x20);
    expect(hex(a.atqa)).toBe('0004');
    expect(hex(a.ats)).toBe('0578779402');
  });

  it('type B on request, PUPI from the injected random source', () => {
    const id = new VirtualPassport({}, MRZ, { type: 'B', uid: fromHex('01020304') }).identity;
    if (id.type !== 'B') throw new Error('type');
    expect(hex(id.atqb)).toBe('5001020304000000007781' + '91');
  });
});

describe('files and access control', () => {
  it('refuses files before the application is selected and absent files', () => {
    const { card, reader } = setup();
    expect(reader.selectFile(0x011e).sw).toBe(0x6a82);
    reader.selectApplication();
    expect(reader.selectFile(0x011e).sw).toBe(0x9000);
    expect(reader.selectFile(0x0103).sw).toBe(0x6a82);
    expect(sw(card.transceive(fromHex('00A4040C07A0000002471002'))?.response ?? null)).toBe('6A82');
  });

  it('refuses a plain READ BINARY before BAC', () => {
    const { reader } = setup();
    reader.selectApplication();
    reader.selectFile(0x011e);
    expect(reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }).sw).toBe(0x6982);
  });

  it('reads plainly when BAC is not required', () => {
    const { reader } = setup({ requireBac: false });
    reader.selectApplication();
    expect(hex(reader.readFile(0x011e))).toBe(hex(EF_COM));
  });

  it('wrong MRZ: MUTUAL AUTHENTICATE refused with 6300, or 6982 when configured', () => {
    const { reader } = setup();
    reader.selectApplication();
    const wrong = { ...MRZ, documentNumber: 'L898902C4' };
    expect(() => reader.bac(wrong, RND_IFD, K_IFD)).toThrow(expect.objectContaining({ code: 'BAC_REFUSED', sw: 0x6300 }));
    const b = setup({ bacFailureSw: 0x6982 });
    expect(() => b.reader.bac({ ...MRZ, dateOfBirth: '690807' }, RND_IFD, K_IFD)).toThrow(expect.objectContaining({ sw: 0x6982 }));
  });

  it('MUTUAL AUTHENTICATE without a challenge: 6985', () => {
    const { card } = setup();
    const r = card.transceive(encodeApdu({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: new Uint8Array(40), ne: 40 }));
    expect(sw(r!.response)).toBe('6985');
  });

  it('a plain READ BINARY after BAC is refused and ends the session', () => {
    const { card, reader } = open();
    expect(reader.selectFile(0x011e).sw).toBe(0x9000);
    expect(card.secureMessaging).toBe(true);
    expect(sw(card.transceive(fromHex('00B0000004'))!.response)).toBe('6982');
    expect(card.secureMessaging).toBe(false);
    // The reader's keys are now useless: the chip no longer speaks SM.
    expect(() => reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 })).toThrow(ReaderError);
  });

  it('a wrong command MAC answers 6988 and ends the session', () => {
    const { card, reader } = open();
    const cmd = fromHex('0CB000000D9701048E08ED6705417E96BA5500');
    expect(sw(card.transceive(cmd)!.response)).toBe('6988');
    expect(card.secureMessaging).toBe(false);
    expect(() => reader.selectFile(0x011e)).toThrow(expect.objectContaining({ code: 'SM_UNPROTECTED', sw: 0x6882 }));
  });

  it('a protected command without DO8E answers 6987 and ends the session', () => {
    const { card } = open();
    expect(sw(card.transceive(fromHex('0CB000000397010400'))!.response)).toBe('6987');
    expect(card.secureMessaging).toBe(false);
  });

  it('reads by short EF identifier, Le 00 meaning 256, and B1 past offset 32767', () => {
    const big = bigFile(40000);
    const { reader } = open({}, { 0x1e: EF_COM, 0x02: big });
    const sfi = reader.send({ cla: 0, ins: 0xb0, p1: 0x9e, p2: 0x00, ne: 4 });
    expect(hex(sfi.data)).toBe('60145F01');
    reader.selectFile(0x0102);
    const full = reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 });
    expect(full.data.length).toBe(256);
    const far = reader.send({ cla: 0, ins: 0xb1, p1: 0, p2: 0, data: oddOffset(39990), ne: 100 });
    expect(far.sw).toBe(0x9000);
    expect(hex(stripDo53(far.data))).toBe(hex(big.subarray(39990)));
    expect(hex(reader.readFile(0x0102))).toBe(hex(big));
  });

  it('reading past the end: 6B00; a short read is 9000, or 6282 when configured', () => {
    const { reader, card } = open();
    reader.selectFile(0x011e);
    expect(reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 30, ne: 4 }).sw).toBe(0x6b00);
    const short = reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 20, ne: 8 });
    expect([hex(short.data), short.sw]).toEqual(['6175', 0x9000]);
    card.configure({ shortReadSw: 0x6282 });
    expect(reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 20, ne: 8 }).sw).toBe(0x6282);
    expect(reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 22, ne: 8 }).sw).toBe(0x6282);
  });
});

describe('length limits', () => {
  it('an Le above maxLe is refused with 6700 or 6Cxx, and the reader can adapt', () => {
    const big = bigFile(1000);
    const { reader, card } = open({ maxLe: 0xa0, oversizedLe: '6Cxx' }, { 0x02: big });
    reader.selectFile(0x0102);
    const r = reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 0xdf });
    expect(r.sw).toBe(0x6ca0);
    const again = reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: r.sw & 0xff });
    expect(hex(again.data)).toBe(hex(big.subarray(0, 0xa0)));
    card.configure({ oversizedLe: '6700' });
    expect(reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 0xdf }).sw).toBe(0x6700);
    expect(hex(reader.readFile(0x0102, 0xa0))).toBe(hex(big));
  });

  it('extended length: refused by default, served when configured', () => {
    const big = bigFile(3000);
    const plain = setup({ requireBac: false }, { 0x02: big });
    plain.reader.selectApplication();
    plain.reader.selectFile(0x0102);
    expect(plain.reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 2000, extended: true }).sw).toBe(0x6700);
    const ext = open({ extendedLength: true }, { 0x02: big });
    ext.reader.selectFile(0x0102);
    const r = ext.reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 2000, extended: true });
    expect([r.sw, r.data.length]).toEqual([0x9000, 2000]);
  });
});

describe('test behaviours', () => {
  it('card removed after N response bytes: no more answers, not present', () => {
    const { card, reader } = setup({ removedAfterBytes: 30 });
    reader.selectApplication(); // 2 bytes
    const ch = card.transceive(fromHex('0084000008')); // 10 bytes, 12 in all
    expect(ch).not.toBeNull();
    expect(card.stats.bytesSent).toBe(12);
    card.transceive(fromHex('0084000008')); // 22
    expect(card.transceive(fromHex('0084000008'))).toBeNull(); // would be 32
    expect(card.isPresent()).toBe(false);
    expect(card.transceive(fromHex('00A4040C07A0000002471001'))).toBeNull();
    card.configure({ removedAfterBytes: undefined });
    card.insert();
    expect(card.isPresent()).toBe(true);
    expect(sw(card.transceive(fromHex('00A4040C07A0000002471001'))!.response)).toBe('9000');
  });

  it('a corrupted response or a wrong response MAC is caught by the reader', () => {
    const a = open({ corruptResponse: { index: 4 } }); // select, challenge, mutual auth, then this
    expect(() => a.reader.selectFile(0x011e)).toThrow(expect.objectContaining({ code: 'SM_MAC' }));
    const b = open({ wrongMacResponse: 2 });
    expect(b.reader.selectFile(0x011e).sw).toBe(0x9000);
    expect(() => b.reader.send({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 })).toThrow(expect.objectContaining({ code: 'SM_MAC' }));
  });

  it('mutateResponse has the last word', () => {
    const seen: string[] = [];
    const { card } = setup({ mutateResponse: (apdu) => (seen.push(hex(apdu)), Uint8Array.of(0x6f, 0x00)) });
    expect(hex(card.transceive(fromHex('0084000008'))!.response)).toBe('6F00');
    expect(seen).toEqual(['0084000008']);
  });

  it('processing time per APDU, one figure or per command kind', () => {
    const { card } = setup({ processingMs: { getChallenge: 7 } });
    expect(card.transceive(fromHex('0084000008'))!.processingMs).toBe(7);
    expect(card.transceive(fromHex('00A4040C07A0000002471001'))!.processingMs).toBe(4);
    card.configure({ processingMs: 1 });
    expect(card.transceive(fromHex('0084000008'))!.processingMs).toBe(1);
  });

  it('READ BINARY time grows with the bytes returned (base + per byte), unless processingMs sets it', () => {
    const { card } = setup({ requireBac: false }, { 0x02: bigFile(600) });
    card.transceive(fromHex('00A4040C07A0000002471001'));
    card.transceive(fromHex('00A4020C020102'));
    const short = card.transceive(fromHex('00B0000004'))!;
    const long = card.transceive(fromHex('00B00000E6'))!;
    expect(short.processingMs).toBeCloseTo(READ_BINARY_BASE_MS + READ_BINARY_MS_PER_BYTE * 6, 9);
    expect(long.processingMs).toBeCloseTo(READ_BINARY_BASE_MS + READ_BINARY_MS_PER_BYTE * 232, 9);
    expect(long.processingMs).toBeGreaterThan(short.processingMs + 4);
    card.configure({ processingMs: { readBinary: 8 } });
    expect(card.transceive(fromHex('00B0000004'))!.processingMs).toBe(8);
  });

  it('deterministic: injected RND.IC and K.IC give the same session twice', () => {
    const opts = { rndIC: fromHex('4608F91988702212'), kIC: fromHex('0B4F80323EB3191CB04970CB4052790B') };
    const x = open(opts);
    const y = open(opts);
    expect(hex(x.reader.session!.ksEnc)).toBe(hex(y.reader.session!.ksEnc));
    expect(hex(x.reader.session!.ssc)).toBe('887022120C06C226');
  });
});

describe('Active Authentication', () => {
  it('RSA: ISO 9796-2 scheme 1 with SHA-1 over the challenge', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const { reader } = open({ activeAuthKey: privateKey });
    const challenge = fromHex('0102030405060708');
    const r = reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 });
    expect(r.sw).toBe(0x9000);
    expect(r.data.length).toBe(128);
    const f = new Uint8Array(publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, r.data));
    expect(f[0]).toBe(0x6a);
    expect(f[127]).toBe(0xbc);
    const m1 = f.subarray(1, 128 - 21);
    const h = createHash('sha1').update(m1).update(challenge).digest();
    expect(hex(f.subarray(128 - 21, 127))).toBe(hex(h));
  });

  it('ECDSA: plain r||s, and refused without BAC', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const s = setup({ activeAuthKey: privateKey });
    s.reader.selectApplication();
    expect(s.reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: new Uint8Array(8), ne: 256 }).sw).toBe(0x6982);
    s.reader.bac(MRZ, RND_IFD, K_IFD);
    const r = s.reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: new Uint8Array(8), ne: 256 });
    expect(r.data.length).toBe(64);
    expect(verify('sha1', new Uint8Array(8), { key: publicKey, dsaEncoding: 'ieee-p1363' }, r.data)).toBe(true);
  });

  it('RSA with SHA-256: trailer 34 CC', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const { reader } = open({ activeAuthKey: privateKey, activeAuthRsaHash: 'sha256' });
    const challenge = fromHex('0807060504030201');
    const f = new Uint8Array(publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 }).data));
    expect([f[0], f[126], f[127]]).toEqual([0x6a, 0x34, 0xcc]);
    const h = createHash('sha256').update(f.subarray(1, 128 - 34)).update(challenge).digest();
    expect(hex(f.subarray(128 - 34, 126))).toBe(hex(h));
  });

  it('ECDSA with the hash its own DG14 names', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const dg14 = encodeDg14ActiveAuth('sha384');
    const { reader } = open({ activeAuthKey: privateKey }, { 0x1e: EF_COM, 14: dg14 });
    const r = reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: new Uint8Array(8), ne: 256 });
    expect(verify('sha384', new Uint8Array(8), { key: publicKey, dsaEncoding: 'ieee-p1363' }, r.data)).toBe(true);
  });

  it('RSA-2048 under SM: a short Le cannot carry the answer (6700); an extended command gets it', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { reader } = open({ activeAuthKey: privateKey, extendedLength: true });
    expect(reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: new Uint8Array(8), ne: 256 }).sw).toBe(0x6700);
    const r = reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: new Uint8Array(8), ne: 65536, extended: true });
    expect(r).toMatchObject({ sw: 0x9000 });
    expect(r.data.length).toBe(256);
  });

  it('a clone signs wrongly; a refusing chip answers 6D00 or 6982', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { reader, card } = open({ activeAuthKey: privateKey, activeAuthEcHash: 'sha256', activeAuthFault: 'wrong-signature' });
    const aa = () => reader.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: new Uint8Array(8), ne: 256 });
    const r = aa();
    expect(r.sw).toBe(0x9000);
    expect(verify('sha256', new Uint8Array(8), { key: publicKey, dsaEncoding: 'ieee-p1363' }, r.data)).toBe(false);
    card.configure({ activeAuthFault: undefined });
    expect(verify('sha256', new Uint8Array(8), { key: publicKey, dsaEncoding: 'ieee-p1363' }, aa().data)).toBe(true);
    card.configure({ activeAuthFault: 'refuse' });
    expect(aa()).toMatchObject({ sw: 0x6d00, data: new Uint8Array(0) });
    card.configure({ activeAuthRefusalSw: 0x6982 });
    expect(aa().sw).toBe(0x6982);
  });
});

describe('status words', () => {
  it('malformed APDU 6700, unknown CLA 6E00, unknown INS 6D00, SM without a session 6882', () => {
    const { card } = setup();
    const t = (h: string) => sw(card.transceive(fromHex(h))!.response);
    expect(t('00A4040C07A00000024710')).toBe('6700');
    expect(t('80A4040C07A0000002471001')).toBe('6E00');
    expect(t('00CA000000')).toBe('6D00');
    expect(t('0CB000000D9701048E08ED6705417E96BA5500')).toBe('6882');
  });

  it('SELECT with P2 00 returns an FCP with the file size', () => {
    const { reader } = setup();
    reader.selectApplication();
    const r = reader.send({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x00, data: Uint8Array.of(0x01, 0x1e), ne: 256 });
    expect(hex(r.data)).toBe('620B80020016820101830201' + '1E');
  });

  it('errors inside secure messaging are protected, or plain with plainErrors', () => {
    const a = open();
    expect(a.reader.selectFile(0x0105).sw).toBe(0x6a82);
    expect(a.card.secureMessaging).toBe(true);
    const b = open({ plainErrors: true });
    expect(() => b.reader.selectFile(0x0105)).toThrow(expect.objectContaining({ code: 'SM_UNPROTECTED', sw: 0x6a82 }));
    expect(b.card.secureMessaging).toBe(true);
  });
});

describe('malformed input', () => {
  it('any byte string gets a status word, in plain and inside a session, never an exception', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, inSession) => {
      const { card } = inSession ? open() : setup();
      const r = card.transceive(bytes);
      expect(r).not.toBeNull();
      expect(r!.response.length).toBeGreaterThanOrEqual(2);
    }), { numRuns: 300 });
  });

  it('protected commands with random data objects are refused and end the session', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 60 }), (body) => {
      const { card } = open();
      const r = card.transceive(encodeApdu({ cla: 0x0c, ins: 0xb0, p1: 0, p2: 0, data: body, ne: 256 }))!;
      expect(['6987', '6988']).toContain(sw(r.response));
      expect(card.secureMessaging).toBe(false);
    }), { numRuns: 200 });
  });
});
