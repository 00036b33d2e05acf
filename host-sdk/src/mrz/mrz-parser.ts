// Parses the machine-readable zone of TD1 (3x30), TD2 (2x36) and TD3 (2x44) documents into fields
// with check-digit verdicts. Structure errors (length, characters) throw; wrong check digits do
// not: they are verdicts, because a chip's DG1 is what it is and the caller decides.

import { ReaderError } from '../reader-error.js';
import { MRZ_CHARSET, checkDigitMatches } from './check-digit.js';
import { MRZ_LAYOUTS, MRZ_SHAPES, formatOfLength, type MrzFormat, type MrzLayout, type Span } from './mrz-format.js';

export type Sex = 'M' | 'F' | 'X';

export interface MrzChecks {
  documentNumber: boolean;
  dateOfBirth: boolean;
  dateOfExpiry: boolean;
  /** TD3 passports: the personal number's check digit (true when absent). */
  optionalData: boolean;
  /** The composite check digit (true for visas, which have none). */
  composite: boolean;
}

export interface MrzData {
  format: MrzFormat;
  /** The MRZ lines exactly as read. */
  lines: string[];
  /** 'P', 'I', 'ID', 'AC', 'V', ... (fillers removed). */
  documentCode: string;
  /** Three-letter code of the issuing state or organisation (fillers removed, e.g. 'D'). */
  issuingState: string;
  /** Surname(s): the primary identifier, '<' fillers turned into spaces. */
  primaryIdentifier: string;
  /** Given name(s): the secondary identifier, '<' fillers turned into spaces. */
  secondaryIdentifier: string;
  /** The name field ends without a filler: it may have been truncated to fit. */
  nameMayBeTruncated: boolean;
  /** The document number, with the TD1/TD2 long-number extension joined back on, no fillers. */
  documentNumber: string;
  /** The document number as the MRZ field, fillers kept (what BAC uses), extension included. */
  documentNumberField: string;
  /** The check digit of documentNumberField. */
  documentNumberCheckDigit: string;
  nationality: string;
  /** YYMMDD; unknown parts stay '<'. */
  dateOfBirth: string;
  dateOfBirthCheckDigit: string;
  sex: Sex;
  /** YYMMDD */
  dateOfExpiry: string;
  dateOfExpiryCheckDigit: string;
  /** Optional data (TD3: personal number), fillers removed, trimmed. */
  optionalData: string;
  /** TD1: optional data of line 2. */
  optionalData2: string;
  checks: MrzChecks;
  /** Every check digit holds. */
  valid: boolean;
}

function fail(message: string): never {
  throw new ReaderError('malformed-data', message);
}

/** Splits MRZ text into lines: accepts an array, newline- or '|'-separated text, or the lines
 * concatenated (as DG1 stores them). */
