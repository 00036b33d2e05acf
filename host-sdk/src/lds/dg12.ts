// EF.DG12, additional document details (ICAO 9303 Part 10, 8th ed., §4.7.12):
//   6C { 5C tag list, 5F19 issuing authority, 5F26 date of issue (YYYYMMDD), A0 { 02 count,
//   5F1A name of other person ... }, 5F1B endorsements and observations, 5F1C tax/exit
//   requirements, 5F1D image of the front of the document, 5F1E image of the rear, 5F55 date
//   and time of personalization (YYYYMMDDhhmmss), 5F56 serial number of the personalization
//   system }. Every field is optional.

import { imageMime, type ImageMime } from '../image/image-type.js';
import { tagHex } from './tlv.js';
import { isoDate, listedButAbsent, readDetailObjects, readTextFields } from './detail-fields.js';

export const DG12_TAG = 0x6c;
const OTHER_PERSON = 0x5f1a;

export interface Dg12 {
  issuingAuthority?: string;
  /** 5F26 as stored, and as YYYY-MM-DD when it is a calendar date. */
  dateOfIssue?: string;
  dateOfIssueIso?: string | null;
  /** Names of other persons (count 02 in template A0). */
  otherPersons: string[];
  endorsements?: string;
  taxOrExitRequirements?: string;
  frontImage?: { bytes: Uint8Array; mime: ImageMime };
  rearImage?: { bytes: Uint8Array; mime: ImageMime };
  /** 5F55 as stored, and as YYYY-MM-DDThh:mm:ss when it is one. */
  personalizationTime?: string;
  personalizationTimeIso?: string | null;
  personalizationSystemSerial?: string;
  tagList: string[];
  listedButAbsent: string[];
}

const TEXT_FIELDS: readonly (readonly [number, keyof Dg12, string])[] = [
  [0x5f19, 'issuingAuthority', 'issuing authority'],
  [0x5f26, 'dateOfIssue', 'date of issue'],
  [0x5f1b, 'endorsements', 'endorsements'],
  [0x5f1c, 'taxOrExitRequirements', 'tax/exit requirements'],
  [0x5f55, 'personalizationTime', 'personalization time'],
  [0x5f56, 'personalizationSystemSerial', 'personalization system serial number'],
];

function isoDateTime(s: string): string | null {
  const m = /^(\d{8})(\d{2})(\d{2})(\d{2})$/.exec(s);
  const date = m ? isoDate(m[1]) : null;
  if (!m || !date || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4]) > 59) return null;
  return date + 'T' + m[2] + ':' + m[3] + ':' + m[4];
}

export function parseDg12(bytes: Uint8Array): Dg12 {
  const d = readDetailObjects(bytes, DG12_TAG, 'DG12', 12, OTHER_PERSON);
  const out: Dg12 = { otherPersons: d.names, tagList: d.tagList.map(tagHex), listedButAbsent: listedButAbsent(d, OTHER_PERSON).map(tagHex) };
  readTextFields(d, TEXT_FIELDS, out, 'DG12', 12);
  if (out.dateOfIssue !== undefined) out.dateOfIssueIso = isoDate(out.dateOfIssue);
  if (out.personalizationTime !== undefined) out.personalizationTimeIso = isoDateTime(out.personalizationTime);
  const front = d.objects.get(0x5f1d);
  if (front) out.frontImage = { bytes: front[0], mime: imageMime(front[0]) };
  const rear = d.objects.get(0x5f1e);
  if (rear) out.rearImage = { bytes: rear[0], mime: imageMime(rear[0]) };
  return out;
}
