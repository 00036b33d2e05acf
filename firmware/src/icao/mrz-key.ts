// The BAC key input from the MRZ (ICAO 9303-11 §4.3, 9303-3 §4.9 check digits). Everything is
// validated before any radio traffic: a malformed field or a wrong check digit is
// IcaoError('invalid-mrz'). Messages name the field, never its value (privacy).

import { hashWhole } from '../crypto/hash';
import { IcaoError } from './errors';

export interface MrzKeyInput {
  /** As printed in the MRZ; '<' fillers allowed. Longer than 9 characters: the full number
   * (9303-3: the first 9 in the number field, the rest in the optional data). */
  documentNumber: string;
  /** YYMMDD */
  dateOfBirth: string;
  /** YYMMDD */
  dateOfExpiry: string;
  /** The three check digits (document number, birth, expiry) when known; '' or absent skips. */
  checkDigits?: string;
}

const WEIGHTS = [7, 3, 1];
/** Longest document number accepted (the host protocol allows 1..22 characters). */
const MAX_DOCUMENT_NUMBER = 22;

/** Value of one MRZ character: digits 0-9, A-Z 10-35, '<' 0; -1 for anything else. */
function charValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  if (c === 60) return 0;
  return -1;
}

/** 9303-3 §4.9 check digit (weights 7 3 1, modulo 10). IcaoError('invalid-mrz') for characters
 * outside 0-9 A-Z '<'. */
export function checkDigit(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const v = charValue(text.charCodeAt(i));
    if (v < 0) throw new IcaoError('invalid-mrz', 'character outside the MRZ alphabet');
    sum += v * WEIGHTS[i % 3];
  }
  return sum % 10;
}

function invalid(field: string): IcaoError {
  return new IcaoError('invalid-mrz', field + ' is malformed');
}

function normaliseDocumentNumber(raw: string): string {
  if (typeof raw !== 'string') throw invalid('document number');
  let s = raw.toUpperCase();
  for (let i = 0; i < s.length; i++) if (charValue(s.charCodeAt(i)) < 0) throw invalid('document number');
  // Trailing fillers carry no information; the field is then filled to its 9 positions.
  let end = s.length;
  while (end > 0 && s.charAt(end - 1) === '<') end--;
  s = s.substring(0, end);
  if (s.length === 0 || s.length > MAX_DOCUMENT_NUMBER) throw invalid('document number');
  while (s.length < 9) s += '<';
  return s;
}

function validateDate(s: string, field: string): string {
  if (typeof s !== 'string' || s.length !== 6) throw invalid(field);
  for (let i = 0; i < 6; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) throw invalid(field);
  }
  const month = parseInt(s.substring(2, 4), 10);
  const day = parseInt(s.substring(4, 6), 10);
  if (month < 1 || month > 12 || day < 1 || day > 31) throw invalid(field);
  return s;
}

/**
 * MRZ_information of 9303-11 §4.3.1: document number, its check digit, date of birth, its check
 * digit, date of expiry, its check digit. Validates every field and the given check digits.
 */
export function mrzInformation(input: MrzKeyInput): string {
  if (!input) throw invalid('MRZ input');
  const doc = normaliseDocumentNumber(input.documentNumber);
  const dob = validateDate(input.dateOfBirth, 'date of birth');
  const doe = validateDate(input.dateOfExpiry, 'date of expiry');
  const cd = [checkDigit(doc), checkDigit(dob), checkDigit(doe)];
  const given = input.checkDigits;
  if (given !== undefined && given !== null && given !== '') {
    if (typeof given !== 'string' || given.length !== 3) throw invalid('check digits');
    const names = ['document number check digit', 'date of birth check digit', 'date of expiry check digit'];
    for (let i = 0; i < 3; i++) {
      const c = given.charCodeAt(i);
      // A '<' in the document number's check position means "number continues in the optional
      // data" (9303-3 TD1); the host must then pass the real check digit.
      if (c < 48 || c > 57 || c - 48 !== cd[i]) throw new IcaoError('invalid-mrz', names[i] + ' does not match');
    }
  }
  return doc + cd[0] + dob + cd[1] + doe + cd[2];
}

/** K_seed: the first 16 bytes of SHA-1(MRZ_information). IcaoError('invalid-mrz') first if any
 * field is malformed. */
export function deriveKeySeed(input: MrzKeyInput): Uint8Array {
  const info = mrzInformation(input);
  const bytes = new Uint8Array(info.length);
  for (let i = 0; i < info.length; i++) bytes[i] = info.charCodeAt(i);
  const h = hashWhole('sha1', bytes);
  bytes.fill(0);
  const seed = new Uint8Array(h.subarray(0, 16));
  h.fill(0);
  return seed;
}
