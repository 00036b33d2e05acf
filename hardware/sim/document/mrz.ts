// Machine readable zone text (ICAO Doc 9303 Parts 3, 4, 5, 6): check digits, name field with
// transliteration and truncation, TD3 (passport), TD1 and TD2 builders.

import type { Person } from './types';

const WEIGHTS = [7, 3, 1];

/** Check digit over MRZ characters: weights 7 3 1, digits as is, A..Z = 10..35, '<' = 0. */
export function checkDigit(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += v * WEIGHTS[i % 3];
  }
  return String(sum % 10);
}

/** Upper case, diacritics dropped, separators to '<', anything else removed. */
export function mrzText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/ß/g, 'SS')
    .replace(/[\s\-',.]+/g, '<')
    .replace(/[^A-Z0-9<]/g, '')
    .replace(/^<+|<+$/g, '');
}

export function field(s: string, length: number): string {
  const t = mrzText(s);
  if (t.length > length) throw new Error(`MRZ field longer than ${length}`);
  return t.padEnd(length, '<');
}

/**
 * The name field: SURNAME<<GIVEN<NAMES, truncated to `length` when needed (given names first,
 * down to initials, then a hard cut), always ending on a letter when truncated.
 */
export function nameField(surname: string, givenNames: string, length: number): string {
  const sur = mrzText(surname);
  const given = mrzText(givenNames).split('<').filter(Boolean);
  const build = (g: string[]) => (g.length ? sur + '<<' + g.join('<') : sur);
  let name = build(given);
  // Shorten the given names from the last one towards initials.
  for (let i = given.length - 1; i >= 0 && name.length > length; i--) {
    while (given[i].length > 1 && build(given).length > length) given[i] = given[i].slice(0, -1);
    name = build(given);
  }
  if (name.length > length) name = name.slice(0, length).replace(/<+$/, '');
  return name.padEnd(length, '<');
}

/** Whether a name did not fit its field and was shortened. */
export function nameTruncated(surname: string, givenNames: string, length: number): boolean {
  const full = mrzText(surname) + (mrzText(givenNames) ? '<<' + mrzText(givenNames) : '');
  return full.length > length;
}

/** The two 44-character lines of a TD3 (passport) MRZ. */
export function td3(p: Person): [string, string] {
  const type = (p.documentType ?? 'P').padEnd(2, '<');
  const line1 = type + field(p.issuingState, 3) + nameField(p.surname, p.givenNames, 39);
  const docNo = field(p.documentNumber, 9);
  const personal = field(p.personalNumber ?? '', 14);
  const personalCheck = /^<+$/.test(personal) ? '<' : checkDigit(personal);
  const a = docNo + checkDigit(docNo);
  const b = p.dateOfBirth + checkDigit(p.dateOfBirth);
  const c = p.dateOfExpiry + checkDigit(p.dateOfExpiry);
  const composite = checkDigit(a + b + c + personal + personalCheck);
  const line2 = a + field(p.nationality, 3) + b + p.sex + c + personal + personalCheck + composite;
  return [line1, line2];
}

/** The three 30-character lines of a TD1 (card) MRZ; personalNumber goes in the optional data. */
export function td1(p: Person): [string, string, string] {
  const type = (p.documentType ?? 'I').padEnd(2, '<');
  const docNo = field(p.documentNumber, 9);
  const line1 = type + field(p.issuingState, 3) + docNo + checkDigit(docNo) + field(p.personalNumber ?? '', 15);
  const mid = p.dateOfBirth + checkDigit(p.dateOfBirth) + p.sex + p.dateOfExpiry + checkDigit(p.dateOfExpiry) + field(p.nationality, 3) + field('', 11);
  const composite = checkDigit(line1.slice(5) + mid.slice(0, 7) + mid.slice(8, 15) + mid.slice(18, 29));
  return [line1, mid + composite, nameField(p.surname, p.givenNames, 30)];
}

/** The two 36-character lines of a TD2 MRZ. */
export function td2(p: Person): [string, string] {
  const type = (p.documentType ?? 'I').padEnd(2, '<');
  const line1 = type + field(p.issuingState, 3) + nameField(p.surname, p.givenNames, 31);
  const docNo = field(p.documentNumber, 9);
  const a = docNo + checkDigit(docNo);
  const b = p.dateOfBirth + checkDigit(p.dateOfBirth);
  const c = p.dateOfExpiry + checkDigit(p.dateOfExpiry);
  const optional = field(p.personalNumber ?? '', 7);
  const composite = checkDigit(a + b + c + optional);
  return [line1, a + field(p.nationality, 3) + b + p.sex + c + optional + composite];
}
