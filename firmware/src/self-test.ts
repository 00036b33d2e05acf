// Self-test entry, bundled from the same sources as the firmware (dist/self-test.js, global
// SelfTest) and run both on the real Espruino interpreter and under Node: each check prints one
// line, "<name> <result>", results in hex. The harness compares the two runs line by line and the
// results with the published values (firmware/test/real-interpreter/self-test.test.ts). The
// vectors and sample files come in as `input` (hex), so the bundle carries only code.

import { cobsDecodeInPlace, cobsEncode, cobsMaxEncodedLength, crc16, decodePayload, encodePayload, FrameDecoder, FrameEncoder, messageCode, type Message } from '@epassport/protocol';
import { DesCipher } from './crypto/des';
import { createHash } from './crypto/hash';
import { retailMac } from './crypto/retail-mac';
import type { ApduCallback, ApduChannel } from './icao/apdu-channel';
import { BacProtocol, buildMutualAuthData, completeBac } from './icao/bac';
import { parseEfCom } from './icao/ef-com';
import { SodHashExtractor } from './icao/ef-sod';
import { readFile } from './icao/file-reader';
import { KDF_ENC, KDF_MAC, deriveKey } from './icao/key-derivation';
import { deriveKeySeed, mrzInformation } from './icao/mrz-key';
import { SecureMessagingChannel } from './icao/secure-messaging';

/**
 * The vectors and sample files, flat, by name: 'mrz.documentNumber', 'sm.1.plainCommand',
 * 'sm.count', 'cobs.1', 'efCom' (hex), ... (see the harness). Read only by computed key: names
 * that cross the bundle's edge must not be shortened by the bundler's property mangling.
 */
export type SelfTestInput = { [name: string]: string };

const HEX = '0123456789ABCDEF';

function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX.charAt(b[i] >> 4) + HEX.charAt(b[i] & 15);
  return s;
}

function fromHex(s: string): Uint8Array {
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(i * 2, 2), 16);
  return out;
}

function join(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (let i = 0; i < parts.length; i++) n += parts[i].length;
  const out = new Uint8Array(n);
  n = 0;
  for (let i = 0; i < parts.length; i++) {
    out.set(parts[i], n);
    n += parts[i].length;
  }
  return out;
}

/** An ApduChannel that answers from a list of [command, response] hex pairs, in order. */
function scriptedChannel(script: string[][], sent: string[]): ApduChannel {
  let step = 0;
  return {
    transceive: (apdu: Uint8Array, callback: ApduCallback) => {
      sent.push(toHex(apdu));
      const s = script[step++];
      if (!s || s[0] !== toHex(apdu)) throw new Error('unexpected APDU ' + sent.length);
      callback(null, fromHex(s[1]));
    },
  };
}

/** A chip with one plain file behind READ BINARY (by short EF identifier, then by offset). */
function fileChip(sfi: number, file: Uint8Array, sent: string[]): ApduChannel {
  return {
    transceive: (apdu: Uint8Array, callback: ApduCallback) => {
      sent.push(toHex(apdu));
      const bySfi = (apdu[2] & 0x80) !== 0;
      if (apdu[1] !== 0xb0 || (bySfi && (apdu[2] & 0x1f) !== sfi)) {
        callback(null, new Uint8Array([0x6a, 0x82]));
        return;
      }
      const offset = bySfi ? apdu[3] : (apdu[2] << 8) | apdu[3];
      const le = apdu[apdu.length - 1] || 256;
      callback(null, join([file.subarray(offset, offset + le), new Uint8Array([0x90, 0x00])]));
    },
  };
}

