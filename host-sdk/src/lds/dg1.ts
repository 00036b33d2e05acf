// EF.DG1: tag 61 { 5F1F: the MRZ as ASCII, lines concatenated } (ICAO 9303 Part 10 §4.7.1).

import { ReaderError } from '../reader-error.js';
import { parseMrz, type MrzData } from '../mrz/mrz-parser.js';
import { encodeTlv, findTlv, readFileTlv, readTlvList } from './tlv.js';

export const DG1_TAG = 0x61;
export const MRZ_TAG = 0x5f1f;

export type Dg1 = MrzData;

export function parseDg1(bytes: Uint8Array): Dg1 {
  const outer = readFileTlv(bytes, DG1_TAG, 'DG1');
  let children;
  try {
    children = readTlvList(outer.value);
  } catch (e) {
    throw new ReaderError('malformed-data', 'DG1: ' + (e as Error).message, { fileId: 1, cause: e });
  }
  const mrz = findTlv(children, MRZ_TAG);
  if (!mrz) throw new ReaderError('malformed-data', 'DG1: no MRZ data object (5F1F)', { fileId: 1 });
  let text = '';
  for (const b of mrz.value) {
    if (b < 0x20 || b > 0x7e) throw new ReaderError('malformed-data', 'DG1: MRZ holds a non-ASCII byte', { fileId: 1 });
    text += String.fromCharCode(b);
  }
  try {
    return parseMrz(text);
  } catch (e) {
    throw new ReaderError('malformed-data', 'DG1: ' + (e as Error).message, { fileId: 1, cause: e });
  }
}

/** DG1 bytes for MRZ lines (tests and fakes). */
export function encodeDg1(lines: string[]): Uint8Array {
  return encodeTlv(DG1_TAG, encodeTlv(MRZ_TAG, new TextEncoder().encode(lines.join(''))));
}

