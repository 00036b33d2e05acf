import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IcaoError } from './errors';
import { checkDigit, deriveKeySeed, mrzInformation, type MrzKeyInput } from './mrz-key';

const GOOD: MrzKeyInput = { documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623', checkDigits: '316' };

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IcaoError);
    return (e as IcaoError).code;
  }
  return 'no error';
}

describe('check digits (9303-3 §4.9)', () => {
  it('published examples', () => {
    expect(checkDigit('L898902C<')).toBe(3);
    expect(checkDigit('690806')).toBe(1);
    expect(checkDigit('940623')).toBe(6);
    expect(checkDigit('D23145890')).toBe(7); // 9303-3 TD1 example document number
    expect(checkDigit('520727')).toBe(3);
    expect(checkDigit('<<<<<<')).toBe(0);
  });
  it('characters outside the MRZ alphabet are invalid-mrz', () => {
    expect(codeOf(() => checkDigit('ab1'))).toBe('invalid-mrz');
    expect(codeOf(() => checkDigit('12 3'))).toBe('invalid-mrz');
  });
  it('detects every single-character substitution', () => {
    // weights 7 3 1 catch every change of one digit
    fc.assert(fc.property(fc.stringMatching(/^[0-9]{6}$/), fc.nat(5), fc.integer({ min: 1, max: 9 }), (s, pos, delta) => {
      const d = (parseInt(s[pos], 10) + delta) % 10;
      const t = s.substring(0, pos) + d + s.substring(pos + 1);
      expect(checkDigit(t)).not.toBe(checkDigit(s));
    }));
  });
});

describe('MRZ key input validation', () => {
  it('accepts the example with and without check digits, lower case, empty check digits', () => {
    expect(mrzInformation(GOOD)).toBe('L898902C<369080619406236');
    expect(mrzInformation({ ...GOOD, checkDigits: undefined })).toBe('L898902C<369080619406236');
    expect(mrzInformation({ ...GOOD, checkDigits: '' })).toBe('L898902C<369080619406236');
    expect(mrzInformation({ ...GOOD, documentNumber: 'l898902c' })).toBe('L898902C<369080619406236');
  });
  it.each([
    ['document number check digit', { ...GOOD, checkDigits: '416' }],
    ['birth check digit', { ...GOOD, checkDigits: '326' }],
    ['expiry check digit', { ...GOOD, checkDigits: '317' }],
    ['typo in the document number', { ...GOOD, documentNumber: 'L898902D<' }],
    ['typo in the birth date', { ...GOOD, dateOfBirth: '690807' }],
    ['check digits not digits', { ...GOOD, checkDigits: '3a6' }],
    ['too few check digits', { ...GOOD, checkDigits: '31' }],
    ['month 13', { ...GOOD, dateOfBirth: '691306', checkDigits: undefined }],
    ['day 00', { ...GOOD, dateOfExpiry: '940600', checkDigits: undefined }],
    ['date too short', { ...GOOD, dateOfBirth: '69080', checkDigits: undefined }],
    ['date with letters', { ...GOOD, dateOfBirth: '69O806', checkDigits: undefined }],
    ['empty document number', { ...GOOD, documentNumber: '', checkDigits: undefined }],
    ['only fillers', { ...GOOD, documentNumber: '<<<<<<<<<', checkDigits: undefined }],
    ['space in document number', { ...GOOD, documentNumber: 'L898 902C', checkDigits: undefined }],
    ['document number of 23 characters', { ...GOOD, documentNumber: 'A'.repeat(23), checkDigits: undefined }],
  ])('%s -> invalid-mrz', (_name, input) => {
    expect(codeOf(() => deriveKeySeed(input as MrzKeyInput))).toBe('invalid-mrz');
  });
  it('error messages never contain the MRZ values', () => {
    let error: unknown = null;
    try {
      deriveKeySeed({ ...GOOD, checkDigits: '999' });
    } catch (e) {
      error = e;
    }
    // It must throw (a test that only looks inside catch passes when nothing is thrown).
    expect(error).toBeInstanceOf(IcaoError); // not an Error subclass: see errors.ts
    expect((error as IcaoError).message).not.toBe('');
    expect((error as IcaoError).message).not.toMatch(/L898902C|690806|940623/);
  });
  it('document numbers longer than 9 characters use the full number and its own check digit', () => {
    // 9303-3 TD1 example: 'D23145890734' is shown as D23145890 < 734 9 (9: check digit of the full number)
    const doc = 'D23145890734';
    const cd = checkDigit(doc);
    expect(cd).toBe(9);
    expect(mrzInformation({ documentNumber: doc, dateOfBirth: '740812', dateOfExpiry: '120415', checkDigits: cd + '29' }))
      .toBe('D23145890734' + '9' + '740812' + '2' + '120415' + '9');
    expect(codeOf(() => mrzInformation({ documentNumber: doc, dateOfBirth: '740812', dateOfExpiry: '120415', checkDigits: '729' }))).toBe('invalid-mrz');
  });
});
