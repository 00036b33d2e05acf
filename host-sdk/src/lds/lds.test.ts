import { describe, expect, it } from 'vitest';
import { readTlv, readTlvList, encodeTlv, concatBytes } from './tlv';
import { encodeDg1, parseDg1 } from './dg1';
import { parseDg2 } from './dg2';
import { parseEfCom } from './ef-com';
import { encodeDg2, encodeEfCom, encodeFacialRecord, makeJpeg, makeJpeg2000 } from '../../test/support/lds-builder';
import { ReaderError } from '../reader-error';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

function error(fn: () => unknown): ReaderError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReaderError);
    return e as ReaderError;
  }
  throw new Error('did not throw');
}

describe('BER-TLV', () => {
  it('reads multi-byte tags and long-form lengths', () => {
    const t = readTlv(hex('5F1F 81 80' + '41'.repeat(128)));
    expect(t.tag).toBe(0x5f1f);
    expect(t.value.length).toBe(128);
    expect(readTlv(hex('7F61 82 0001 00')).constructed).toBe(true);
    expect(readTlv(encodeTlv(0x75, new Uint8Array(70000))).value.length).toBe(70000);
  });
  it('rejects truncation, indefinite length and oversized length fields, saying where', () => {
    expect(error(() => readTlv(hex('61 05 0102'))).message).toMatch(/tag 61 declares 5 bytes but only 2 remain at offset 0/);
    expect(error(() => readTlv(hex('5F'))).message).toMatch(/tag truncated/);
    expect(error(() => readTlv(hex('61 80 0000'))).message).toMatch(/indefinite/);
    expect(error(() => readTlv(hex('61 85 0000000001 00'))).message).toMatch(/uses 5 bytes/);
    expect(error(() => readTlv(hex('61 82 01'))).message).toMatch(/truncated/);
    expect(error(() => readTlvList(hex('0100 02'))).message).toMatch(/length of tag 02 missing/);
  });
});

describe('DG1', () => {
  it('parses TD1, TD2 and TD3 specimens from DG1 bytes', () => {
    expect(parseDg1(encodeDg1(TD3))).toMatchObject({ format: 'TD3', documentNumber: 'L898902C3', secondaryIdentifier: 'ANNA MARIA', valid: true });
    expect(parseDg1(encodeDg1(TD1))).toMatchObject({ format: 'TD1', documentNumber: 'D23145890', primaryIdentifier: 'ERIKSSON', valid: true });
    expect(parseDg1(encodeDg1(TD2))).toMatchObject({ format: 'TD2', nationality: 'UTO', sex: 'F', valid: true });
  });
  it('hands wrong check digits back as verdicts', () => {
    const m = parseDg1(encodeDg1([TD3[0], TD3[1].slice(0, 9) + '0' + TD3[1].slice(10)]));
    expect(m.checks.documentNumber).toBe(false);
    expect(m.valid).toBe(false);
  });
  it('rejects a wrong outer tag, a missing 5F1F, a bad length and a wrong MRZ length', () => {
    const good = encodeDg1(TD3);
    const wrongTag = good.slice();
    wrongTag[0] = 0x75;
    expect(error(() => parseDg1(wrongTag)).message).toBe('DG1: outer tag is 75, expected 61');
    expect(error(() => parseDg1(encodeTlv(0x61, encodeTlv(0x5f20, new Uint8Array(3))))).message).toMatch(/no MRZ data object/);
    const badLength = good.slice();
    badLength[4] += 1; // 5F1F length one more than the data
    expect(error(() => parseDg1(badLength)).message).toMatch(/^DG1: tag 5F1F declares 89 bytes/);
    expect(error(() => parseDg1(good.subarray(0, 40))).message).toMatch(/^DG1: tag 61 declares/);
    expect(error(() => parseDg1(encodeDg1([TD3[0], TD3[1].slice(0, 40)]))).message).toMatch(/^DG1: MRZ has 1 line/);
    expect(error(() => parseDg1(encodeTlv(0x61, encodeTlv(0x5f1f, new Uint8Array(88).fill(0xc3))))).message).toMatch(/non-ASCII/);
    expect(error(() => parseDg1(new Uint8Array(0))).code).toBe('malformed-data');
  });
});

