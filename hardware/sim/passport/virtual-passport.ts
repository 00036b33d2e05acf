// A virtual ePassport chip: the LDS1 eMRTD application with BAC, 3DES secure messaging, READ
// BINARY in all its forms and Active Authentication, answering whole APDUs behind the PN532
// model (which does activation and ISO 14443-4 framing). Crypto on node:crypto, independent
// of the firmware's. ICAO Doc 9303 Parts 10 and 11; ISO/IEC 7816-4.

import { constants, createHash, privateEncrypt, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Card, CardReply, TypeAIdentity, TypeBIdentity } from '../card';
import { CommandApdu, INS, parseApdu, readDo, SW, swBytes } from './apdu';
import {
  bacKeySeed, deriveKey, equalBytes, KEY_ENC, KEY_MAC, mrzInformation, pad, retailMac,
  SessionKeys, sessionKeys, tdesDecrypt, tdesEncrypt,
} from './bac-crypto';
import { CommandKind, DEFAULT_PROCESSING_MS, PassportOptions, READ_BINARY_BASE_MS, READ_BINARY_MS_PER_BYTE } from './passport-options';
import { unwrapCommand, wrapResponse } from './secure-messaging';
import { PaceChip } from './pace-chip';
import { concatBytes } from '../bytes';

export type { PassportOptions } from './passport-options';

/** The eMRTD (LDS1) application identifier. */
export const EMRTD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);

/**
 * Default ATS, TL first: 05 78 77 94 02 (ISO/IEC 14443-4, 5.2).
 *  - TL = 05: five bytes including TL.
 *  - T0 = 78: TA(1), TB(1) and TC(1) follow (bits 7..5); FSCI = 8, the chip takes frames of 256 bytes.
 *  - TA(1) = 77: bit 8 = 0, different divisors per direction allowed; bits 7..5 = DS 8, 4, 2 (chip to
 *    reader) and bits 3..1 = DR 8, 4, 2 (reader to chip): 212, 424 and 848 kbps both ways. The PN532
 *    stops at 424 kbps, which is what a reader will pick. (0x33 would offer 212 and 424 only.)
 *  - TB(1) = 94: FWI = 9 (frame waiting time 4096 x 2^9 / fc, about 155 ms), SFGI = 4.
 *  - TC(1) = 02: CID supported, NAD not supported.
 */
export const DEFAULT_ATS = Uint8Array.of(0x05, 0x78, 0x77, 0x94, 0x02);
export const DEFAULT_ATQA = Uint8Array.of(0x00, 0x04);
export const PASSPORT_SAK = 0x20;

/** The MRZ fields BAC keys are derived from. */
export interface BacMrz {
  documentNumber: string;
  dateOfBirth: string;
  dateOfExpiry: string;
}

interface Answer {
  data: Uint8Array;
  sw: number;
  /** Secure messaging from the next command on (PACE, Chip Authentication). */
  nextSession?: SessionKeys;
}

/** EF.CardAccess (9303-11 §3.11.3): in the MF, SFI 1C, readable without authentication. */
export const CARD_ACCESS_FID = 0x011c;
const INS_MSE = 0x22;
const INS_GENERAL_AUTHENTICATE = 0x86;

const EMPTY = new Uint8Array(0);

function answer(sw: number, data: Uint8Array = EMPTY): Answer {
  return { data, sw };
}

function kindOf(ins: number): CommandKind {
  switch (ins) {
    case INS.SELECT: return 'select';
    case INS.GET_CHALLENGE: return 'getChallenge';
    case INS.MUTUAL_AUTHENTICATE: return 'mutualAuthenticate';
    case INS.READ_BINARY:
    case INS.READ_BINARY_ODD: return 'readBinary';
    case INS.INTERNAL_AUTHENTICATE: return 'internalAuthenticate';
    case INS_GENERAL_AUTHENTICATE: return 'generalAuthenticate';
    default: return 'other';
  }
}

/** Length of the DO'53 header around n bytes of odd-INS READ BINARY data. */
function do53HeaderLength(n: number): number {
  return n < 0x80 ? 2 : n < 0x100 ? 3 : 4;
}

function do53(data: Uint8Array): Uint8Array {
  const n = data.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return concatBytes(Uint8Array.of(0x53, ...len), data);
}

/** The file identifier of an LDS elementary file from its short EF identifier (0x1E -> 011E). */
export function fileIdOf(shortId: number): number {
  return 0x0100 | shortId;
}

