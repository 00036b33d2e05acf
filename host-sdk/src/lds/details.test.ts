// DG7, DG11 and DG12 (ICAO 9303 Part 10, 8th ed., §4.7.7, §4.7.11, §4.7.12), built tag by tag
// from the structures the standard gives, and from the passport simulator's own encoder (a
// separate implementation, hardware/sim/document/lds.ts). Hostile input: each refusal names
// what is wrong.
import { describe, expect, it } from 'vitest';
import { encodeDg11 as simDg11, encodeDg12 as simDg12 } from '@epassport/hardware/sim/document/lds';
import { concat, tlv } from '../../../test/fuzz/ber-mutator';
import { ReaderError } from '../reader-error';
import { makeJpeg } from '../../test/support/lds-builder';
import { parseDg7 } from './dg7';
import { parseDg11 } from './dg11';
import { parseDg12 } from './dg12';

const utf8 = (s: string) => new TextEncoder().encode(s);
const tags = (...t: number[]) => t.flatMap((x) => (x > 0xff ? [x >> 8, x & 0xff] : [x]));

function refused(fn: () => unknown): ReaderError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReaderError);
    expect((e as ReaderError).code).toBe('malformed-data');
    return e as ReaderError;
  }
  throw new Error('accepted');
}

describe('DG11 additional personal details', () => {
  const full = tlv(0x6b, concat(
    tlv(0x5c, tags(0x5f0e, 0xa0, 0x5f10, 0x5f2b, 0x5f11, 0x5f42, 0x5f13, 0x5f17)),
    tlv(0x5f0e, utf8('SMITH<<JOHN<J')),
    tlv(0xa0, concat(tlv(0x02, [2]), tlv(0x5f0f, utf8('SMYTHE<<JON')), tlv(0x5f0f, utf8('SCHMIDT<<JOHANN')))),
    tlv(0x5f10, utf8('123456789')),
    tlv(0x5f2b, utf8('19380627')),
    tlv(0x5f11, utf8('ANYTOWN<MN')),
    tlv(0x5f42, utf8('123 MAPLE RD<ANYTOWN<MN')),
    tlv(0x5f13, utf8('TRAVEL AGENT')),
    tlv(0x5f17, utf8('Z7654321<Y1234567')),
  ));

  it('reads every field, other names with their count, the full date of birth', () => {
    const d = parseDg11(full);
    expect(d).toMatchObject({
      fullName: 'SMITH<<JOHN<J', fullNameReadable: 'SMITH, JOHN J', otherNames: ['SMYTHE<<JON', 'SCHMIDT<<JOHANN'],
      personalNumber: '123456789', fullDateOfBirth: '19380627', fullDateOfBirthIso: '1938-06-27', placeOfBirth: 'ANYTOWN<MN',
      address: '123 MAPLE RD<ANYTOWN<MN', profession: 'TRAVEL AGENT', otherTravelDocuments: ['Z7654321', 'Y1234567'],
      tagList: ['5F0E', 'A0', '5F10', '5F2B', '5F11', '5F42', '5F13', '5F17'], listedButAbsent: [],
    });
  });

  it('reads the simulator\'s DG11 (UTF-8), and names listed tags that are absent', () => {
    const d = parseDg11(simDg11('Testperson, Anna Åsa', 'Göteborg'));
    expect(d).toMatchObject({ fullName: 'Testperson, Anna Åsa', fullNameReadable: 'Testperson, Anna Åsa', placeOfBirth: 'Göteborg', otherNames: [] });
    const sloppy = parseDg11(tlv(0x6b, concat(tlv(0x5c, tags(0x5f0e, 0x5f11)), tlv(0x5f0e, utf8('A<<B')))));
    expect(sloppy.listedButAbsent).toEqual(['5F11']);
  });

  it('a date of birth that is not a calendar date keeps its digits, ISO null', () => {
    expect(parseDg11(tlv(0x6b, concat(tlv(0x5c, tags(0x5f2b)), tlv(0x5f2b, utf8('19380231'))))).fullDateOfBirthIso).toBeNull();
  });

  it('refuses hostile structures, saying what is wrong', () => {
    expect(refused(() => parseDg11(tlv(0x6c, tlv(0x5c, [])))).message).toMatch(/DG11: outer tag is 6C, expected 6B/);
    expect(refused(() => parseDg11(tlv(0x6b, tlv(0x5f0e, utf8('A'))))).message).toMatch(/tag list \(5C\) must come first/);
    const names = (count: number, n: number) => tlv(0x6b, concat(tlv(0x5c, tags(0xa0)), tlv(0xa0, concat(tlv(0x02, [count]), ...Array.from({ length: n }, () => tlv(0x5f0f, utf8('X<<Y')))))));
    expect(parseDg11(names(3, 3)).otherNames).toHaveLength(3);
    expect(refused(() => parseDg11(names(5, 2))).message).toMatch(/counts 5 names but holds 2/);
    expect(refused(() => parseDg11(tlv(0x6b, concat(tlv(0x5c, []), tlv(0xa0, tlv(0x5f0f, utf8('X'))))))).message).toMatch(/one-byte count/);
    expect(refused(() => parseDg11(tlv(0x6b, concat(tlv(0x5c, []), tlv(0xa0, concat(tlv(0x02, [1]), tlv(0x5f10, utf8('X')))))))).message).toMatch(/holds tag 5F10, expected 5F0F/);
    expect(refused(() => parseDg11(tlv(0x6b, concat(tlv(0x5c, []), tlv(0x5f0e, [0x41, 0x07]))))).message).toMatch(/full name holds a control character/);
    expect(refused(() => parseDg11(tlv(0x6b, concat(tlv(0x5c, []), tlv(0x5f10, utf8('1')), tlv(0x5f10, utf8('2')))))).message).toMatch(/appears 2 times/);
    expect(refused(() => parseDg11(tlv(0x6b, tlv(0x5c, [0x5f])))).message).toMatch(/inside a two-byte tag/);
    expect(refused(() => parseDg11(Uint8Array.of(0x6b, 0x10, 0x5c, 0x00))).message).toMatch(/^DG11: tag 6B declares 16 bytes/);
  });
});

