// The enrolment record: the plain, flat summary of a read that a kiosk stores (`--json`'s
// `record`). Field names are stable: a new field may be added, none renamed or removed, without
// a new `schema` value. The holder's data comes from DG1 (the MRZ the chip signed), with DG11's
// full name when the chip has one (the MRZ may truncate names).

import { mrzDateToIso, type Sex } from './mrz/mrz-parser.js';
import type { PassportDocument } from './passport-document.js';

export const ENROLMENT_RECORD_SCHEMA = 'epassport-enrolment-record/1';

export interface EnrolmentRecord {
  schema: typeof ENROLMENT_RECORD_SCHEMA;
  /** 'P' (passport), 'I' or 'A' or 'C' (identity cards), 'V' (visa): the first letter of the code. */
  documentType: string | null;
  /** The whole document code, fillers removed: 'P', 'PO', 'ID', ... */
  documentCode: string | null;
  /** Three-letter code of the issuing state or organisation. */
  issuingState: string | null;
  documentNumber: string | null;
  /** Surname(s), fillers as spaces. */
  surname: string | null;
  /** Given name(s), fillers as spaces ('' when there are none). */
  givenNames: string | null;
  /** The MRZ name field was full: the names may be truncated (see fullName). */
  nameMayBeTruncated: boolean;
  /** DG11's full name ('PRIMARY, SECONDARY'), when the chip has DG11 with one. */
  fullName: string | null;
  nationality: string | null;
  /** YYYY-MM-DD, or null when the MRZ date is not a full date (unknown parts). */
  dateOfBirth: string | null;
  dateOfExpiry: string | null;
  sex: Sex | null;
  /** VERIFIED: passive authentication, every group asked for, chip authenticity not failed. */
  verified: boolean;
  /** Why not verified (empty when verified): stable `code` (pa/verdict-reasons.ts) and text. */
  reasons: { code: string; message: string }[];
  /** How the chip proved it is genuine: Active Authentication, Chip Authentication, none (it
   * could not: no DG15, no CA, not asked for), or failed (a clone, or a chip that refused). */
  chipAuthenticity: 'active-authentication' | 'chip-authentication' | 'none' | 'failed';
  /** The algorithm used, or why none or failed. */
  chipAuthenticityDetail: string | null;
  /** Where the face image was written (`--out`), or null. */
  faceImagePath: string | null;
  /** Data groups read. */
  dataGroups: number[];
}

export function enrolmentRecord(doc: PassportDocument, faceImagePath: string | null = null): EnrolmentRecord {
  const m = doc.dg1;
  const aa = doc.activeAuthentication;
  const status = doc.chipAuthenticity;
  const chip = status === 'not-supported' ? 'none' : status;
  const ca = doc.chipAuthentication;
  let detail: string | null;
  if (status === 'chip-authentication') detail = 'Chip Authentication with the DG14 key, DG14 hash-verified';
  else if (status === 'active-authentication') detail = aa.algorithm;
  else if (ca.status === 'failed') detail = 'Chip Authentication: ' + ca.problem;
  else if (status === 'failed') detail = 'Active Authentication: ' + aa.problem;
  else detail = aa.problem;
  return {
    schema: ENROLMENT_RECORD_SCHEMA,
    documentType: m ? m.documentCode.slice(0, 1) : null,
    documentCode: m ? m.documentCode : null,
    issuingState: m ? m.issuingState : null,
    documentNumber: m ? m.documentNumber : null,
    surname: m ? m.primaryIdentifier : null,
    givenNames: m ? m.secondaryIdentifier : null,
    nameMayBeTruncated: m ? m.nameMayBeTruncated : false,
    fullName: doc.dg11?.fullNameReadable ?? null,
    nationality: m ? m.nationality : null,
    dateOfBirth: m ? mrzDateToIso(m.dateOfBirth, 'birth') : null,
    dateOfExpiry: m ? mrzDateToIso(m.dateOfExpiry, 'expiry') : null,
    sex: m ? m.sex : null,
    verified: doc.verified,
    reasons: doc.verdict.reasons.map((r) => ({ code: r.code, message: r.message })),
    chipAuthenticity: chip,
    chipAuthenticityDetail: detail ?? null,
    faceImagePath,
    dataGroups: doc.dataGroups,
  };
}