export function splitMrzLines(text: string | string[]): string[] {
  if (Array.isArray(text)) return text.map((l) => l.trim());
  const parts = text.split(/[\r\n|]+/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (parts.length === 1) {
    const format = formatOfLength(parts[0].length);
    if (format) {
      const { lines, length } = MRZ_SHAPES[format];
      return Array.from({ length: lines }, (_, i) => parts[0].slice(i * length, (i + 1) * length));
    }
  }
  return parts;
}

function detectFormat(lines: string[]): MrzFormat {
  for (const format of ['TD1', 'TD2', 'TD3'] as MrzFormat[]) {
    const s = MRZ_SHAPES[format];
    if (lines.length === s.lines && lines.every((l) => l.length === s.length)) return format;
  }
  const shape = lines.length + ' line(s) of ' + lines.map((l) => l.length).join('/') + ' characters';
  return fail('MRZ has ' + shape + '; expected TD1 (3x30), TD2 (2x36) or TD3 (2x44)');
}

function layoutFor(format: MrzFormat, documentCode: string): MrzLayout {
  const base = MRZ_LAYOUTS[format];
  // Visas (MRV-A 2x44, MRV-B 2x36) have no composite or personal-number check digit: the
  // optional data runs to the end of line 2.
  if (documentCode[0] === 'V' && format !== 'TD1') {
    const end = MRZ_SHAPES[format].length;
    return { ...base, optionalData: [1, 28, end], optionalDataCheck: undefined, compositeCheck: [1, end, end], composite: [] };
  }
  return base;
}

const defiller = (s: string) => s.replace(/<+/g, ' ').trim();

/** Splits the name field at '<<' into primary and secondary identifiers. */
export function parseName(field: string): { primary: string; secondary: string; mayBeTruncated: boolean } {
  const at = field.indexOf('<<');
  const primary = at < 0 ? field : field.slice(0, at);
  const secondary = at < 0 ? '' : field.slice(at + 2);
  return { primary: defiller(primary), secondary: defiller(secondary), mayBeTruncated: !field.endsWith('<') };
}

/** Parses a TD1, TD2 or TD3 MRZ. Throws ReaderError('malformed-data') on a wrong shape. */
export function parseMrz(text: string | string[]): MrzData {
  const lines = splitMrzLines(text);
  const format = detectFormat(lines);
  lines.forEach((l, i) => {
    if (!MRZ_CHARSET.test(l)) fail('MRZ line ' + (i + 1) + ' holds a character outside A-Z, 0-9 and <');
  });
  const at = (s: Span) => lines[s[0]].slice(s[1], s[2]);
  const documentCode = at(MRZ_LAYOUTS[format].documentCode).replace(/</g, '');
  const layout = layoutFor(format, documentCode);

  // Document number, with the long-number extension of TD1/TD2: the check digit position holds
  // '<' and the number continues in the optional data, its check digit last before a filler.
  let documentNumberField = at(layout.documentNumber);
  let documentNumberCheckDigit = at(layout.documentNumberCheck);
  let optionalData = at(layout.optionalData);
  if (format !== 'TD3' && documentNumberCheckDigit === '<' && !/^<*$/.test(optionalData)) {
    const end = optionalData.indexOf('<') < 0 ? optionalData.length : optionalData.indexOf('<');
    if (end < 2) fail('MRZ long document number extension is too short');
    documentNumberField += optionalData.slice(0, end - 1);
    documentNumberCheckDigit = optionalData[end - 1];
    optionalData = optionalData.slice(end + 1);
  }

  const name = parseName(at(layout.name));
  const sexChar = at(layout.sex);
  if (!/^[MFX<]$/.test(sexChar)) fail('MRZ sex field is not M, F, X or <');
  const dateOfBirth = at(layout.dateOfBirth);
  const dateOfExpiry = at(layout.dateOfExpiry);
  const optionalCheck = layout.optionalDataCheck;
  const checks: MrzChecks = {
    documentNumber: checkDigitMatches(documentNumberField, documentNumberCheckDigit),
    dateOfBirth: checkDigitMatches(dateOfBirth, at(layout.dateOfBirthCheck)),
    dateOfExpiry: checkDigitMatches(dateOfExpiry, at(layout.dateOfExpiryCheck)),
    optionalData: optionalCheck ? checkDigitMatches(at(layout.optionalData), at(optionalCheck)) : true,
    composite: layout.composite.length === 0 || checkDigitMatches(layout.composite.map(at).join(''), at(layout.compositeCheck)),
  };
  return {
    format,
    lines,
    documentCode,
    issuingState: at(layout.issuingState).replace(/</g, ''),
    primaryIdentifier: name.primary,
    secondaryIdentifier: name.secondary,
    nameMayBeTruncated: name.mayBeTruncated,
    documentNumber: documentNumberField.replace(/</g, ''),
    documentNumberField,
    documentNumberCheckDigit,
    nationality: at(layout.nationality).replace(/</g, ''),
    dateOfBirth,
    dateOfBirthCheckDigit: at(layout.dateOfBirthCheck),
    sex: sexChar === '<' ? 'X' : (sexChar as Sex),
    dateOfExpiry,
    dateOfExpiryCheckDigit: at(layout.dateOfExpiryCheck),
    optionalData: defiller(optionalData),
    optionalData2: layout.optionalData2 ? defiller(at(layout.optionalData2)) : '',
    checks,
    valid: checks.documentNumber && checks.dateOfBirth && checks.dateOfExpiry && checks.optionalData && checks.composite,
  };
}

/** YYMMDD as an ISO date (YYYY-MM-DD). Birth dates are put in the past century when the
 * two-digit year is ahead of `now`; expiry dates within [now - 80, now + 20) years. Null when
 * the date has unknown ('<') parts or is not a calendar date. */
export function mrzDateToIso(yymmdd: string, kind: 'birth' | 'expiry', now: Date = new Date()): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  const thisYear = now.getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + yy;
  if (kind === 'birth' && year > thisYear) year -= 100;
  if (kind === 'expiry' && year >= thisYear + 20) year -= 100;
  if (kind === 'expiry' && year < thisYear - 80) year += 100;
  const d = new Date(Date.UTC(year, mm - 1, dd));
  if (d.getUTCMonth() !== mm - 1 || d.getUTCDate() !== dd) return null;
  return d.toISOString().slice(0, 10);
}