/** The most plain bytes a protected response can carry within a short Le of 256 bytes. */
const SM_SHORT_MAX = 231;

export class VirtualPassport implements Card {
  readonly identity: TypeAIdentity | TypeBIdentity;
  options: PassportOptions;
  /** Counters since construction (or since insert()). */
  readonly stats = { responses: 0, bytesSent: 0, smResponses: 0, bacSessions: 0 };

  private readonly files = new Map<number, Uint8Array>();
  private readonly kEnc: Uint8Array;
  private readonly kMac: Uint8Array;
  private present = true;
  private appSelected = false;
  private currentFile: number | null = null;
  private challenge: Uint8Array | null = null;
  private session: SessionKeys | null = null;
  private readonly pace: PaceChip;

  /**
   * @param files the LDS files keyed by short EF identifier (0x1E EF.COM, 0x1D EF.SOD, 1..16 DGn)
   * @param mrz the BAC fields (document number as printed, without check digit)
   */
  constructor(files: { [fileId: number]: Uint8Array }, mrz: BacMrz, options: PassportOptions = {}) {
    this.options = { ...options };
    for (const key of Object.keys(files)) {
      const shortId = Number(key);
      this.files.set(fileIdOf(shortId), files[shortId]);
    }
    const info = mrzInformation(mrz.documentNumber, mrz.dateOfBirth, mrz.dateOfExpiry);
    this.pace = new PaceChip(this.files, info, () => this.options, (n) => this.random(n));
    const seed = bacKeySeed(info);
    this.kEnc = deriveKey(seed, KEY_ENC);
    this.kMac = deriveKey(seed, KEY_MAC);
    this.identity = this.makeIdentity();
  }

  /** Changes behaviours at run time (merged into the current options). */
  configure(patch: Partial<PassportOptions>): void {
    Object.assign(this.options, patch);
  }

  isPresent(): boolean {
    return this.present;
  }

  /** Takes the card out of the field. */
  remove(): void {
    this.present = false;
  }

  /** Puts the card (back) in the field: present again, byte counters cleared, chip restarted. */
  insert(): void {
    this.present = true;
    this.stats.bytesSent = 0;
    this.stats.responses = 0;
    this.stats.smResponses = 0;
    this.reset();
  }

  reset(): void {
    this.appSelected = false;
    this.currentFile = null;
    this.challenge = null;
    this.session = null;
    this.pace.reset();
  }

  /** Whether a BAC secure-messaging session is open. */
  get secureMessaging(): boolean {
    return this.session !== null;
  }

  transceive(apdu: Uint8Array): CardReply | null {
    if (!this.present) return null;
    const o = this.options;
    let response = this.process(apdu);
    this.stats.responses++;
    if (o.corruptResponse && o.corruptResponse.index === this.stats.responses) {
      response = Uint8Array.from(response);
      const at = Math.min(o.corruptResponse.byteOffset ?? response.length >> 1, response.length - 1);
      response[at] ^= 0xff;
    }
    if (o.mutateResponse) response = o.mutateResponse(apdu, response);
    if (o.removedAfterBytes !== undefined && this.stats.bytesSent + response.length > o.removedAfterBytes) {
      this.present = false;
      this.reset();
      return null;
    }
    this.stats.bytesSent += response.length;
    return { response, processingMs: this.processingMs(apdu.length >= 2 ? apdu[1] : 0, response.length) };
  }

  private processingMs(ins: number, responseBytes: number): number {
    const p = this.options.processingMs;
    const kind = kindOf(ins);
    if (typeof p === 'number') return p;
    const given = p?.[kind];
    if (given !== undefined) return given;
    if (kind === 'readBinary') return READ_BINARY_BASE_MS + READ_BINARY_MS_PER_BYTE * responseBytes;
    return DEFAULT_PROCESSING_MS[kind];
  }

  private random(n: number): Uint8Array {
    return this.options.random ? this.options.random(n) : new Uint8Array(randomBytes(n));
  }

  private makeIdentity(): TypeAIdentity | TypeBIdentity {
    const o = this.options;
    if (o.type === 'B') {
      const pupi = o.uid ?? this.random(4);
      // ATQB: 50, PUPI, application data 00000000, protocol info 77 81 91: 106..424 kbps both ways
      // (77), max frame 256 bytes and ISO 14443-4 compliant (81), FWI 9, CID supported (91).
      const atqb = concatBytes(Uint8Array.of(0x50), pupi, Uint8Array.of(0, 0, 0, 0, 0x77, 0x81, 0x91));
      return { type: 'B', atqb, attribRes: Uint8Array.of(0x00) };
    }
    let uid = o.uid;
    if (!uid) {
      uid = Uint8Array.from(this.random(4));
      uid[0] = 0x08; // random UID, as ISO/IEC 14443-3 reserves for it
    }
    return { type: 'A', atqa: o.atqa ?? DEFAULT_ATQA, sak: PASSPORT_SAK, uid, ats: o.ats ?? DEFAULT_ATS };
  }

