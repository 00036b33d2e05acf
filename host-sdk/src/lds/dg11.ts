// EF.DG11, additional personal details (ICAO 9303 Part 10, 8th ed., §4.7.11):
//   6B { 5C tag list, 5F0E full name, A0 { 02 count, 5F0F other name ... }, 5F10 personal
//   number, 5F2B full date of birth (YYYYMMDD), 5F11 place of birth, 5F42 address, 5F12
//   telephone, 5F13 profession, 5F14 title, 5F15 personal summary, 5F16 proof of citizenship
//   (an image), 5F17 other valid travel document numbers, 5F18 custody information }
// Every field is optional. Names keep 9303's '<' fillers in `fullName`; `fullNameReadable`
// turns "SMITH<<JOHN<J" into "SMITH, JOHN J".

import { imageMime, type ImageMime } from '../image/image-type.js';
import { tagHex } from './tlv.js';
import { isoDate, listedButAbsent, readableName, readDetailObjects, readTextFields, text } from './detail-fields.js';

export const DG11_TAG = 0x6b;
const OTHER_NAME = 0x5f0f;

export interface Dg11 {
  fullName?: string;
  fullNameReadable?: string;
  /** Other names (count 02 in template A0, or bare 5F0F objects). */
  otherNames: string[];
  personalNumber?: string;
  /** 5F2B as stored, and as YYYY-MM-DD when it is a full calendar date. */
  fullDateOfBirth?: string;
  fullDateOfBirthIso?: string | null;
  placeOfBirth?: string;
  /** 5F42, its '<' separators as stored. */
  address?: string;
  telephone?: string;
  profession?: string;
  title?: string;
  personalSummary?: string;
  proofOfCitizenship?: { bytes: Uint8Array; mime: ImageMime };
  /** 5F17: other valid travel document numbers ('<' separated on the chip). */
  otherTravelDocuments: string[];
  custodyInformation?: string;
  /** The 5C tag list as hex tags, and the listed tags the file does not hold. */
  tagList: string[];
  listedButAbsent: string[];
}

const TEXT_FIELDS: readonly (readonly [number, keyof Dg11, string])[] = [
  [0x5f0e, 'fullName', 'full name'],
  [0x5f10, 'personalNumber', 'personal number'],
  [0x5f2b, 'fullDateOfBirth', 'full date of birth'],
  [0x5f11, 'placeOfBirth', 'place of birth'],
  [0x5f42, 'address', 'address'],
  [0x5f12, 'telephone', 'telephone'],
  [0x5f13, 'profession', 'profession'],
  [0x5f14, 'title', 'title'],
  [0x5f15, 'personalSummary', 'personal summary'],
  [0x5f18, 'custodyInformation', 'custody information'],
];

export function parseDg11(bytes: Uint8Array): Dg11 {
  const d = readDetailObjects(bytes, DG11_TAG, 'DG11', 11, OTHER_NAME);
  const out: Dg11 = { otherNames: d.names, otherTravelDocuments: [], tagList: d.tagList.map(tagHex), listedButAbsent: listedButAbsent(d, OTHER_NAME).map(tagHex) };
  readTextFields(d, TEXT_FIELDS, out, 'DG11', 11);
  if (out.fullName !== undefined) out.fullNameReadable = readableName(out.fullName);
  if (out.fullDateOfBirth !== undefined) out.fullDateOfBirthIso = isoDate(out.fullDateOfBirth);
  const docs = d.objects.get(0x5f17);
  if (docs) out.otherTravelDocuments = docs.flatMap((v) => text(v, 'DG11', 11, 'other travel document numbers').split('<').filter(Boolean));
  const proof = d.objects.get(0x5f16);
  if (proof) out.proofOfCitizenship = { bytes: proof[0], mime: imageMime(proof[0]) };
  return out;
}
