// A read saved by `read --out DIR`, loaded back for `verify DIR`: the chip's files, the Active
// Authentication exchange and the groups that were asked for, assembled into a document by the
// same code as a live read (assemble.ts), so the same files give the same verdict. What cannot be
// repeated offline is said so: Chip Authentication is a live exchange with the chip, and a saved
// Active Authentication answer proves the chip signed that challenge once, not that it is here now.

import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FILE, fileName } from '@epassport/protocol';
import { ReaderError } from '../reader-error.js';
import { AA_CHALLENGE_LENGTH } from '../aa/active-authentication.js';
import { parseDg1 } from '../lds/dg1.js';
import { parseDg2 } from '../lds/dg2.js';
import { faceOf } from '../image/face.js';
import type { TrustStore } from '../pa/trust-store.js';
import { fileBaseName, type Face, type FileRecord, type PassportDocument } from '../passport-document.js';
import { assembleDocument } from './assemble.js';

/** The Active Authentication challenge the host sent, and the chip's answer (empty: refused). */
export const AA_CHALLENGE_FILE = 'AA-challenge.bin';
export const AA_RESPONSE_FILE = 'AA-response.bin';
export const REPORT_FILE = 'report.json';
/** Larger than any file a chip holds (DG2 and DG3 stay well under 1 MB): anything bigger is not ours. */
const MAX_SAVED_FILE = 4 * 1024 * 1024;
/** The saved device verdict: no device saw these bytes. */
const NO_DEVICE = 'none';

const SAVED_IDS = [FILE.COM, FILE.SOD, ...Array.from({ length: 16 }, (_, i) => i + 1)];

export interface SavedReadOptions {
  trustStore: TrustStore | null;
  now?: Date;
}

function notSaved(dir: string, what: string): ReaderError {
  return new ReaderError('invalid-argument', 'verify ' + dir + ': ' + what + '; give a folder that "passport-reader read --out DIR" wrote');
}

async function readSaved(dir: string, name: string): Promise<Uint8Array | undefined> {
  const path = join(dir, name);
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw notSaved(dir, name + ' is not a file');
    size = s.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (e instanceof ReaderError) throw e;
    throw notSaved(dir, name + ' cannot be read (' + (e as NodeJS.ErrnoException).code + ')');
  }
  if (size > MAX_SAVED_FILE) throw notSaved(dir, name + ' holds ' + size + ' bytes, more than any chip file');
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw notSaved(dir, name + ' cannot be read (' + (e as NodeJS.ErrnoException).code + ')');
  }
}

/** The groups the read asked for, from report.json; null (the default groups) when it has none. */
function requestedGroups(report: Uint8Array | undefined): number[] | null {
  if (!report) return null;
  try {
    const groups = (JSON.parse(Buffer.from(report).toString('utf8')) as { request?: { dataGroups?: unknown } }).request?.dataGroups;
    if (Array.isArray(groups) && groups.every((g) => Number.isInteger(g) && g >= 1 && g <= 16)) return groups as number[];
  } catch {
    // A report.json edited by hand or from an older version: judge by the default groups.
  }
  return null;
}

async function facesOf(bytes: Uint8Array, parseErrors: { fileId: number; message: string }[]): Promise<Face[]> {
  const faces: Face[] = [];
  let images;
  try {
    images = parseDg2(bytes);
  } catch (e) {
    parseErrors.push({ fileId: 2, message: (e as Error).message });
    return faces;
  }
  for (const image of images) {
    faces.push(await faceOf(image));
  }
  return faces;
}

/** Loads the read saved in `dir` and verifies it again: passive authentication against
 * `trustStore` now, Active Authentication on the saved exchange. */
export async function loadSavedRead(dir: string, options: SavedReadOptions, defaultGroups: number[]): Promise<PassportDocument> {
  try {
    if (!(await stat(dir)).isDirectory()) throw notSaved(dir, 'this is a file, not a folder');
  } catch (e) {
    if (e instanceof ReaderError) throw e;
    throw notSaved(dir, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such folder' : 'the folder cannot be read (' + (e as NodeJS.ErrnoException).code + ')');
  }
  const files = new Map<number, FileRecord>();
  for (const fileId of SAVED_IDS) {
    const bytes = await readSaved(dir, fileBaseName(fileId));
    if (bytes) files.set(fileId, { fileId, name: fileName(fileId), bytes, deviceVerdict: NO_DEVICE, deviceDigest: new Uint8Array(0) });
  }
  if (files.size === 0) {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.bin')).slice(0, 5);
    throw notSaved(dir, 'it holds none of the chip files (EF.COM.bin, EF.SOD.bin, DG1.bin, ...)' + (names.length ? ', only ' + names.join(', ') : ''));
  }
  const challenge = await readSaved(dir, AA_CHALLENGE_FILE);
  if (challenge && challenge.length !== AA_CHALLENGE_LENGTH) throw notSaved(dir, AA_CHALLENGE_FILE + ' holds ' + challenge.length + ' bytes, a challenge has ' + AA_CHALLENGE_LENGTH);
  const parseErrors: { fileId: number; message: string }[] = [];
  let dg1: PassportDocument['dg1'];
  const dg1File = files.get(1);
  if (dg1File) {
    try {
      dg1 = parseDg1(dg1File.bytes);
    } catch (e) {
      parseErrors.push({ fileId: 1, message: (e as Error).message });
    }
  }
  const dg2File = files.get(2);
  const faces = dg2File ? await facesOf(dg2File.bytes, parseErrors) : [];
  return assembleDocument({
    files, dg1, faces, parseErrors,
    requestedGroups: requestedGroups(await readSaved(dir, REPORT_FILE)), defaultGroups,
    challenge: challenge ?? null,
    noActiveAuthWhy: 'the saved read holds no Active Authentication exchange (' + AA_CHALLENGE_FILE + ')',
    aaResponse: challenge ? await readSaved(dir, AA_RESPONSE_FILE) : undefined,
    trustStore: options.trustStore, now: options.now,
    stats: { bytesRead: [...files.values()].reduce((n, f) => n + f.bytes.length, 0), apdus: 0, elapsedMs: 0, damagedFrames: 0 },
  });
}