function bacChecks(v: (name: string) => string, out: (name: string, value: string) => void): void {
  const mrz = {
    documentNumber: v('mrz.documentNumber'), dateOfBirth: v('mrz.dateOfBirth'), dateOfExpiry: v('mrz.dateOfExpiry'),
    checkDigits: v('mrz.documentNumberCheck') + v('mrz.dateOfBirthCheck') + v('mrz.dateOfExpiryCheck'),
  };
  const rndIc = v('mutualAuthentication.rndIC');
  const responseData = v('mutualAuthentication.responseData');
  out('mrz-information', mrzInformation(mrz));
  const seed = deriveKeySeed(mrz);
  const kEnc = deriveKey(seed, KDF_ENC);
  const kMac = deriveKey(seed, KDF_MAC);
  out('bac-k-seed', toHex(seed));
  out('bac-k-enc', toHex(kEnc));
  out('bac-k-mac', toHex(kMac));
  const s = fromHex(v('mutualAuthentication.S'));
  out('bac-e-ifd', toHex(new DesCipher(kEnc).cbcEncrypt(null, s)));
  out('bac-m-ifd', toHex(retailMac(kMac, fromHex(v('mutualAuthentication.eIFD')))));
  out('bac-command-data', toHex(buildMutualAuthData(kEnc, kMac, s)));
  const rndIfd = fromHex(v('mutualAuthentication.rndIFD'));
  const kIfd = fromHex(v('mutualAuthentication.kIFD'));
  const keys = completeBac(kEnc, kMac, rndIfd, fromHex(rndIc), kIfd, fromHex(responseData));
  out('bac-session-keys', toHex(keys.ksEnc) + ' ' + toHex(keys.ksMac) + ' ' + toHex(keys.ssc));
  const exchanges = +v('sm.count');

  // The whole protocol over a scripted chip: exact APDUs, then the three protected exchanges.
  const sent: string[] = [];
  const script = [['0084000008', rndIc + '9000'], ['', responseData + '9000']];
  const randoms = [rndIfd, kIfd];
  const chip = scriptedChannel(script, sent);
  // The MUTUAL AUTHENTICATE command is what the example prints; fill it in from our own data.
  script[1][0] = '0082000028' + toHex(buildMutualAuthData(kEnc, kMac, s)) + '28';
  for (let i = 1; i <= exchanges; i++) script.push([v('sm.' + i + '.protectedCommand'), v('sm.' + i + '.protectedResponse')]);
  new BacProtocol(chip, () => randoms.shift() as Uint8Array).authenticate(seed, (err, sm) => {
    if (err || !sm) {
      out('bac-protocol', 'error ' + (err ? err.code : 'none'));
      return;
    }
    out('bac-protocol', sent.join(',') + ' ssc ' + toHex(sm.ssc));
    for (let i = 1; i <= exchanges; i++) {
      sm.transceive(fromHex(v('sm.' + i + '.plainCommand')), (e, r) => {
        out('sm-transceive-' + i, e ? 'error ' + e.code : toHex(r as Uint8Array) + ' ssc ' + toHex(sm.ssc));
      });
    }
  });

  // wrap / unwrap alone, from the session keys of the example.
  const sm = new SecureMessagingChannel({ transceive: () => undefined }, fromHex(v('sessionKeys.ksEnc')), fromHex(v('sessionKeys.ksMac')), fromHex(v('sessionKeys.ssc')));
  for (let i = 1; i <= exchanges; i++) {
    const wrapped = toHex(sm.wrap(fromHex(v('sm.' + i + '.plainCommand'))));
    out('sm-wrap-' + i, wrapped + ' ssc ' + toHex(sm.ssc));
    out('sm-unwrap-' + i, toHex(sm.unwrap(fromHex(v('sm.' + i + '.protectedResponse')))) + ' ssc ' + toHex(sm.ssc));
  }
}

