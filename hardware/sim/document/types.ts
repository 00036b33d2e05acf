// The shapes other areas code against (host SDK tests, end-to-end tests, the fixture loader).

import type { KeyObject } from 'node:crypto';
import type { DistinguishedName } from './pki';

export interface Person {
  /** 'P' by default (TD3 passport); a second letter may follow (e.g. 'PO'). */
  documentType?: string;
  /** Three-letter code (ICAO 9303 Part 3), e.g. 'UTO'. */
  issuingState: string;
  surname: string;
  givenNames: string;
  /** Up to 9 characters. */
  documentNumber: string;
  nationality: string;
  /** YYMMDD */
  dateOfBirth: string;
  sex: 'M' | 'F' | '<';
  /** YYMMDD */
  dateOfExpiry: string;
  personalNumber?: string;
}

export type SignatureKind = 'rsa' | 'rsa-pss' | 'ecdsa' | 'ecdsa-brainpool';

export interface DocumentOptions {
  /** Document Signer signature (and its key); default 'rsa'. */
  signature?: SignatureKind;
  /** DG2 image encoding; default 'jpeg' (DG2 about 15 KB), 'jpeg2000' about 30 KB. */
  face?: 'jpeg' | 'jpeg2000';
  /** Data groups to include; default [1, 2, 15]. Supported: 1, 2, 11, 12, 14 (ActiveAuthenticationInfo only), 15. */
  dataGroups?: number[];
  dsNotBefore?: Date;
  dsNotAfter?: Date;
  /** Reuse one CSCA across documents; default a new CSCA of the same signature kind. */
  csca?: Csca;
  /** Flip a byte of the Document Signer's signature over the signed attributes. */
  forgeSignature?: boolean;
  /** Sign with a CSCA other than the one returned as cscaCertificate ("wrong CSCA"). */
  wrongCsca?: boolean;
  /** Signing time and reference "now" for validity periods; default new Date(). */
  now?: Date;
  /** Seed for the face picture's details; default derived from the document number. */
  faceSeed?: number;
  /** Active Authentication key size (RSA); default 1024. */
  activeAuthBits?: 1024 | 2048;
  /** Active Authentication key: RSA (default) or ECDSA on P-256; an EC key needs DG14 (given
   * in dataGroups), which then carries ActiveAuthenticationInfo naming `activeAuthHash`. */
  activeAuthKey?: 'rsa' | 'ecdsa';
  /** The ECDSA hash DG14 names; default sha256. */
  activeAuthHash?: 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  /** EF.CardAccess (SFI 1C) with a PACEInfo: id-PACE-ECDH-GM-AES-CBC-CMAC-128, brainpoolP256r1 (ID 13). */
  pace?: boolean;
  /** DG14 (given in dataGroups) carries Chip Authentication infos and a brainpoolP256r1 key. */
  chipAuthentication?: boolean;
  /** A PACE-only chip: BAC is refused (the virtual passport's bacRefusedSw). */
  paceOnly?: boolean;
}

export interface Csca {
  /** DER */
  certificate: Uint8Array;
  privateKey: KeyObject;
  /** Common name of the CSCA. */
  name: string;
  /** How this CSCA signs the certificates it issues. */
  signature: SignatureKind;
  /** Full subject name (issuer of the certificates it signs). */
  subject: DistinguishedName;
}

export interface GeneratedDocument {
  person: Person;
  /** The two TD3 lines. */
  mrz: string[];
  /** Keyed by short EF identifier: 0x1E EF.COM, 0x1D EF.SOD, 1..16 DGn. */
  files: { [fileId: number]: Uint8Array };
  cscaCertificate: Uint8Array;
  documentSignerCertificate: Uint8Array;
  activeAuthPrivateKey?: KeyObject;
  /** Chip Authentication private key (DG14), when made with chipAuthentication. */
  chipAuthPrivateKey?: KeyObject;
}

/** Short EF identifiers of the LDS files. */
export const EF = {
  COM: 0x1e,
  SOD: 0x1d,
  DG1: 0x01,
  DG2: 0x02,
  DG11: 0x0b,
  DG12: 0x0c,
  DG14: 0x0e,
  DG15: 0x0f,
  CARD_ACCESS: 0x1c,
} as const;