describe('EF.COM', () => {
  it('lists the data groups', () => {
    expect(parseEfCom(encodeEfCom([1, 2, 15, 14]))).toEqual({ ldsVersion: '0107', unicodeVersion: '040000', dataGroups: [1, 2, 14, 15] });
  });
  it('reads a hostile 300 KB version field without overflowing the stack (found by fuzzing)', () => {
    const big = new Uint8Array(300_000).fill(0x30);
    const com = encodeTlv(0x60, concatBytes(encodeTlv(0x5f01, big), encodeTlv(0x5c, new Uint8Array([0x61]))));
    const r = parseEfCom(com);
    expect(r.ldsVersion.length).toBe(300_000);
    expect(r.dataGroups).toEqual([1]);
  });
});

describe('DG2', () => {
  it('extracts a JPEG face from a 19794-5 record with its size', () => {
    const jpg = makeJpeg(40, 50);
    const [face] = parseDg2(encodeDg2([encodeFacialRecord([{ bytes: jpg, width: 40, height: 50, dataType: 0, featurePoints: 2, gender: 2 }])]));
    expect(face.mime).toBe('image/jpeg');
    expect(Buffer.from(face.bytes).equals(Buffer.from(jpg))).toBe(true);
    expect(face).toMatchObject({ width: 40, height: 50, source: 'iso19794-5', gender: 'female' });
  });
  it('extracts JPEG 2000 faces, several per record and per group, in 7F2E blocks too', async () => {
    const jp2 = await makeJpeg2000(64, 48);
    const j2k = await makeJpeg2000(64, 48, 'j2k');
    const dg2 = encodeDg2([
      encodeFacialRecord([{ bytes: jp2, width: 64, height: 48, dataType: 1 }, { bytes: j2k, width: 64, height: 48, dataType: 1 }]),
      encodeFacialRecord([{ bytes: jp2, width: 64, height: 48, dataType: 1 }]),
    ], 0x7f2e);
    const faces = parseDg2(dg2);
    expect(faces.map((f) => f.mime)).toEqual(['image/jp2', 'image/j2k', 'image/jp2']);
  });
  it('finds an image inside a block that is not 19794-5', () => {
    const jpg = makeJpeg(16, 8);
    const [face] = parseDg2(encodeDg2([new Uint8Array([0xa1, 0x02, 0x01, 0x02, ...jpg])], 0x7f2e));
    expect(face).toMatchObject({ source: 'embedded', mime: 'image/jpeg', width: 16, height: 8 });
  });
  it('rejects broken structures', () => {
    const jpg = makeJpeg(8, 8);
    const record = encodeFacialRecord([{ bytes: jpg, width: 8, height: 8, dataType: 0 }]);
    expect(error(() => parseDg2(encodeTlv(0x75, encodeTlv(0x02, new Uint8Array([1]))))).message).toMatch(/7F61/);
    expect(error(() => parseDg2(encodeDg2([record.subarray(0, record.length - 5)]))).message).toMatch(/length is wrong/);
    const notFac = record.slice();
    notFac[2] = 0x58;
    expect(parseDg2(encodeDg2([notFac]))[0].source).toBe('embedded');
    notFac.fill(0x11, record.length - jpg.length);
    expect(error(() => parseDg2(encodeDg2([notFac]))).message).toMatch(/no JPEG or JPEG 2000/);
    const garbage = record.slice();
    garbage.fill(0x11, record.length - jpg.length);
    expect(error(() => parseDg2(encodeDg2([garbage]))).message).toMatch(/neither JPEG nor JPEG 2000/);
    expect(error(() => parseDg2(encodeDg1(TD3))).message).toMatch(/outer tag is 61/);
  });
});
