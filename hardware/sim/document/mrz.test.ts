import { describe, expect, it } from 'vitest';
import { checkDigit, nameField, nameTruncated, td1, td2, td3 } from './mrz';
import type { Person } from './types';

// The ICAO Doc 9303 specimen (Parts 4, 5 and 6): ANNA MARIA ERIKSSON of Utopia.
const SPECIMEN: Person = {
  issuingState: 'UTO', surname: 'Eriksson', givenNames: 'Anna María', documentNumber: 'L898902C3',
  nationality: 'UTO', dateOfBirth: '740812', sex: 'F', dateOfExpiry: '120415', personalNumber: 'ZE184226B',
};

describe('MRZ', () => {
  it('check digits of the published examples', () => {
    expect(checkDigit('L898902C3')).toBe('6');
    expect(checkDigit('740812')).toBe('2');
    expect(checkDigit('120415')).toBe('9');
    expect(checkDigit('ZE184226B<<<<<')).toBe('1');
    expect(checkDigit('L898902C<')).toBe('3');
    expect(checkDigit('D23145890')).toBe('7');
  });

  it('TD3 of the Part 4 specimen', () => {
    expect(td3(SPECIMEN)).toEqual([
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
      'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
    ]);
  });

  it('TD1 and TD2 of the Part 5 and Part 6 specimens', () => {
    const card = { ...SPECIMEN, documentType: 'I', documentNumber: 'D23145890', personalNumber: undefined };
    expect(td1(card)).toEqual([
      'I<UTOD231458907<<<<<<<<<<<<<<<',
      '7408122F1204159UTO<<<<<<<<<<<6',
      'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
    ]);
    expect(td2(card)).toEqual([
      'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<',
      'D231458907UTO7408122F1204159<<<<<<<6',
    ]);
  });

  it('truncates a long name, given names first, ending on a letter', () => {
    const f = nameField('Vanderbilt-Montgomery-Featherstonehaugh', 'Alexandra Josephine Maximiliana', 39);
    expect(f).toHaveLength(39);
    expect(f.startsWith('VANDERBILT<MONTGOMERY<FEATHERSTONEHAUGH')).toBe(true);
    expect(nameTruncated('Vanderbilt-Montgomery-Featherstonehaugh', 'Alexandra', 39)).toBe(true);
    const g = nameField('Papadopoulou', 'Konstantina Alexandra Evangelia Maria', 39);
    expect(g).toBe('PAPADOPOULOU<<KONSTANTINA<ALEXANDRA<E<M');
    expect(nameField('Li', 'Na', 39)).toBe('LI<<NA'.padEnd(39, '<'));
  });
});
