import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEfCom } from './ef-com';
import { IcaoError } from './errors';

const V = JSON.parse(readFileSync(join(__dirname, '../../test-data/icao9303-part11-appendix-d.json'), 'utf8'));
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(IcaoError);
    return (e as IcaoError).code;
  }
  return 'no error';
}

describe('parseEfCom', () => {
  it('the EF.COM of ICAO 9303-11 appendix D (read in two parts there)', () => {
    const com = hex(V.secureMessaging[1].plainResponseData + V.secureMessaging[2].plainResponseData);
    expect(parseEfCom(com)).toEqual({ ldsVersion: '1.6', unicodeVersion: '4.0.0', dataGroups: [1, 2] });
  });

  it('all sixteen data groups, in file order, unknown tags and duplicates dropped', () => {
    const tags = '61756376656667686A6B6C6D6E6F7069' + '99' + '61';
    const body = '5F0104303130375F3606303430303030' + '5C' + (tags.length / 2).toString(16).padStart(2, '0') + tags;
    const com = hex('60' + (body.length / 2).toString(16).padStart(2, '0') + body);
    expect(parseEfCom(com).dataGroups).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 9]);
    expect(parseEfCom(com).ldsVersion).toBe('1.7');
  });

  it.each([
    ['wrong outer tag', '61065F01043031'],
    ['no tag list', '600A5F0104303130375F36'],
    ['no tag list at all', '60085F010430313037'],
    ['inner length runs past the outer one', '60065F0104303130375C0161'],
    ['outer length runs past the data', '60FF5C0161'],
    ['length of length 5', '60850000000005'],
    ['indefinite length', '60805C016100'],
    ['4 GB length', '6084FFFFFFFF5C0161'],
    ['LDS version not digits', '600B5F0104303A30375C0161'],
    ['LDS version wrong size', '600A5F01033031305C0161'],
    ['two tag lists', '60065C01615C0175'],
    ['empty', ''],
    ['tag truncated', '605F'],
  ])('%s -> malformed-data', (_name, h) => {
    expect(codeOf(() => parseEfCom(hex(h)))).toBe('malformed-data');
  });

  it('an EF.COM longer than any real one is too-large', () => {
    const big = new Uint8Array(300);
    big.set([0x60, 0x82, 0x01, 0x28]);
    expect(codeOf(() => parseEfCom(big))).toBe('too-large');
  });
});
