// Published vectors run on the blob's exact bytes under an emulated Cortex-M4, at two load
// addresses: ICAO 9303 Part 11 Appendix D (BAC 3DES and retail MACs, secure messaging), FIPS
// 180-4 / NIST CSRC example values for SHA-1/224/256/384/512, the CRC-16/CCITT-FALSE check
// value, COBS edge cases, the PN532 checksum, wipe and argument checks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc16 } from '../../protocol/src/crc16';
import { pad } from '../src/crypto/padding';
import { LOAD_ADDRESSES, emulatorMissing, runOpsAsync, toolGate, type Op } from './emu/emulator';

const icao = JSON.parse(readFileSync(new URL('../test-data/icao9303-part11-appendix-d.json', import.meta.url), 'utf8'));
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const run = toolGate(emulatorMissing());

/** Simple TLVs (one-byte tags, short or 81 lengths) of an SM body. */
function tlvs(b: Uint8Array): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (let i = 0; i < b.length;) {
    const tag = b[i++];
    let len = b[i++];
    if (len === 0x81) len = b[i++];
    out.set(tag, b.subarray(i, i + len));
    i += len;
  }
  return out;
}

const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
/** A MAC input split unevenly into whole blocks, so mac_update is tested streaming. */
const blocks = (b: Uint8Array): string[] => (b.length > 8 ? [toHex(b.subarray(0, 8)), toHex(b.subarray(8))] : [toHex(b)]);

interface Case { name: string; op: Op; check: (r: Record<string, unknown>) => void }
const cases: Case[] = [];
const add = (name: string, op: Op, check: (r: Record<string, unknown>) => void): void => { cases.push({ name, op, check }); };

// --- ICAO 9303 Part 11 Appendix D ---
const ma = icao.mutualAuthentication;
const kEnc = icao.keyDerivation.kEnc;
const kMac = icao.keyDerivation.kMac;
add('BAC: E(Kenc, S) = eIFD', { op: 'des_cbc', key: kEnc, iv: '0000000000000000', data: ma.S, decrypt: false },
  (r) => expect((r.out as string).toUpperCase()).toBe(ma.eIFD));
add('BAC: MAC(Kmac, eIFD) = mIFD', { op: 'mac', key: kMac, chunks: blocks(pad(hex(ma.eIFD))) },
  (r) => expect((r.mac as string).toUpperCase()).toBe(ma.mIFD));
const resp = hex(ma.responseData);
add('BAC: D(Kenc, eIC) = RND.IC || RND.IFD || K.IC', { op: 'des_cbc', key: kEnc, iv: '0000000000000000', data: toHex(resp.subarray(0, 32)), decrypt: true },
  (r) => expect((r.out as string).toUpperCase()).toBe(ma.decryptedResponse));
add('BAC: MAC(Kmac, eIC) = mIC', { op: 'mac', key: kMac, chunks: blocks(pad(resp.subarray(0, 32))) },
  (r) => expect(r.mac).toBe(toHex(resp.subarray(32, 40))));
add('key derivation: SHA-1 of the MRZ information', { op: 'hash', name: 'sha1', chunks: [ascii(icao.mrz.mrzInformation)] },
  (r) => expect((r.digest as string).toUpperCase()).toBe(icao.keyDerivation.sha1OfMrzInformation));
add('key derivation: SHA-1(Kseed || 00000001) starts with Kenc (before parity)', { op: 'hash', name: 'sha1', chunks: [icao.keyDerivation.kSeed, '00000001'] },
  // Kenc is those 16 bytes with DES parity set: they agree in every bit but the lowest.
  (r) => expect(hex(r.digest as string).subarray(0, 16).map((b) => b & 0xfe)).toEqual(hex(icao.keyDerivation.kEnc).map((b) => b & 0xfe)));