  /** One APDU in, the R-APDU out (before test behaviours). */
  private process(bytes: Uint8Array): Uint8Array {
    const o = this.options;
    const cmd = parseApdu(bytes);
    if (!cmd) return this.plain(answer(SW.WRONG_LENGTH));
    if (cmd.extended && !o.extendedLength) return this.plain(answer(SW.WRONG_LENGTH));
    const isSm = (cmd.cla & 0x0c) === 0x0c;
    // Command chaining (CLA bit 10) only for GENERAL AUTHENTICATE (PACE).
    const claMask = cmd.ins === INS_GENERAL_AUTHENTICATE ? 0xe3 : 0xf3;
    if ((cmd.cla & claMask) !== 0x00) return this.plain(answer(SW.CLA_NOT_SUPPORTED));
    if (!isSm) {
      // A plain command ends secure messaging: the chip falls back to the unauthenticated state.
      this.session = null;
      const a = this.dispatch(cmd, false);
      if (a.nextSession) this.session = a.nextSession;
      return this.plain(a);
    }
    const keys = this.session;
    if (!keys) return this.plain(answer(SW.SM_NOT_SUPPORTED));
    const unwrapped = unwrapCommand(keys, cmd);
    if (!unwrapped.ok) {
      this.session = null;
      return this.plain(answer(unwrapped.sw));
    }
    if (unwrapped.apdu.extended && !o.extendedLength) return this.protect(keys, answer(SW.WRONG_LENGTH));
    const a = this.dispatch(unwrapped.apdu, true);
    const out = this.protect(keys, a);
    // Chip Authentication: the answer goes out under the old keys, then the new ones hold.
    if (a.nextSession && this.session === keys) this.session = a.nextSession;
    return out;
  }

  private plain(a: Answer): Uint8Array {
    return concatBytes(a.data, swBytes(a.sw));
  }

  private protect(keys: SessionKeys, a: Answer): Uint8Array {
    const o = this.options;
    const isError = a.sw !== SW.OK && a.sw >> 8 !== 0x62 && a.sw >> 8 !== 0x63;
    // An unprotected answer does not move the SSC on the chip.
    const plainSw = o.plainErrors;
    if (isError && (plainSw === true || (Array.isArray(plainSw) && plainSw.includes(a.sw)))) return this.plain(a);
    const out = wrapResponse(keys, a.data, a.sw, o.omitDo99);
    this.stats.smResponses++;
    if (o.wrongMacResponse === this.stats.smResponses) out[out.length - 3] ^= 0x01; // last MAC byte
    return out;
  }

  private dispatch(cmd: CommandApdu, secure: boolean): Answer {
    switch (cmd.ins) {
      case INS.SELECT: return this.select(cmd);
      case INS.GET_CHALLENGE: return this.getChallenge(cmd);
      case INS.MUTUAL_AUTHENTICATE: return this.mutualAuthenticate(cmd);
      case INS.READ_BINARY: return this.readBinary(cmd, secure);
      case INS.READ_BINARY_ODD: return this.readBinaryOdd(cmd, secure);
      case INS.INTERNAL_AUTHENTICATE: return this.internalAuthenticate(cmd, secure);
      case INS_MSE: return this.pace.mseSetAt(cmd, secure);
      case INS_GENERAL_AUTHENTICATE: return this.pace.generalAuthenticate(cmd, (cmd.cla & 0x10) !== 0, secure ? this.session : null);
      default: return answer(SW.INS_NOT_SUPPORTED);
    }
  }