describe('DG12 additional document details', () => {
  it('reads every text field, other persons, the personalization time, and the images', () => {
    const front = makeJpeg(8, 8);
    const d = parseDg12(tlv(0x6c, concat(
      tlv(0x5c, tags(0x5f19, 0x5f26, 0xa0, 0x5f1b, 0x5f1c, 0x5f1d, 0x5f55, 0x5f56)),
      tlv(0x5f19, utf8('UTOPIA PASSPORT OFFICE')),
      tlv(0x5f26, utf8('20231121')),
      tlv(0xa0, concat(tlv(0x02, [1]), tlv(0x5f1a, utf8('DOE<<JANE')))),
      tlv(0x5f1b, utf8('NONE')),
      tlv(0x5f1c, utf8('EXIT PERMIT')),
      tlv(0x5f1d, front),
      tlv(0x5f55, utf8('20231121143005')),
      tlv(0x5f56, utf8('PS-0042')),
    )));
    expect(d).toMatchObject({
      issuingAuthority: 'UTOPIA PASSPORT OFFICE', dateOfIssue: '20231121', dateOfIssueIso: '2023-11-21', otherPersons: ['DOE<<JANE'],
      endorsements: 'NONE', taxOrExitRequirements: 'EXIT PERMIT', personalizationTime: '20231121143005',
      personalizationTimeIso: '2023-11-21T14:30:05', personalizationSystemSerial: 'PS-0042', listedButAbsent: [],
    });
    expect(d.frontImage?.mime).toBe('image/jpeg');
    expect(d.frontImage?.bytes.length).toBe(front.length);
    expect(d.rearImage).toBeUndefined();
  });

  it('reads the simulator\'s DG12; refuses a bad name list and a wrong outer tag', () => {
    expect(parseDg12(simDg12('Utopia Passport Office', '20231121'))).toMatchObject({ issuingAuthority: 'Utopia Passport Office', dateOfIssueIso: '2023-11-21' });
    expect(parseDg12(tlv(0x6c, concat(tlv(0x5c, []), tlv(0x5f55, utf8('20231121250000'))))).personalizationTimeIso).toBeNull();
    expect(refused(() => parseDg12(tlv(0x6c, concat(tlv(0x5c, []), tlv(0xa0, concat(tlv(0x02, [2]), tlv(0x5f1a, utf8('X')))))))).message).toMatch(/DG12: name list \(A0\) counts 2 names but holds 1/);
    expect(refused(() => parseDg12(tlv(0x6b, tlv(0x5c, [])))).message).toMatch(/DG12: outer tag is 6B/);
  });
});

describe('DG7 displayed signature', () => {
  const jpeg = makeJpeg(16, 8);
  it('reads each image with its type', () => {
    const images = parseDg7(tlv(0x67, concat(tlv(0x02, [2]), tlv(0x5f43, jpeg), tlv(0x5f43, [1, 2, 3]))));
    expect(images.map((i) => i.mime)).toEqual(['image/jpeg', 'application/octet-stream']);
    expect(Buffer.from(images[0].bytes)).toEqual(Buffer.from(jpeg));
  });

  it('refuses a wrong count, a foreign tag, an empty image, no count', () => {
    expect(refused(() => parseDg7(tlv(0x67, concat(tlv(0x02, [2]), tlv(0x5f43, jpeg))))).message).toMatch(/DG7: counts 2 images but holds 1/);
    expect(refused(() => parseDg7(tlv(0x67, concat(tlv(0x02, [1]), tlv(0x5f2e, jpeg))))).message).toMatch(/holds tag 5F2E, expected 5F43/);
    expect(refused(() => parseDg7(tlv(0x67, concat(tlv(0x02, [1]), tlv(0x5f43, []))))).message).toMatch(/image 1 is empty/);
    expect(refused(() => parseDg7(tlv(0x67, tlv(0x5f43, jpeg)))).message).toMatch(/one-byte number of instances/);
    expect(refused(() => parseDg7(tlv(0x75, tlv(0x02, [0])))).message).toMatch(/DG7: outer tag is 75, expected 67/);
  });
});
