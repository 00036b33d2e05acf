// 3DES secure messaging (ICAO Doc 9303 Part 11, 9.8) for both ends: the chip unwraps commands and
// wraps responses; the reference reader (tests, simulators) wraps commands and unwraps responses.
// The SSC is incremented before every command and every response. The session's cipher (3DES
// after BAC, AES after PACE or Chip Authentication) comes with its keys (sm-cipher.ts).

import { CommandApdu, encodeApdu, encodeDo, readDo, SW } from './apdu';
import { equalBytes, incrementSsc, SessionKeys, unpad } from './bac-crypto';
import { padTo, TDES_SM, type SmCipher } from './sm-cipher';
import { concatBytes } from '../bytes';

function cipherOf(keys: SessionKeys): SmCipher {
  return keys.cipher ?? TDES_SM;
}

function macOf(keys: SessionKeys, ...parts: Uint8Array[]): Uint8Array {
  const c = cipherOf(keys);
  return c.mac(keys.ksMac, padTo(concatBytes(keys.ssc, ...parts), c.blockSize));
}

function encryptOf(keys: SessionKeys, plain: Uint8Array): Uint8Array {
  const c = cipherOf(keys);
  return c.encrypt(keys.ksEnc, keys.ssc, padTo(plain, c.blockSize));
}

function decryptOf(keys: SessionKeys, cipher: Uint8Array): Uint8Array | null {
  const c = cipherOf(keys);
  if (cipher.length === 0 || cipher.length % c.blockSize) return null;
  return unpad(c.decrypt(keys.ksEnc, keys.ssc, cipher), c.blockSize);
}

export type UnwrapResult = { ok: true; apdu: CommandApdu } | { ok: false; sw: number };

function paddedHeader(keys: SessionKeys, cla: number, ins: number, p1: number, p2: number): Uint8Array {
  return padTo(Uint8Array.of(cla, ins, p1, p2), cipherOf(keys).blockSize);
}

function leObject(ne: number, extended: boolean): Uint8Array {
  if (extended || ne > 256) return encodeDo(0x97, Uint8Array.of((ne >> 8) & 0xff, ne & 0xff));
  return encodeDo(0x97, Uint8Array.of(ne & 0xff));
}

/** Chip side: checks and decrypts a protected command (CLA 0C). Increments the SSC. */
export function unwrapCommand(keys: SessionKeys, cmd: CommandApdu): UnwrapResult {
  incrementSsc(keys.ssc);
  let enc: { tag: number; value: Uint8Array } | null = null;
  let le: Uint8Array | null = null;
  let mac: Uint8Array | null = null;
  let macInput: Uint8Array = new Uint8Array(0);
  let at = 0;
  while (at < cmd.data.length) {
    const d = readDo(cmd.data, at);
    if (!d) return { ok: false, sw: SW.SM_OBJECTS_INCORRECT };
    const raw = cmd.data.subarray(at, d.next);
    if (d.tag === 0x87 || d.tag === 0x85) {
      enc = d;
      macInput = concatBytes(macInput, raw);
    } else if (d.tag === 0x97) {
      le = d.value;
      macInput = concatBytes(macInput, raw);
    } else if (d.tag === 0x8e) {
      mac = d.value;
    } else {
      return { ok: false, sw: SW.SM_OBJECTS_INCORRECT };
    }
    at = d.next;
  }
  if (!mac) return { ok: false, sw: SW.SM_OBJECTS_MISSING };
  const expected = macOf(keys, paddedHeader(keys, cmd.cla, cmd.ins, cmd.p1, cmd.p2), macInput);
  if (!equalBytes(mac, expected)) return { ok: false, sw: SW.SM_OBJECTS_INCORRECT };
  let data = new Uint8Array(0);
  if (enc) {
    let cipher = enc.value;
    if (enc.tag === 0x87) {
      if (cipher[0] !== 0x01) return { ok: false, sw: SW.SM_OBJECTS_INCORRECT };
      cipher = cipher.subarray(1);
    }
    const plain = decryptOf(keys, cipher);
    if (!plain) return { ok: false, sw: SW.SM_OBJECTS_INCORRECT };
    data = Uint8Array.from(plain);
  }
  let ne: number | null = null;
  let extended = false;
  if (le) {
    if (le.length === 1) ne = le[0] || 256;
    else if (le.length === 2) {
      ne = ((le[0] << 8) | le[1]) || 65536;
      extended = true;
    } else return { ok: false, sw: SW.SM_OBJECTS_INCORRECT };
  }
  return { ok: true, apdu: { cla: cmd.cla & 0xf3, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, data, ne, extended } };
}