function framingChecks(v: (name: string) => string, out: (name: string, value: string) => void): void {
  const check = fromHex('313233343536373839'); // "123456789"
  const crc = crc16(check, 0, check.length);
  out('crc16-check', HEX.charAt(crc >> 12) + HEX.charAt((crc >> 8) & 15) + HEX.charAt((crc >> 4) & 15) + HEX.charAt(crc & 15));
  // Our encoding of each example, and our decoding of the published encoding.
  const cobsCount = +v('cobs.count');
  for (let i = 1; i <= cobsCount; i++) {
    const data = fromHex(v('cobs.' + i));
    const enc = new Uint8Array(cobsMaxEncodedLength(data.length));
    const n = cobsEncode(data, data.length, enc, 0);
    const published = fromHex(v('cobs.' + i + '.encoded'));
    const m = cobsDecodeInPlace(published, published.length);
    out('cobs-' + i, toHex(enc.subarray(0, n)) + ' decoded ' + (m < 0 ? 'error' : toHex(published.subarray(0, m))));
  }
  const chunk: Message = { type: 'file-chunk', fileId: 2, offset: 0x1234, data: fromHex('00010203FF00') };
  const payload = encodePayload(chunk, new Uint8Array(64));
  const wire = new FrameEncoder().encode(messageCode(chunk), 7, payload);
  out('frame-encode', toHex(wire));
  const frames = new FrameDecoder().push(join([fromHex('AB00'), wire]));
  const f = frames[0];
  const m = f ? (decodePayload(f.type, f.payload) as Message) : null;
  out('frame-decode', frames.length + ' ' + (f ? f.type + ' ' + f.seq + ' ' + toHex(f.payload) : '') + ' ' + (m && m.type === 'file-chunk' ? m.offset + ' ' + toHex(m.data) : 'undecoded'));
}

function fileChecks(v: (name: string) => string, out: (name: string, value: string) => void): void {
  const com = parseEfCom(fromHex(v('efCom')));
  out('ef-com', com.ldsVersion + ' ' + com.unicodeVersion + ' ' + com.dataGroups.join(','));
  const sodBytes = fromHex(v('efSod'));
  const extractor = new SodHashExtractor();
  for (let at = 0; at < sodBytes.length; at += 100) extractor.push(sodBytes.subarray(at, at + 100));
  const sod = extractor.finish();
  const groups: string[] = [];
  for (const dg in sod.hashes) groups.push(dg + ':' + toHex(sod.hashes[dg]));
  out('ef-sod', sod.hashAlgorithm + ' ' + sod.hashOid + ' ' + groups.join(' '));
  const dg1 = fromHex(v('dg1'));
  const h = createHash(sod.hashAlgorithm);
  h.update(dg1);
  out('dg1-hash', toHex(h.digest()));

  // readFile over a plain chip in 32-byte blocks: the exact APDUs and the bytes the sink gets.
  const sent: string[] = [];
  const parts: Uint8Array[] = [];
  let announced = -1;
  const sink = { begin: (n: number) => { announced = n; }, chunk: (d: Uint8Array) => { parts.push(d.slice()); }, end: () => undefined };
  readFile(fileChip(1, dg1, sent), 1, sink, { maxFileLength: 1024, maxBlock: 32, extendedBlock: 0 }, (err, length) => {
    out('read-file', err ? 'error ' + err.code : announced + ' ' + length + ' ' + toHex(join(parts)) + ' apdus ' + sent.join(','));
  });
}

/** Runs every check; `print` gets one line per check. A check that throws prints its error. */
export function run(input: SelfTestInput, print: (line: string) => void): void {
  const out = (name: string, value: string): void => print(name + ' ' + value);
  const v = (name: string): string => {
    const value = input[name];
    if (typeof value !== 'string') throw new Error('self-test input lacks ' + name);
    return value;
  };
  const groups: [string, () => void][] = [
    ['bac', () => bacChecks(v, out)],
    ['framing', () => framingChecks(v, out)],
    ['files', () => fileChecks(v, out)],
  ];
  for (let i = 0; i < groups.length; i++) {
    try {
      groups[i][1]();
    } catch (e) {
      // The error's code or class only: engines word their messages differently.
      const code = e ? (e as { code?: string }).code : undefined;
      out(groups[i][0] + '-threw', typeof code === 'string' ? code : 'exception');
    }
  }
  print('done');
}