  private select(cmd: CommandApdu): Answer {
    if (cmd.p1 === 0x04) {
      if (!equalBytes(cmd.data, EMRTD_AID)) return answer(SW.FILE_NOT_FOUND);
      this.appSelected = true;
      this.currentFile = null;
      return answer(SW.OK);
    }
    if ((cmd.p1 !== 0x00 && cmd.p1 !== 0x02) || cmd.data.length !== 2) return answer(SW.WRONG_P1P2);
    const fid = (cmd.data[0] << 8) | cmd.data[1];
    if (cmd.p1 === 0x00 && fid === 0x3f00) {
      this.appSelected = false;
      this.currentFile = null;
      return answer(SW.OK);
    }
    const file = this.files.get(fid);
    if (!file || !this.reachable(fid)) return answer(SW.FILE_NOT_FOUND);
    this.currentFile = fid;
    if ((cmd.p2 & 0x0c) === 0x0c || cmd.ne === null) return answer(SW.OK);
    // FCP: 62 L { 80 02 size, 82 01 01 (transparent EF), 83 02 fid }
    const fcp = Uint8Array.of(0x62, 0x0b, 0x80, 0x02, file.length >> 8, file.length & 0xff, 0x82, 0x01, 0x01, 0x83, 0x02, fid >> 8, fid & 0xff);
    return answer(SW.OK, fcp);
  }

  /** EF.CardAccess lives in the MF; the LDS files need the application selected. */
  private reachable(fid: number): boolean {
    return this.appSelected || fid === CARD_ACCESS_FID;
  }

  private getChallenge(cmd: CommandApdu): Answer {
    if (this.options.bacRefusedSw) return answer(this.options.bacRefusedSw);
    if (cmd.ne !== 8) return answer(SW.WRONG_LENGTH);
    this.challenge = Uint8Array.from(this.options.rndIC ?? this.random(8));
    return answer(SW.OK, this.challenge);
  }

  private mutualAuthenticate(cmd: CommandApdu): Answer {
    const rndIC = this.challenge;
    this.challenge = null;
    if (this.options.bacRefusedSw) return answer(this.options.bacRefusedSw);
    if (!rndIC) return answer(SW.CONDITIONS_NOT_SATISFIED);
    if (cmd.data.length !== 40) return answer(SW.WRONG_LENGTH);
    const failed = answer(this.options.bacFailureSw ?? SW.AUTH_FAILED);
    const eIFD = cmd.data.subarray(0, 32);
    const mIFD = cmd.data.subarray(32, 40);
    if (!equalBytes(mIFD, retailMac(this.kMac, pad(eIFD)))) return failed;
    const s = tdesDecrypt(this.kEnc, eIFD);
    const rndIFD = s.subarray(0, 8);
    if (!equalBytes(s.subarray(8, 16), rndIC)) return failed;
    const kIFD = s.subarray(16, 32);
    const kIC = Uint8Array.from(this.options.kIC ?? this.random(16));
    const eIC = tdesEncrypt(this.kEnc, concatBytes(rndIC, rndIFD, kIC));
    this.session = sessionKeys(kIFD, kIC, rndIC, rndIFD);
    this.stats.bacSessions++;
    return answer(SW.OK, concatBytes(eIC, retailMac(this.kMac, pad(eIC))));
  }

  private canRead(secure: boolean): boolean {
    return secure || this.options.requireBac === false || this.currentFile === CARD_ACCESS_FID;
  }

  private readBinary(cmd: CommandApdu, secure: boolean): Answer {
    let offset: number;
    if (cmd.p1 & 0x80) {
      if (this.options.noShortFileIds) return answer(SW.FILE_NOT_FOUND);
      const fid = fileIdOf(cmd.p1 & 0x1f);
      if (!this.files.has(fid) || !this.reachable(fid)) return answer(SW.FILE_NOT_FOUND);
      this.currentFile = fid;
      offset = cmd.p2;
    } else {
      offset = ((cmd.p1 & 0x7f) << 8) | cmd.p2;
    }
    if (this.currentFile === null) return answer(SW.NO_CURRENT_EF);
    if (!this.canRead(secure)) return answer(SW.SECURITY_NOT_SATISFIED);
    return this.read(this.files.get(this.currentFile)!, offset, cmd.ne, false);
  }

  private readBinaryOdd(cmd: CommandApdu, secure: boolean): Answer {
    const p1p2 = (cmd.p1 << 8) | cmd.p2;
    if (p1p2 !== 0) {
      const fid = p1p2 < 0x1f ? fileIdOf(p1p2) : p1p2;
      if (!this.files.has(fid) || !this.reachable(fid)) return answer(SW.FILE_NOT_FOUND);
      this.currentFile = fid;
    }
    if (this.currentFile === null) return answer(SW.NO_CURRENT_EF);
    const d = readDo(cmd.data, 0);
    if (!d || d.tag !== 0x54 || d.value.length < 1 || d.value.length > 3) return answer(SW.WRONG_DATA);
    let offset = 0;
    for (const b of d.value) offset = offset * 256 + b;
    if (!this.canRead(secure)) return answer(SW.SECURITY_NOT_SATISFIED);
    return this.read(this.files.get(this.currentFile)!, offset, cmd.ne, true);
  }

