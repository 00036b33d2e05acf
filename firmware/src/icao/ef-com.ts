// EF.COM (ICAO 9303-10 §4.6.1): 60 L { 5F01 04 LDS version "aabb", 5F36 06 Unicode version
// "aabbcc", 5C L tag list }. Parsed whole: the file is a few dozen bytes. Every length is checked
// against its container; anything else is IcaoError('malformed-data').

import { IcaoError } from './errors';
import { TAG_COM, dataGroupFromTag } from './lds';
import { newTlv, readTlv } from './tlv';

export interface EfCom {
  /** "1.7" from "0107". */
  ldsVersion: string;
  /** "4.0.0" from "040000". */
  unicodeVersion: string;
  /** Data groups listed in tag 5C, in file order, without duplicates. */
  dataGroups: number[];
}

/** Largest EF.COM accepted: 16 data groups make it well under 64 bytes. */
export const MAX_EF_COM = 256;

/** "0107" -> "1.7": pairs of ASCII digits joined with dots, leading zeros dropped. */
function versionString(buf: Uint8Array, offset: number, length: number): string {
  if (length === 0 || length & 1) throw new IcaoError('malformed-data', 'EF.COM version length');
  let out = '';
  for (let i = 0; i < length; i += 2) {
    const a = buf[offset + i] - 48;
    const b = buf[offset + i + 1] - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9) throw new IcaoError('malformed-data', 'EF.COM version is not digits');
    out += (i ? '.' : '') + (a * 10 + b);
  }
  return out;
}

export function parseEfCom(bytes: Uint8Array): EfCom {
  if (bytes.length > MAX_EF_COM) throw new IcaoError('too-large', 'EF.COM longer than ' + MAX_EF_COM);
  const t = newTlv();
  readTlv(bytes, 0, bytes.length, t);
  if (t.tag !== TAG_COM) throw new IcaoError('malformed-data', 'EF.COM does not start with tag 60');
  const end = t.end;
  let pos = t.valueOffset;
  let lds = '';
  let unicode = '';
  let groups: number[] | null = null;
  while (pos < end) {
    const tag = readTlv(bytes, pos, end, t).tag;
    if (tag === 0x5f01) {
      if (t.length !== 4) throw new IcaoError('malformed-data', 'EF.COM LDS version is not 4 bytes');
      lds = versionString(bytes, t.valueOffset, 4);
    } else if (tag === 0x5f36) {
      if (t.length !== 6) throw new IcaoError('malformed-data', 'EF.COM Unicode version is not 6 bytes');
      unicode = versionString(bytes, t.valueOffset, 6);
    } else if (tag === 0x5c) {
      if (groups) throw new IcaoError('malformed-data', 'EF.COM has two tag lists');
      groups = [];
      for (let i = t.valueOffset; i < t.end; i++) {
        const dg = dataGroupFromTag(bytes[i]);
        // Unknown tags (a later LDS version) are skipped, not fatal.
        if (dg && groups.indexOf(dg) < 0) groups.push(dg);
      }
    }
    pos = t.end;
  }
  if (!groups) throw new IcaoError('malformed-data', 'EF.COM has no tag list (5C)');
  return { ldsVersion: lds, unicodeVersion: unicode, dataGroups: groups };
}
