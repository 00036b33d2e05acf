// What the caller gives to open the chip (BAC): the three MRZ fields, the three-field text form
// "L898902C3 690806 940623", or the full MRZ lines. Validated here, before any radio traffic;
// errors name the field and never echo its value.

import { ReaderError } from '../reader-error.js';
import { checkDigit } from './check-digit.js';
import { parseMrz } from './mrz-parser.js';

export interface MrzFields {
  documentNumber: string;
  /** YYMMDD */
  dateOfBirth: string;
  /** YYMMDD */
  dateOfExpiry: string;
}

/** `{ mrz }`: the three-field form or the full MRZ lines (array, or text with newlines or '|'). */
export type MrzInput = { mrz: string | string[] } | MrzFields;

/** The key material of BAC, as the `read` message carries it. */
export interface BacKey {
  /** Document number as an MRZ field: at least 9 characters, '<'-padded. */
  documentNumber: string;
  dateOfBirth: string;
  dateOfExpiry: string;
  /** Check digits of the three fields, in that order. */
  checkDigits: string;
}

function invalid(field: string, why: string): never {
  throw new ReaderError('invalid-mrz', field + ' ' + why, { field });
}

function checkDate(field: string, value: string): void {
  if (!/^\d{6}$/.test(value)) invalid(field, 'must be six digits YYMMDD');
  const mm = Number(value.slice(2, 4));
  const dd = Number(value.slice(4, 6));
  if (mm < 1 || mm > 12) invalid(field, 'has a month outside 01..12');
  if (dd < 1 || dd > 31) invalid(field, 'has a day outside 01..31');
}

/** A date field as text: a JavaScript caller may pass 880315 as a number; anything else that is
 * not a string (an object whose toString throws, an array...) is refused, not converted. */
function dateText(field: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') invalid(field, 'must be six digits YYMMDD');
  return value;
}

/** Validates the three fields and derives the check digits. Lower case and spaces in the
 * document number are accepted and normalised (upper case, spaces as fillers). */
export function bacKeyFromFields(fields: MrzFields): BacKey {
  if (typeof fields.documentNumber !== 'string' || fields.documentNumber.trim() === '') invalid('documentNumber', 'is missing');
  const number = fields.documentNumber.trim().toUpperCase().replace(/[\s-]+/g, '<');
  if (!/^[0-9A-Z<]+$/.test(number)) invalid('documentNumber', 'may only hold A-Z, 0-9 and <');
  if (number.replace(/<+$/, '').length > 22) invalid('documentNumber', 'is longer than 22 characters');
  const documentNumber = number.length < 9 ? number.padEnd(9, '<') : number;
  const dateOfBirth = dateText('dateOfBirth', fields.dateOfBirth);
  const dateOfExpiry = dateText('dateOfExpiry', fields.dateOfExpiry);
  checkDate('dateOfBirth', dateOfBirth);
  checkDate('dateOfExpiry', dateOfExpiry);
  return {
    documentNumber,
    dateOfBirth,
    dateOfExpiry,
    checkDigits: checkDigit(documentNumber) + checkDigit(dateOfBirth) + checkDigit(dateOfExpiry),
  };
}

/** From full MRZ lines: the shape must be TD1/TD2/TD3 and every check digit must hold. */
export function bacKeyFromLines(text: string | string[]): BacKey {
  let mrz;
  try {
    mrz = parseMrz(text);
  } catch (e) {
    throw new ReaderError('invalid-mrz', 'MRZ lines: ' + (e as Error).message, { field: 'mrz', cause: e });
  }
  const names: [keyof typeof mrz.checks, string][] = [
    ['documentNumber', 'documentNumber'],
    ['dateOfBirth', 'dateOfBirth'],
    ['dateOfExpiry', 'dateOfExpiry'],
    ['optionalData', 'optionalData'],
    ['composite', 'composite'],
  ];
  for (const [check, field] of names) if (!mrz.checks[check]) invalid(field, 'check digit does not match (MRZ lines)');
  const key = bacKeyFromFields({ documentNumber: mrz.documentNumberField, dateOfBirth: mrz.dateOfBirth, dateOfExpiry: mrz.dateOfExpiry });
  return key;
}

/** The three-field text form: document number, birth date, expiry date, separated by spaces (or
 * commas, slashes). A seven-digit date carries its check digit, which is then verified. */
export function bacKeyFromText(text: string): BacKey {
  const parts = text.trim().split(/[\s,;/]+/).filter((p) => p.length > 0);
  if (parts.length !== 3) invalid('mrz', 'must be "DOCUMENT-NUMBER YYMMDD YYMMDD" (three fields) or full MRZ lines');
  const [number, birth, expiry] = parts;
  const date = (field: string, v: string): string => {
    if (/^\d{7}$/.test(v)) {
      if (checkDigit(v.slice(0, 6)) !== v[6]) invalid(field, 'check digit does not match');
      return v.slice(0, 6);
    }
    return v;
  };
  return bacKeyFromFields({ documentNumber: number, dateOfBirth: date('dateOfBirth', birth), dateOfExpiry: date('dateOfExpiry', expiry) });
}

/** Any accepted input form → the BAC key. Throws ReaderError('invalid-mrz') naming the field. */
export function toBacKey(input: MrzInput): BacKey {
  if (input === null || typeof input !== 'object') invalid('mrz', 'is missing');
  if ('mrz' in input) {
    const m = input.mrz;
    if (Array.isArray(m)) return bacKeyFromLines(m);
    if (typeof m !== 'string') invalid('mrz', 'must be a string');
    const compact = m.replace(/[\s|]+/g, '');
    // Full lines: 60+ characters with '<' fillers, or several lines.
    if (/[\n|]/.test(m.trim()) || compact.length >= 60) return bacKeyFromLines(m);
    return bacKeyFromText(m);
  }
  return bacKeyFromFields(input);
}