const sk = icao.sessionKeys;
for (const sm of icao.secureMessaging) {
  const cmd = hex(sm.protectedCommand);
  const body = tlvs(cmd.subarray(5, 5 + cmd[4]));
  const header = pad(cmd.subarray(0, 4));
  const macData = cat(hex(sm.sscForCommand), header, ...[0x87, 0x97].filter((t) => body.has(t)).map((t) => {
    const v = body.get(t)!;
    return cat(new Uint8Array([t, v.length]), v);
  }));
  add(`SM ${sm.name}: command MAC`, { op: 'mac', key: sk.ksMac, chunks: blocks(pad(macData)) },
    (r) => expect(r.mac).toBe(toHex(body.get(0x8e)!)));
  if (body.has(0x87)) {
    add(`SM ${sm.name}: command data decrypts`, { op: 'des_cbc', key: sk.ksEnc, iv: '0000000000000000', data: toHex(body.get(0x87)!.subarray(1)), decrypt: true },
      (r) => expect(r.out).toBe(toHex(pad(hex(sm.plainCommand).subarray(5, 5 + hex(sm.plainCommand)[4])))));
  }
  const rsp = hex(sm.protectedResponse);
  const rbody = tlvs(rsp.subarray(0, rsp.length - 2));
  const rmac = cat(hex(sm.sscForResponse), ...[0x87, 0x99].filter((t) => rbody.has(t)).map((t) => {
    const v = rbody.get(t)!;
    return cat(new Uint8Array([t, v.length]), v);
  }));
  add(`SM ${sm.name}: response MAC`, { op: 'mac', key: sk.ksMac, chunks: blocks(pad(rmac)) },
    (r) => expect(r.mac).toBe(toHex(rbody.get(0x8e)!)));
  if (rbody.has(0x87)) {
    add(`SM ${sm.name}: response data decrypts`, { op: 'des_cbc', key: sk.ksEnc, iv: '0000000000000000', data: toHex(rbody.get(0x87)!.subarray(1)), decrypt: true },
      (r) => expect(r.out).toBe(toHex(pad(hex(sm.plainResponseData)))));
  }
}