  private read(file: Uint8Array, offset: number, ne: number | null, odd: boolean): Answer {
    const o = this.options;
    if (ne === null) return answer(SW.WRONG_LENGTH);
    const shortSw = o.shortReadSw ?? SW.OK;
    if (offset > file.length || (offset === file.length && shortSw === SW.OK)) return answer(SW.OFFSET_OUTSIDE_EF);
    const remaining = file.length - offset;
    const maxLe = o.maxLe ?? (o.extendedLength ? 65536 : 256);
    if (ne > maxLe) {
      if (o.oversizedLe === '6Cxx') {
        const available = odd ? remaining + do53HeaderLength(remaining) : remaining;
        return answer(SW.WRONG_LE | (Math.min(maxLe, available) & 0xff));
      }
      return answer(SW.WRONG_LENGTH);
    }
    let n = Math.min(ne, remaining);
    if (odd) while (n > 0 && n + do53HeaderLength(n) > ne) n--;
    const chunk = file.slice(offset, offset + n);
    const data = odd ? do53(chunk) : chunk;
    return answer(n < remaining || data.length >= ne ? SW.OK : shortSw, data);
  }

  private internalAuthenticate(cmd: CommandApdu, secure: boolean): Answer {
    const o = this.options;
    const key = o.activeAuthKey;
    if (!key) return answer(SW.INS_NOT_SUPPORTED);
    if (!this.canRead(secure)) return answer(SW.SECURITY_NOT_SATISFIED);
    if (cmd.data.length !== 8) return answer(SW.WRONG_LENGTH);
    if (o.activeAuthFault === 'refuse') return answer(o.activeAuthRefusalSw ?? SW.INS_NOT_SUPPORTED);
    const sig = key.asymmetricKeyType === 'ec'
      ? new Uint8Array(sign(o.activeAuthEcHash ?? this.dg14EcHash() ?? 'sha1', cmd.data, { key, dsaEncoding: 'ieee-p1363' }))
      : this.iso9796Signature(key, cmd.data, o.activeAuthRsaHash ?? 'sha1');
    if (o.activeAuthFault === 'wrong-signature') sig[sig.length >> 1] ^= 0x01;
    // Under SM a short Le (at most 256) cannot carry more than 231 plain bytes (DO'87' + DO'99' +
    // DO'8E'): a longer signature (RSA-2048) needs an extended command.
    if (secure && !cmd.extended && sig.length > SM_SHORT_MAX) return answer(SW.WRONG_LENGTH);
    return answer(SW.OK, sig);
  }

  /** The hash the chip's own DG14 names for ECDSA Active Authentication: the last byte of an
   * ecdsa-plain-signatures OID (0.4.0.127.0.7.1.1.4.1.x, BSI TR-03111) found in DG14. */
  private dg14EcHash(): 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | undefined {
    const dg14 = this.files.get(fileIdOf(14));
    if (!dg14) return undefined;
    const oid = [0x06, 0x0a, 0x04, 0x00, 0x7f, 0x00, 0x07, 0x01, 0x01, 0x04, 0x01];
    for (let i = 0; i + oid.length < dg14.length; i++) {
      if (oid.every((b, k) => dg14[i + k] === b)) return (['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const)[dg14[i + oid.length] - 1];
    }
    return undefined;
  }

  /** ISO/IEC 9796-2 digital signature scheme 1, partial recovery: 6A || M1 || H(M1||challenge) ||
   * trailer (BC for SHA-1, 34 CC for SHA-256), M1 random. */
  private iso9796Signature(key: KeyObject, challenge: Uint8Array, hash: 'sha1' | 'sha256'): Uint8Array {
    const k = Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 1024) / 8);
    const trailer = hash === 'sha1' ? Uint8Array.of(0xbc) : Uint8Array.of(0x34, 0xcc);
    const hashLength = hash === 'sha1' ? 20 : 32;
    const m1 = this.random(k - 1 - hashLength - trailer.length);
    const h = createHash(hash).update(m1).update(challenge).digest();
    const f = concatBytes(Uint8Array.of(0x6a), m1, h, trailer);
    return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, f));
  }
}
