// ICAO 9303 Part 3 §4.9 check digit: weights 7, 3, 1 repeating; digits are their value, A..Z are
// 10..35, the filler '<' is 0. Result modulo 10.

const WEIGHTS = [7, 3, 1];

/** Value of one MRZ character, or -1 when the character is not allowed in an MRZ. */
export function mrzCharValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (c === '<') return 0;
  return -1;
}

/** The check digit of `field` as a character '0'..'9'. Throws on characters outside [0-9A-Z<]. */
export function checkDigit(field: string): string {
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const v = mrzCharValue(field[i]);
    if (v < 0) throw new RangeError('character ' + JSON.stringify(field[i]) + ' is not allowed in an MRZ');
    sum += v * WEIGHTS[i % 3];
  }
  return String(sum % 10);
}

/** True when `digit` is the check digit of `field`. A '<' digit counts as 0 only when the whole
 * field is fillers (optional fields left empty, 9303 Part 4 §4.2.2). */
export function checkDigitMatches(field: string, digit: string): boolean {
  if (digit === '<') return /^<*$/.test(field);
  return checkDigit(field) === digit;
}

export const MRZ_CHARSET = /^[0-9A-Z<]*$/;
