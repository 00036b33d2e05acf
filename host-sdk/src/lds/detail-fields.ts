// Shared reading of the "additional details" data groups DG11 and DG12 (ICAO 9303 Part 10,
// 8th ed., §4.7.11/§4.7.12): a 5C tag list naming the data objects present, text fields, dates
// as YYYYMMDD digits, and name lists in a content-specific template A0 { 02 count, tag name... }.
// Chip data is hostile: every count is checked against what is there, and errors say where.

import { ReaderError } from '../reader-error.js';
import { readFileTlv, readTlvList, tagHex, type Tlv } from './tlv.js';

const TAG_LIST = 0x5c;
const NAME_TEMPLATE = 0xa0;
const COUNT = 0x02;

export interface DetailObjects {
  /** The tags the 5C list names, in its order. */
  tagList: number[];
  /** Data objects by tag (repeated tags keep every occurrence, in order). */
  objects: Map<number, Uint8Array[]>;
  /** Names in A0 { 02 count, <nameTag>... } templates, and bare <nameTag> objects. */
  names: string[];
}

export function detailError(file: string, fileId: number, message: string, cause?: unknown): ReaderError {
  return new ReaderError('malformed-data', file + ': ' + message, { fileId, cause });
}

/** The tags of a 5C list: one byte, or two when the first byte's low five bits are all set. */
export function parseTagList(value: Uint8Array, file: string, fileId: number): number[] {
  const tags: number[] = [];
  for (let p = 0; p < value.length; p++) {
    let tag = value[p];
    if ((tag & 0x1f) === 0x1f) {
      if (p + 1 >= value.length) throw detailError(file, fileId, 'tag list ends inside a two-byte tag');
      tag = tag * 256 + value[++p];
    }
    tags.push(tag);
  }
  return tags;
}

/** Text as UTF-8 (9303 Part 10 stores these fields so); control bytes are refused. */
export function text(value: Uint8Array, file: string, fileId: number, what: string): string {
  // C0 controls but TAB, LF and CR (an address may have line breaks), and DEL: checked on the
  // bytes, where UTF-8 keeps them as themselves.
  for (let i = 0; i < value.length; i++) {
    const b = value[i];
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) throw detailError(file, fileId, what + ' holds a control character');
  }
  return Buffer.from(value.buffer, value.byteOffset, value.length).toString('utf8');
}

/** YYYYMMDD → YYYY-MM-DD, or null when the digits are not a calendar date. */
export function isoDate(digits: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(digits);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return m[1] + '-' + m[2] + '-' + m[3];
}

/** A 9303 name (PRIMARY<<SECONDARY<NAMES, '<' as filler) as "PRIMARY, SECONDARY NAMES". */
export function readableName(name: string): string {
  if (!name.includes('<')) return name;
  const [primary, ...rest] = name.split('<<');
  const clean = (s: string) => s.replace(/</g, ' ').replace(/\s+/g, ' ').trim();
  const secondary = clean(rest.join(' '));
  return clean(primary) + (secondary ? ', ' + secondary : '');
}

function nameTemplate(t: Tlv, nameTag: number, file: string, fileId: number): string[] {
  let children: Tlv[];
  try {
    children = readTlvList(t.value);
  } catch (e) {
    throw detailError(file, fileId, 'name list (A0): ' + (e as Error).message, e);
  }
  const count = children[0];
  if (!count || count.tag !== COUNT || count.value.length !== 1) throw detailError(file, fileId, 'name list (A0) does not start with a one-byte count (02)');
  const names = children.slice(1);
  for (const n of names) if (n.tag !== nameTag) throw detailError(file, fileId, 'name list (A0) holds tag ' + tagHex(n.tag) + ', expected ' + tagHex(nameTag));
  if (names.length !== count.value[0]) throw detailError(file, fileId, 'name list (A0) counts ' + count.value[0] + ' names but holds ' + names.length);
  return names.map((n, i) => text(n.value, file, fileId, 'name ' + (i + 1)));
}

/** Reads a DG11/DG12 file: outer tag, 5C tag list first, then data objects (any order). */
export function readDetailObjects(bytes: Uint8Array, outerTag: number, file: string, fileId: number, nameTag: number): DetailObjects {
  let children: Tlv[];
  try {
    children = readTlvList(readFileTlv(bytes, outerTag, file).value);
  } catch (e) {
    throw detailError(file, fileId, (e as Error).message.replace(file + ': ', ''), e);
  }
  const list = children[0];
  if (!list || list.tag !== TAG_LIST) throw detailError(file, fileId, 'the tag list (5C) must come first');
  const tagList = parseTagList(list.value, file, fileId);
  const objects = new Map<number, Uint8Array[]>();
  const names: string[] = [];
  for (const c of children.slice(1)) {
    if (c.tag === TAG_LIST) throw detailError(file, fileId, 'a second tag list (5C)');
    if (c.tag === NAME_TEMPLATE) names.push(...nameTemplate(c, nameTag, file, fileId));
    else if (c.tag === nameTag) names.push(text(c.value, file, fileId, 'name ' + (names.length + 1)));
    else {
      const seen = objects.get(c.tag);
      if (seen) seen.push(c.value);
      else objects.set(c.tag, [c.value]);
    }
  }
  return { tagList, objects, names };
}

/** The tags the 5C list names that the file does not hold (a sloppy chip; reported, not fatal). */
export function listedButAbsent(d: DetailObjects, nameTag: number): number[] {
  const present = new Set([...d.objects.keys()]);
  if (d.names.length) present.add(nameTag).add(NAME_TEMPLATE);
  return d.tagList.filter((t) => !present.has(t));
}

/** Copies the single-valued text objects named by `fields` ([tag, key, what]) into `out`; a text
 * object that appears twice is malformed (which one would be the document's?). */
export function readTextFields<T>(d: DetailObjects, fields: readonly (readonly [number, keyof T, string])[], out: T, file: string, fileId: number): void {
  const record = out as unknown as Record<keyof T, string>;
  for (const [tag, key, what] of fields) {
    const values = d.objects.get(tag);
    if (!values) continue;
    if (values.length > 1) throw detailError(file, fileId, what + ' (' + tagHex(tag) + ') appears ' + values.length + ' times');
    record[key] = text(values[0], file, fileId, what);
  }
}