/** Chip side: protects a response (DO87 with the data, DO99 with the status, DO8E MAC). */
export function wrapResponse(keys: SessionKeys, data: Uint8Array, sw: number, omitDo99 = false): Uint8Array {
  incrementSsc(keys.ssc);
  const do87 = data.length ? encodeDo(0x87, concatBytes(Uint8Array.of(0x01), encryptOf(keys, data))) : new Uint8Array(0);
  // omitDo99: a chip that leaves the status object out of a success (9000 with data).
  const do99 = omitDo99 && sw === 0x9000 && data.length ? new Uint8Array(0) : encodeDo(0x99, Uint8Array.of(sw >> 8, sw & 0xff));
  const mac = macOf(keys, do87, do99);
  return concatBytes(do87, do99, encodeDo(0x8e, mac), Uint8Array.of(sw >> 8, sw & 0xff));
}

/** Reader side: protects a plain command. Odd INS (B1) carries its data in DO85, others in DO87. */
export function wrapCommand(keys: SessionKeys, plain: CommandApdu): Uint8Array {
  incrementSsc(keys.ssc);
  const cla = (plain.cla & 0xf3) | 0x0c;
  let doData: Uint8Array = new Uint8Array(0);
  if (plain.data.length) {
    const cipher = encryptOf(keys, plain.data);
    doData = plain.ins & 1 ? encodeDo(0x85, cipher) : encodeDo(0x87, concatBytes(Uint8Array.of(0x01), cipher));
  }
  const do97 = plain.ne !== null ? leObject(plain.ne, plain.extended) : new Uint8Array(0);
  const mac = macOf(keys, paddedHeader(keys, cla, plain.ins, plain.p1, plain.p2), doData, do97);
  const body = concatBytes(doData, do97, encodeDo(0x8e, mac));
  const extended = plain.extended || body.length > 255;
  return encodeApdu({ cla, ins: plain.ins, p1: plain.p1, p2: plain.p2, data: body, ne: extended ? 65536 : 256, extended });
}

export type ResponseResult = { ok: true; data: Uint8Array; sw: number } | { ok: false; reason: string; sw: number };

/** Reader side: checks the MAC of a protected response and decrypts it. */
export function unwrapResponse(keys: SessionKeys, response: Uint8Array): ResponseResult {
  incrementSsc(keys.ssc);
  const outerSw = response.length >= 2 ? (response[response.length - 2] << 8) | response[response.length - 1] : 0;
  const body = response.subarray(0, response.length - 2);
  if (body.length === 0) return { ok: false, reason: 'unprotected', sw: outerSw };
  let enc: Uint8Array | null = null;
  let sw: number | null = null;
  let mac: Uint8Array | null = null;
  let macInput: Uint8Array = new Uint8Array(0);
  let at = 0;
  while (at < body.length) {
    const d = readDo(body, at);
    if (!d) return { ok: false, reason: 'malformed', sw: outerSw };
    const raw = body.subarray(at, d.next);
    if (d.tag === 0x87 || d.tag === 0x85) {
      enc = d.tag === 0x87 ? d.value.subarray(1) : d.value;
      macInput = concatBytes(macInput, raw);
    } else if (d.tag === 0x99) {
      sw = (d.value[0] << 8) | d.value[1];
      macInput = concatBytes(macInput, raw);
    } else if (d.tag === 0x8e) {
      mac = d.value;
    }
    at = d.next;
  }
  if (!mac || sw === null) return { ok: false, reason: 'missing', sw: outerSw };
  if (!equalBytes(mac, macOf(keys, macInput))) return { ok: false, reason: 'mac', sw: outerSw };
  let data = new Uint8Array(0);
  if (enc) {
    const plain = decryptOf(keys, enc);
    if (!plain) return { ok: false, reason: 'padding', sw: outerSw };
    data = Uint8Array.from(plain);
  }
  return { ok: true, data, sw };
}