// --- FIPS 180-4 examples (NIST CSRC "Cryptographic Standards and Guidelines: Examples with
// Intermediate Values", SHA1.pdf, SHA224.pdf, SHA256.pdf, SHA384.pdf, SHA512.pdf) ---
const abc = ascii('abc');
const two448 = ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
const two896 = ascii('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu');
const NIST: [string, string[], string][] = [
  ['sha1', [abc], 'a9993e364706816aba3e25717850c26c9cd0d89d'],
  ['sha1', [two448], '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
  ['sha1', [], 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['sha224', [abc], '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
  ['sha224', [two448], '75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525'],
  ['sha256', [abc], 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['sha256', [two448], '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['sha256', [], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['sha384', [abc], 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
  ['sha384', [two896], '09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039'],
  ['sha512', [abc], 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
  ['sha512', [two896], '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909'],
];
for (const [name, chunks, digest] of NIST) {
  add(`FIPS 180-4 ${name} of ${chunks.length ? `${chunks[0].length / 2} bytes` : 'the empty message'}`, { op: 'hash', name, chunks },
    (r) => { expect(r.digest).toBe(digest); expect(r.stateWiped).toBe(true); });
}
// One million 'a' (FIPS 180-4 examples), fed in 1000-byte pieces: long streams and the length field.
const aThousand = '61'.repeat(1000);
for (const [name, digest] of [['sha1', '34aa973cd4c4daa4f61eeb2bdbad27316534016f'],
  ['sha256', 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ['sha512', 'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b']]) {
  add(`FIPS 180-4 ${name} of one million 'a'`, { op: 'hash', name, chunks: new Array(1000).fill(aThousand), long: true },
    (r) => expect(r.digest).toBe(digest));
}

// --- CRC-16/CCITT-FALSE: check value of "123456789" (RevEng CRC catalogue) ---
add('CRC-16/CCITT-FALSE check value 0x29B1', { op: 'crc16', init: 0xffff, data: ascii('123456789') }, (r) => expect(r.crc).toBe(0x29b1));
add('CRC-16 continues across pieces', { op: 'crc16', init: crc16(new Uint8Array(Buffer.from('12345')), 0, 5), data: ascii('6789') }, (r) => expect(r.crc).toBe(0x29b1));
add('CRC-16 of nothing is its initial value', { op: 'crc16', init: 0xffff, data: '' }, (r) => expect(r.crc).toBe(0xffff));

// --- COBS (Cheshire and Baker 1999, the examples of its Wikipedia table) ---
const COBS: [string, string][] = [
  ['', '01'], ['00', '0101'], ['0000', '010101'], ['00110000', '0102110101'], ['11223344', '0511223344'],
  ['11220033', '0311220233'], ['11223300', '0411223301'],
  [Array.from({ length: 254 }, (_, i) => (i + 1).toString(16).padStart(2, '0')).join(''), 'ff' + Array.from({ length: 254 }, (_, i) => (i + 1).toString(16).padStart(2, '0')).join('') + '01'],
  [Array.from({ length: 255 }, (_, i) => ((i + 1) & 0xff).toString(16).padStart(2, '0')).join(''), ''],
];
for (const [plain, encoded] of COBS) {
  if (encoded) {
    add(`COBS encode ${plain.length / 2} bytes`, { op: 'cobs_encode', data: plain }, (r) => expect(r.out).toBe(encoded));
    add(`COBS decode ${encoded.length / 2} bytes`, { op: 'cobs_decode', data: encoded }, (r) => { expect(r.length).toBe(plain.length / 2); expect(r.out).toBe(plain); });
  }
}
add('COBS decode: a zero code byte is invalid', { op: 'cobs_decode', data: '021100' }, (r) => expect(r.length).toBe(-1));
add('COBS decode: a block past the end is invalid', { op: 'cobs_decode', data: '051122' }, (r) => expect(r.length).toBe(-1));
add('COBS decode: nothing decodes to nothing', { op: 'cobs_decode', data: '' }, (r) => expect(r.length).toBe(0));

// --- PN532 data checksum (user manual 6.2.1.1: TFI + PD + DCS = 0 mod 256) ---
add('PN532 DCS of D4 02 (GetFirmwareVersion)', { op: 'dcs', data: 'd402' }, (r) => expect(r.dcs).toBe(0x2a));
add('PN532 DCS of nothing', { op: 'dcs', data: '' }, (r) => expect(r.dcs).toBe(0));
add('PN532 DCS wraps mod 256', { op: 'dcs', data: 'ff'.repeat(300) }, (r) => expect(r.dcs).toBe((0x100 - ((0xff * 300) & 0xff)) & 0xff));

// --- wipe and argument checks ---
add('wipe zeroes exactly its range', { op: 'wipe', data: 'ff'.repeat(40), offset: 3, length: 33 },
  (r) => expect(r.out).toBe('ffffff' + '00'.repeat(33) + 'ffffffff'));
for (const [what, entry, args] of [['des_setkey rejects a 7-byte key', 0, [0, 0, 7]], ['des_cbc rejects a partial block', 1, [0, 0, 12, 0]],
  ['mac_update rejects a partial block', 2, [0, 0, 9]], ['sha512_init rejects 256 bits', 4, [0, 256]], ['sha256_init rejects 512 bits', 12, [0, 512]]] as const) {
  add(what, { op: 'call', entry, args: [...args] }, (r) => expect(r.r0).toBe(-1));
}

describe.skipIf(!run)('native blob on an emulated Cortex-M4: published vectors', () => {
  for (const address of LOAD_ADDRESSES) {
    describe(`loaded at 0x${address.toString(16)}`, () => {
      let results: Record<string, unknown>[] = [];
      it('runs the batch', async () => {
        // The long streams run at the first address only (they take seconds in the emulator).
        const ops = cases.map((c) => (c.op.long && address !== LOAD_ADDRESSES[0] ? { op: 'dcs', data: '' } : c.op));
        results = await runOpsAsync(ops, address);
        expect(results).toHaveLength(cases.length);
      }, 120_000);
      it.each(cases.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
        expect(results[i], 'batch did not run').toBeDefined();
        if (cases[i].op.long && address !== LOAD_ADDRESSES[0]) return;
        cases[i].check(results[i]);
      });
    });
  }
});
