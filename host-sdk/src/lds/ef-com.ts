// EF.COM: tag 60 { 5F01 LDS version, 5F36 Unicode version, 5C tag list } (9303 Part 10 §4.6.1).

import { readFileTlv, readTlvList, findTlv } from './tlv.js';

/** Data group number by its file tag (DG1 = 61, DG2 = 75, ...). */
export const DG_TAGS: Record<number, number> = {
  0x61: 1, 0x75: 2, 0x63: 3, 0x76: 4, 0x65: 5, 0x66: 6, 0x67: 7, 0x68: 8,
  0x69: 9, 0x6a: 10, 0x6b: 11, 0x6c: 12, 0x6d: 13, 0x6e: 14, 0x6f: 15, 0x70: 16,
};

export interface EfCom {
  ldsVersion: string;
  unicodeVersion: string;
  /** Data groups present, ascending. */
  dataGroups: number[];
}

export function parseEfCom(bytes: Uint8Array): EfCom {
  const outer = readFileTlv(bytes, 0x60, 'EF.COM');
  const children = readTlvList(outer.value);
  // latin1 without spreading the bytes into arguments (a hostile 100 KB field would overflow the stack)
  const ascii = (v?: Uint8Array) => (v ? Buffer.from(v.buffer, v.byteOffset, v.length).toString('latin1') : '');
  const list = findTlv(children, 0x5c);
  const groups = list ? [...list.value].map((t) => DG_TAGS[t]).filter((g) => g !== undefined) : [];
  return {
    ldsVersion: ascii(findTlv(children, 0x5f01)?.value),
    unicodeVersion: ascii(findTlv(children, 0x5f36)?.value),
    dataGroups: [...new Set(groups)].sort((a, b) => a - b),
  };
}
