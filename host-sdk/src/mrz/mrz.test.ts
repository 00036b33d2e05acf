import { describe, expect, it } from 'vitest';
import { checkDigit, checkDigitMatches } from './check-digit';
import { mrzDateToIso, parseMrz } from './mrz-parser';
import { bacKeyFromLines, bacKeyFromText, toBacKey } from './mrz-input';
import { ReaderError } from '../reader-error';

// ICAO 9303 specimens (Part 4 Appendix A TD3; Part 5 TD1; Part 6 TD2).
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

function withChar(line: string, at: number, c: string): string {
  return line.slice(0, at) + c + line.slice(at + 1);
}

function thrown(fn: () => unknown): ReaderError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReaderError);
    return e as ReaderError;
  }
  throw new Error('did not throw');
}

describe('check digits', () => {
  it('matches the 9303 worked examples', () => {
    expect(checkDigit('L898902C<')).toBe('3');
    expect(checkDigit('690806')).toBe('1');
    expect(checkDigit('940623')).toBe('6');
    expect(checkDigit('D23145890')).toBe('7');
    expect(checkDigit('ZE184226B<<<<<')).toBe('1');
  });
  it('accepts < only for an all-filler field and rejects foreign characters', () => {
    expect(checkDigitMatches('<<<<<<<<<<<<<<', '<')).toBe(true);
    expect(checkDigitMatches('AB1<<<<<<<<<<<', '<')).toBe(false);
    expect(() => checkDigit('ab')).toThrow(RangeError);
  });
});

describe('parseMrz', () => {
  it('parses the TD3 specimen', () => {
    const m = parseMrz(TD3);
    expect(m).toMatchObject({
      format: 'TD3', documentCode: 'P', issuingState: 'UTO', primaryIdentifier: 'ERIKSSON', secondaryIdentifier: 'ANNA MARIA',
      nameMayBeTruncated: false, documentNumber: 'L898902C3', nationality: 'UTO', dateOfBirth: '740812', sex: 'F',
      dateOfExpiry: '120415', optionalData: 'ZE184226B', valid: true,
    });
    expect(m.checks).toEqual({ documentNumber: true, dateOfBirth: true, dateOfExpiry: true, optionalData: true, composite: true });
  });

  it('parses the TD1 specimen', () => {
    const m = parseMrz(TD1.join('\n'));
    expect(m).toMatchObject({
      format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', documentNumberCheckDigit: '7',
      dateOfBirth: '740812', sex: 'F', dateOfExpiry: '120415', nationality: 'UTO', primaryIdentifier: 'ERIKSSON',
      secondaryIdentifier: 'ANNA MARIA', optionalData: '', optionalData2: '', valid: true,
    });
  });

  it('parses the TD2 specimen, also from the concatenated DG1 form', () => {
    const m = parseMrz(TD2.join(''));
    expect(m).toMatchObject({ format: 'TD2', documentNumber: 'D23145890', primaryIdentifier: 'ERIKSSON', secondaryIdentifier: 'ANNA MARIA', valid: true });
  });

  it('joins the TD1 long document number extension', () => {
    // 12-character number D23145890734: 9 in the field, '<' as check digit, then "734" + check in optional data.
    const number = 'D23145890734';
    const cd = checkDigit(number);
    const line1 = ('I<UTOD23145890<734' + cd + '<').padEnd(30, '<');
    const line2body = '7408122F1204159UTO<<<<<<<<<<<';
    const composite = checkDigit(line1.slice(5, 30) + line2body.slice(0, 7) + line2body.slice(8, 15) + line2body.slice(18, 29));
    const m = parseMrz([line1, line2body + composite, TD1[2]]);
    expect(m.documentNumber).toBe(number);
    expect(m.documentNumberField).toBe(number);
    expect(m.checks.documentNumber).toBe(true);
    expect(m.checks.composite).toBe(true);
    expect(m.optionalData).toBe('');
  });

  it('reports each wrong check digit by field without throwing', () => {
    const bad = parseMrz([TD3[0], withChar(TD3[1], 19, '3')]);
    expect(bad.checks.dateOfBirth).toBe(false);
    expect(bad.checks.composite).toBe(false);
    expect(bad.checks.documentNumber).toBe(true);
    expect(bad.valid).toBe(false);
    expect(parseMrz([TD3[0], withChar(TD3[1], 9, '0')]).checks.documentNumber).toBe(false);
    expect(parseMrz([TD3[0], withChar(TD3[1], 27, '0')]).checks.dateOfExpiry).toBe(false);
    expect(parseMrz([TD3[0], withChar(TD3[1], 42, '2')]).checks.optionalData).toBe(false);
    expect(parseMrz([TD1[0], withChar(TD1[1], 29, '1'), TD1[2]]).checks.composite).toBe(false);
  });

  it('splits names: fillers become spaces, no secondary identifier, possible truncation', () => {
    const full = 'P<UTO' + 'VANDERBERGHE<DE<LA<CRUZ<<MARIA<JOSEPHINA<ANAS'.slice(0, 39);
    const m = parseMrz([full, TD3[1]]);
    expect(m.primaryIdentifier).toBe('VANDERBERGHE DE LA CRUZ');
    expect(m.secondaryIdentifier).toBe('MARIA JOSEPHIN');
    expect(m.nameMayBeTruncated).toBe(true);
    const single = parseMrz(['P<UTOMADONNA'.padEnd(44, '<'), TD3[1]]);
    expect(single.primaryIdentifier).toBe('MADONNA');
    expect(single.secondaryIdentifier).toBe('');
    expect(single.nameMayBeTruncated).toBe(false);
  });

  it('reads < as unspecified sex and fillers in the issuing state', () => {
    const m = parseMrz(['P<D<<MUSTERMANN<<ERIKA'.padEnd(44, '<'), withChar(TD3[1], 20, '<')]);
    expect(m.issuingState).toBe('D');
    expect(m.sex).toBe('X');
  });

  it('rejects wrong lengths, line counts and characters with clear errors', () => {
    expect(thrown(() => parseMrz([TD3[0], TD3[1].slice(1)])).message).toMatch(/2 line\(s\) of 44\/43 characters.*TD1 \(3x30\)/);
    expect(thrown(() => parseMrz([TD3[0]])).code).toBe('malformed-data');
    expect(thrown(() => parseMrz([TD3[0], TD3[1].toLowerCase()])).message).toMatch(/line 2 holds a character/);
    expect(thrown(() => parseMrz([TD3[0], withChar(TD3[1], 20, 'Q')])).message).toMatch(/sex/);
    expect(thrown(() => parseMrz('')).code).toBe('malformed-data');
  });

  it('dates: YYMMDD to ISO with birth in the past and expiry near now', () => {
    const now = new Date(Date.UTC(2025, 0, 1));
    expect(mrzDateToIso('740812', 'birth', now)).toBe('1974-08-12');
    expect(mrzDateToIso('150101', 'birth', now)).toBe('2015-01-01');
    expect(mrzDateToIso('120415', 'expiry', now)).toBe('2012-04-15');
    expect(mrzDateToIso('340415', 'expiry', now)).toBe('2034-04-15');
    expect(mrzDateToIso('990231', 'birth', now)).toBeNull();
    expect(mrzDateToIso('74<<<<', 'birth', now)).toBeNull();
  });
});

