// The virtual chip's PACE (ECDH-GM, AES-128, brainpoolP256r1) against ICAO 9303 Part 11
// Appendix G.1, byte for byte, driven by a terminal written here over ec-curves/node:crypto; then
// AES secure messaging and Chip Authentication; CMAC against RFC 4493 (NIST SP 800-38B) examples.
import { createECDH, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import g1 from '../../../firmware/test-data/icao9303-part11-appendix-g1.json';
import { fromHex, hex } from './bac-crypto';
import { add, BRAINPOOL_P256R1, bytesToBigInt, decodePoint, encodePoint, generator, multiply, NIST_P256 } from './ec-curves';
import { aesCmac, authenticationToken, kdf, mrzPassword, nonceCipher, passwordKey } from './pace-crypto';
import { CA_ECDH_AES_128, encodeCardAccess, encodeDg14ChipAuth, oidContent, paceInfo, PACE_ECDH_GM_AES_128 } from './security-infos';
import { VirtualPassport } from './virtual-passport';
import { unwrapResponse, wrapCommand } from './secure-messaging';
import { AES_SM } from './sm-cipher';
import type { SessionKeys } from './bac-crypto';

const C = BRAINPOOL_P256R1;
const MRZ = { documentNumber: g1.mrz.documentNumber, dateOfBirth: g1.mrz.dateOfBirth, dateOfExpiry: g1.mrz.dateOfExpiry };
const SUITE = { cipher: 'aes', keyLength: 16 } as const;
const CARD_ACCESS = encodeCardAccess([paceInfo(PACE_ECDH_GM_AES_128, 13)]);
const EF_COM = fromHex('60145F0104303130365F36063034303030305C026175');

function chip(extra: Partial<ConstructorParameters<typeof VirtualPassport>[2]> = {}, files: { [k: number]: Uint8Array } = {}): VirtualPassport {
  return new VirtualPassport({ 0x1c: CARD_ACCESS, 0x1e: EF_COM, ...files }, MRZ, {
    paceNonce: fromHex(g1.nonce), paceMapKey: fromHex(g1.skMapIc), paceDhKey: fromHex(g1.skDhIc), ...extra,
  });
}

function tx(card: VirtualPassport, apdu: string | Uint8Array): string {
  const r = card.transceive(typeof apdu === 'string' ? fromHex(apdu) : apdu);
  if (!r) throw new Error('no answer');
  return hex(r.response);
}

const fill = (s: string): string => s.replace(/\{(\w+)\}/g, (_m, k: string) => (g1 as unknown as Record<string, string>)[k]);

/** A PACE terminal over ec-curves with the G.1 terminal keys; returns the SM keys or the failing SW. */
function runPace(card: VirtualPassport, mrzInfo = g1.mrz.mrzInformation, badToken = false): SessionKeys | string {
  expect(tx(card, g1.commandMseSetAt)).toBe('9000');
  const r1 = tx(card, '10860000027C0000');
  const s = nonceCipher(passwordKey(mrzPassword(mrzInfo), SUITE), fromHex(r1.slice(8, 40)), true);
  const r2 = tx(card, fill('10860000457C438141{pkMapIfd}00'));
  const pkMapIc = decodePoint(C, fromHex(r2.slice(8, 8 + 130)))!;
  const h = multiply(C, bytesToBigInt(fromHex(g1.skMapIfd)), pkMapIc);
  const mapped = add(C, multiply(C, bytesToBigInt(s), generator(C)), h)!;
  const skDh = bytesToBigInt(fromHex(g1.skDhIfd));
  const pkDhIfd = encodePoint(C, multiply(C, skDh, mapped)!);
  const r3 = tx(card, '10860000457C438341' + hex(pkDhIfd) + '00');
  const pkDhIc = fromHex(r3.slice(8, 8 + 130));
  const k = multiply(C, skDh, decodePoint(C, pkDhIc)!)!;
  const secret = fromHex(k.x.toString(16).padStart(64, '0'));
  const keys: SessionKeys = { ksEnc: kdf(secret, 1, SUITE), ksMac: kdf(secret, 2, SUITE), ssc: new Uint8Array(16), cipher: AES_SM };
  const oid = fromHex(g1.paceOid);
  const token = authenticationToken(keys.ksMac, oid, pkDhIc);
  if (badToken) token[0] ^= 1;
  const r4 = tx(card, '008600000C7C0A8508' + hex(token) + '00');
  if (!r4.endsWith('9000')) return r4;
  expect(r4.slice(8, 24)).toBe(hex(authenticationToken(keys.ksMac, oid, pkDhIfd)));
  return keys;
}

describe('AES-CMAC (RFC 4493 examples, NIST SP 800-38B)', () => {
  const key = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
  const msg = fromHex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710');
  it.each([[0, 'BB1D6929E95937287FA37D129B756746'], [16, '070A16B46B4D4144F79BDD9DD04A287C'], [40, 'DFA66747DE9AE63030CA32611497C827'], [64, '51F0BEBF7E3B9D92FC49741779363CFE']])('%i bytes', (n, tag) => {
    expect(hex(aesCmac(key, msg.subarray(0, n)))).toBe(tag);
  });
});

describe('curves against node:crypto', () => {
  it.each([[BRAINPOOL_P256R1, 'brainpoolP256r1'], [NIST_P256, 'prime256v1']] as const)('%s generator', (curve, name) => {
    const e = createECDH(name);
    e.generateKeys();
    const q = multiply(curve, bytesToBigInt(e.getPrivateKey()), generator(curve))!;
    expect(hex(encodePoint(curve, q))).toBe(hex(e.getPublicKey()));
    expect(multiply(curve, curve.n, generator(curve))).toBeNull();
  });
});

describe('PACE on the virtual chip against ICAO 9303-11 Appendix G.1', () => {
  it('derives Kπ, the nonce, the mapped generator and the tokens as published', () => {
    const kPi = passwordKey(mrzPassword(g1.mrz.mrzInformation), SUITE);
    expect(hex(kPi)).toBe(g1.kPi);
    expect(hex(nonceCipher(kPi, fromHex(g1.encryptedNonce), true))).toBe(g1.nonce);
    const h = multiply(C, bytesToBigInt(fromHex(g1.skMapIc)), decodePoint(C, fromHex(g1.pkMapIfd))!);
    expect(hex(encodePoint(C, h!))).toBe(g1.sharedPointH);
    const mapped = add(C, multiply(C, bytesToBigInt(fromHex(g1.nonce)), generator(C)), h)!;
    expect(hex(encodePoint(C, mapped))).toBe(g1.mappedGenerator);
    expect(hex(authenticationToken(fromHex(g1.ksMac), fromHex(g1.paceOid), fromHex(g1.pkDhIc)))).toBe(g1.tokenIfd);
    expect(hex(authenticationToken(fromHex(g1.ksMac), fromHex(g1.paceOid), fromHex(g1.pkDhIfd)))).toBe(g1.tokenIc);
  });

  it('answers every APDU of the transcript byte for byte', () => {
    const card = chip();
    for (const a of g1.apdus) expect(tx(card, fill(a.command))).toBe(fill(a.response));
    expect(card.secureMessaging).toBe(true);
  });

  it('runs AES secure messaging after PACE (SSC from 0) and refuses plain reads', () => {
    const card = chip();
    expect(tx(card, '00A4040C07A0000002471001')).toBe('9000');
    const keys = runPace(card) as SessionKeys;
    expect(hex(keys.ksEnc)).toBe(g1.ksEnc);
    const sel = wrapCommand(keys, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E'), ne: null, extended: false });
    expect(unwrapResponse(keys, fromHex(tx(card, sel)))).toMatchObject({ ok: true, sw: 0x9000 });
    const rd = wrapCommand(keys, { cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(0), ne: 0x20, extended: false });
    const r = unwrapResponse(keys, fromHex(tx(card, rd)));
    expect(r.ok && hex(r.data)).toBe(hex(EF_COM));
  });

  it('fails the token check with a wrong password (6300) and a wrong terminal token', () => {
    expect(runPace(chip(), 'T22000129364081251010319')).toBe('6300');
    expect(runPace(chip(), undefined, true)).toBe('6300');
    expect(runPace(chip({ paceFailureSw: 0x6982 }), undefined, true)).toBe('6982');
  });

  it('refuses the mapping, unknown OIDs and BAC on a PACE-only chip', () => {
    expect(tx(chip({ paceFault: 'refuse-mapping' }), g1.commandMseSetAt)).toBe('6A80');
    expect(tx(chip(), '0022C1A40F800A04007F00070202040201830101')).toBe('6A80'); // 3DES suite
    const only = chip({ bacRefusedSw: 0x6d00 });
    expect(tx(only, '0084000008')).toBe('6D00');
    expect(tx(only, '00A4020C02011C')).toBe('9000');
    expect(tx(only, '00B0000000')).toBe(hex(CARD_ACCESS) + '9000');
  });

  it('rejects malformed GENERAL AUTHENTICATE data and an off-curve point', () => {
    const card = chip();
    tx(card, g1.commandMseSetAt);
    expect(tx(card, '10860000037C01FF00')).toBe('6A80');
    tx(card, g1.commandMseSetAt);
    tx(card, '10860000027C0000');
    const bad = fill('{pkMapIfd}').slice(0, -2) + '00';
    expect(tx(card, '10860000457C438141' + bad + '00')).toBe('6A80');
  });
});

describe('Chip Authentication on the virtual chip (ECDH, AES-128, MSE:Set AT + GA)', () => {
  const ca = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
  const dg14 = encodeDg14ChipAuth(ca.publicKey);

  function caRun(fault?: 'wrong-key' | 'refuse'): string {
    const card = chip({ chipAuthKey: ca.privateKey, chipAuthFault: fault }, { 0x0e: dg14 });
    tx(card, '00A4040C07A0000002471001');
    const keys = runPace(card) as SessionKeys;
    const oid = oidContent(CA_ECDH_AES_128);
    const mse = wrapCommand(keys, { cla: 0, ins: 0x22, p1: 0x41, p2: 0xa4, data: Uint8Array.of(0x80, oid.length, ...oid), ne: null, extended: false });
    const m = unwrapResponse(keys, fromHex(tx(card, mse)));
    if (!m.ok || m.sw !== 0x9000) return 'mse ' + m.sw.toString(16);
    const eph = createECDH('brainpoolP256r1');
    eph.generateKeys();
    const pk = eph.getPublicKey();
    const ga = wrapCommand(keys, { cla: 0, ins: 0x86, p1: 0, p2: 0, data: Uint8Array.of(0x7c, pk.length + 2, 0x80, pk.length, ...pk), ne: 256, extended: false });
    const g = unwrapResponse(keys, fromHex(tx(card, ga)));
    expect(g).toMatchObject({ ok: true, sw: 0x9000 });
    const chipPoint = fromHex(hex(new Uint8Array(ca.publicKey.export({ format: 'der', type: 'spki' }))).slice(-130));
    const secret = new Uint8Array(eph.computeSecret(chipPoint));
    const next: SessionKeys = { ksEnc: kdf(secret, 1, SUITE), ksMac: kdf(secret, 2, SUITE), ssc: new Uint8Array(16), cipher: AES_SM };
    const rd = wrapCommand(next, { cla: 0, ins: 0xb0, p1: 0x9e, p2: 0, data: new Uint8Array(0), ne: 4, extended: false });
    const r = unwrapResponse(next, fromHex(tx(card, rd)));
    return r.ok ? 'read ' + hex(r.data) : 'sm ' + r.sw.toString(16);
  }

  it('restarts secure messaging with the CA keys', () => {
    expect(caRun()).toBe('read 60145F01');
  });
  it('a clone without the DG14 key fails on the next protected exchange; a refusal is 6A80', () => {
    expect(caRun('wrong-key')).not.toMatch(/^read/);
    expect(caRun('refuse')).toBe('mse 6a80');
  });
});
