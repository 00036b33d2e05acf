// Behaviours of the virtual passport, one options object, changeable at run time through
// VirtualPassport.configure(). See README.md beside this file.

import type { KeyObject } from 'node:crypto';

/** Command kinds that can be given their own processing time. */
export type CommandKind = 'select' | 'getChallenge' | 'mutualAuthenticate' | 'readBinary' | 'internalAuthenticate' | 'generalAuthenticate' | 'other';

export interface PassportOptions {
  /** Random source (GET CHALLENGE, K.IC, UID, AA nonce). Default: node:crypto randomBytes. */
  random?: (length: number) => Uint8Array;
  /** Fixed RND.IC answered to every GET CHALLENGE (deterministic tests). */
  rndIC?: Uint8Array;
  /** Fixed K.IC used in MUTUAL AUTHENTICATE (deterministic tests). */
  kIC?: Uint8Array;
  /** Radio identity: type A (default) or type B. */
  type?: 'A' | 'B';
  /** Fixed UID (type A, 4 bytes) or PUPI (type B). Default: random, type A UID starting 08. */
  uid?: Uint8Array;
  /** Type A ATQA as [b0, b1]; default 00 04. */
  atqa?: Uint8Array;
  /** Type A ATS with its TL byte; default 05 78 77 94 02. */
  ats?: Uint8Array;
  /** Chip time per APDU in ms, one figure or per command kind (missing kinds use DEFAULT_PROCESSING_MS). */
  processingMs?: number | Partial<Record<CommandKind, number>>;
  /** Largest Ne the chip serves in one READ BINARY (default 256; 65536 with extendedLength). */
  maxLe?: number;
  /** How an Ne above maxLe is refused: 6700, or 6Cxx with xx the number of bytes it would give. */
  oversizedLe?: '6700' | '6Cxx';
  /** Accept extended-length APDUs (3-byte Lc/Le, 2-byte DO97). Default false: 6700. */
  extendedLength?: boolean;
  /** Status of a READ BINARY that returns fewer bytes than Ne: 9000 (default) or 6282. */
  shortReadSw?: 0x9000 | 0x6282;
  /** Status of a failed MUTUAL AUTHENTICATE (wrong MRZ): 6300 (default) or 6982. */
  bacFailureSw?: 0x6300 | 0x6982;
  /** Whether BAC is needed to read the files (default true). */
  requireBac?: boolean;
  /** In a secure-messaging session, answer error statuses unprotected (SW only): all of them
   * (true), or only the listed status words (a chip that answers some errors in SM, others
   * plain). Default false. */
  plainErrors?: boolean | number[];
  /** Files have no short EF identifiers: a READ BINARY by SFI is answered 6A82. */
  noShortFileIds?: boolean;
  /** Leave DO'99' out of protected 9000 responses that carry data. */
  omitDo99?: boolean;
  /** The card leaves the field once it has sent this many response bytes (data + SW); the
   * response that would cross the limit is never delivered. */
  removedAfterBytes?: number;
  /** Flip one byte (XOR 0xFF) of the Nth response (1-based, counting every answered APDU). */
  corruptResponse?: { index: number; byteOffset?: number };
  /** Give the Nth secure-messaging response (1-based) a wrong MAC. */
  wrongMacResponse?: number;
  /** Last word on every response (fuzzing): receives the command and the R-APDU as sent. */
  mutateResponse?: (apdu: Uint8Array, response: Uint8Array) => Uint8Array;
  /** Active Authentication private key (RSA: ISO 9796-2 scheme 1 with SHA-1; EC: ECDSA plain r||s). */
  activeAuthKey?: KeyObject;
  /** Hash for ECDSA Active Authentication: the one DG14's ActiveAuthenticationInfo names (default sha1). */
  activeAuthEcHash?: 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  /** Hash of the RSA (ISO/IEC 9796-2) signature: sha1 (trailer BC, default) or sha256 (trailer 34CC). */
  activeAuthRsaHash?: 'sha1' | 'sha256';
  /** A chip that is not what DG15 says: 'wrong-signature' signs with a bit flipped (a clone
   * without the key), 'refuse' answers INTERNAL AUTHENTICATE with `activeAuthRefusalSw`. */
  activeAuthFault?: 'wrong-signature' | 'refuse';
  /** Status of a refused INTERNAL AUTHENTICATE (default 6D00; 6982 is the other one seen). */
  activeAuthRefusalSw?: 0x6d00 | 0x6982;
  /** A PACE-only chip: GET CHALLENGE and MUTUAL AUTHENTICATE answered with this status (6D00 or
   * 6982, both seen on PACE-only chips). PACE itself runs whenever EF.CardAccess (SFI 1C) holds a
   * PACEInfo the chip supports (pace-chip.ts). */
  bacRefusedSw?: 0x6d00 | 0x6982;
  /** Fixed PACE values (deterministic runs, e.g. ICAO 9303-11 Appendix G.1): the nonce s, the
   * chip's mapping and ephemeral private keys (big-endian scalars). Default: random. */
  paceNonce?: Uint8Array;
  paceMapKey?: Uint8Array;
  paceDhKey?: Uint8Array;
  /** PACE faults: 'refuse-mapping' answers MSE:Set AT with 6A80; 'wrong-chip-token' sends a T_IC
   * with a bit flipped (the terminal must stop). */
  paceFault?: 'refuse-mapping' | 'wrong-chip-token';
  /** Status of a failed PACE token check (wrong password or wrong terminal token): default 6300. */
  paceFailureSw?: 0x6300 | 0x6982;
  /** Chip Authentication private key (EC, on the curve of DG14's ChipAuthenticationPublicKeyInfo). */
  chipAuthKey?: KeyObject;
  /** CA faults: 'refuse' answers the CA MSE:Set AT with 6A80; 'wrong-key' computes with another
   * key than DG14's (a clone): the session keys differ and the next protected exchange fails. */
  chipAuthFault?: 'refuse' | 'wrong-key';
}