describe('MRZ input for BAC', () => {
  it('takes the three-field form and derives the check digits (9303 Part 11 Appendix D)', () => {
    expect(bacKeyFromText('L898902C 690806 940623')).toEqual({
      documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623', checkDigits: '316',
    });
    expect(toBacKey({ mrz: 'l898902c3 690806 940623' }).documentNumber).toBe('L898902C3');
  });

  it('dates given as numbers by a JavaScript caller become strings with the right check digits (found by fuzzing)', () => {
    const key = toBacKey({ documentNumber: 'L898902C', dateOfBirth: 690806 as unknown as string, dateOfExpiry: 940623 as unknown as string });
    expect(key).toEqual({ documentNumber: 'L898902C<', dateOfBirth: '690806', dateOfExpiry: '940623', checkDigits: '316' });
  });

  it('dates that are neither strings nor numbers are invalid-mrz, not a TypeError (fuzz seed 1415329859, full run d1 of 2026-12-02)', () => {
    const odd = [[{ toString: {} }], { toString: () => '690806' }, true, Symbol('d')];
    for (const dateOfBirth of odd) {
      const e = thrown(() => toBacKey({ documentNumber: 'L898902C', dateOfBirth: dateOfBirth as unknown as string, dateOfExpiry: '940623' }));
      expect(e.code).toBe('invalid-mrz');
      expect(e.message).toBe('dateOfBirth must be six digits YYMMDD');
    }
  });

  it('verifies a check digit appended to a date', () => {
    expect(bacKeyFromText('L898902C 6908061 9406236').checkDigits).toBe('316');
    const e = thrown(() => bacKeyFromText('L898902C 6908062 9406236'));
    expect(e.code).toBe('invalid-mrz');
    expect(e.field).toBe('dateOfBirth');
  });

  it('takes full MRZ lines of every format, with | or newlines', () => {
    expect(toBacKey({ mrz: TD3.join('|') })).toEqual({ documentNumber: 'L898902C3', dateOfBirth: '740812', dateOfExpiry: '120415', checkDigits: '629' });
    expect(toBacKey({ mrz: TD1.join('\n') }).documentNumber).toBe('D23145890');
    expect(toBacKey({ mrz: TD2 }).checkDigits).toBe('729');
  });

  it('refuses bad check digits in full lines, naming the field and not the value', () => {
    const e = thrown(() => bacKeyFromLines([TD3[0], withChar(TD3[1], 27, '0')]));
    expect(e.code).toBe('invalid-mrz');
    expect(e.field).toBe('dateOfExpiry');
    expect(e.message).not.toMatch(/120415|L898902C3|ERIKSSON/);
    expect(thrown(() => bacKeyFromLines([TD3[0], withChar(TD3[1], 43, '5')])).field).toBe('composite');
    expect(thrown(() => toBacKey({ mrz: TD3[0] + '|' + TD3[1].slice(2) })).message).toMatch(/TD1/);
  });

  it('refuses malformed fields, naming each', () => {
    const cases: [Parameters<typeof toBacKey>[0], string][] = [
      [{ documentNumber: '', dateOfBirth: '690806', dateOfExpiry: '940623' }, 'documentNumber'],
      [{ documentNumber: 'L89*', dateOfBirth: '690806', dateOfExpiry: '940623' }, 'documentNumber'],
      [{ documentNumber: 'A'.repeat(23), dateOfBirth: '690806', dateOfExpiry: '940623' }, 'documentNumber'],
      [{ documentNumber: 'L898902C', dateOfBirth: '691306', dateOfExpiry: '940623' }, 'dateOfBirth'],
      [{ documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '9406' }, 'dateOfExpiry'],
      [{ documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940600' }, 'dateOfExpiry'],
      [{ mrz: 'L898902C 690806' }, 'mrz'],
    ];
    for (const [input, field] of cases) {
      const e = thrown(() => toBacKey(input));
      expect(e.code, field).toBe('invalid-mrz');
      expect(e.field).toBe(field);
    }
  });
});