/** READ BINARY chip time = READ_BINARY_BASE_MS + READ_BINARY_MS_PER_BYTE x response bytes (the
 * R-APDU as sent: data, or DO87/DO99/DO8E under SM, plus SW). Reading grows with the bytes fetched
 * from EEPROM/flash and, under BAC, with the 3DES encryption and retail MAC over them. ASSUMPTION,
 * no public per-byte measurement of an eMRTD chip found (docs/pn532-facts.md §6 says only "card
 * processing a few ms"): the two constants are chosen so that a 230-byte read keeps the former
 * flat 8 ms (3 + 0.022 x 230 = 8.06) and a short read costs about the 4 ms of other commands. */
export const READ_BINARY_BASE_MS = 3;
export const READ_BINARY_MS_PER_BYTE = 0.022;

/** Chip times used when processingMs is not given (a typical contact-less passport chip).
 * ASSUMPTIONS (no published per-command eMRTD timing found): a few ms for plain commands, as
 * docs/pn532-facts.md §6; MUTUAL AUTHENTICATE two 3DES-CBC blocks of 32 B + MAC + key
 * derivation (SHA-1) ~25 ms; INTERNAL AUTHENTICATE an RSA-1024/2048 private-key operation, a
 * few hundred ms on a smart-card coprocessor. readBinary is used only when processingMs sets it
 * or as a flat fallback; by default READ BINARY scales with its bytes (above). */
export const DEFAULT_PROCESSING_MS: Record<CommandKind, number> = {
  select: 4,
  getChallenge: 6,
  mutualAuthenticate: 25,
  readBinary: 8,
  internalAuthenticate: 250,
  // ASSUMPTION: one EC point multiplication (256-bit) on a smart-card coprocessor, some tens of
  // ms; the GA steps with two (mapping) count the same, no public per-step timing found.
  generalAuthenticate: 60,
  other: 4,
};
