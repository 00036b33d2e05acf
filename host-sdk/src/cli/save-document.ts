// `read --out DIR`: every file of the read, the faces, the Active Authentication exchange and
// the report, each 0600 in a 0700 folder (personal data). `verify DIR` reads them back.

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileBaseName, type PassportDocument } from '../passport-document.js';
import { AA_CHALLENGE_FILE, AA_RESPONSE_FILE, REPORT_FILE } from '../document/saved-files.js';
import { toJson } from './json.js';

/** The file names of each face: the image as stored (face.jpg, face-2.jp2, ...) and the PNG
 * made from a JPEG 2000 (null for a JPEG, which is viewable as it is). */
export function faceFileNames(doc: PassportDocument): { image: string; viewable: string | null }[] {
  return doc.faces.map((face, i) => {
    const base = i === 0 ? 'face' : 'face-' + (i + 1);
    const ext = face.mime === 'image/jpeg' ? '.jpg' : face.mime === 'image/jp2' ? '.jp2' : face.mime === 'image/j2k' ? '.j2k' : '.bin';
    return { image: base + ext, viewable: face.viewable && face.viewable.mime === 'image/png' ? base + '.png' : null };
  });
}

/** Writes the files, faces and report of a document into `dir`; returns the names written. */
export async function saveDocument(doc: PassportDocument, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const written: string[] = [];
  const put = async (name: string, data: Uint8Array | string) => {
    const path = join(dir, name);
    await writeFile(path, data, { mode: 0o600 });
    await chmod(path, 0o600); // an existing file (--force) keeps its old mode otherwise
    written.push(name);
  };
  for (const f of doc.files.values()) await put(fileBaseName(f.fileId), f.bytes);
  const aa = doc.activeAuthenticationExchange;
  if (aa) {
    await put(AA_CHALLENGE_FILE, aa.challenge);
    if (aa.response) await put(AA_RESPONSE_FILE, aa.response);
  }
  const names = faceFileNames(doc);
  for (let i = 0; i < doc.faces.length; i++) {
    await put(names[i].image, doc.faces[i].bytes);
    const viewable = doc.faces[i].viewable;
    if (names[i].viewable && viewable) await put(names[i].viewable as string, viewable.bytes);
  }
  // The passive authentication report, with the document's verdict (verified, reasons) over it,
  // and what was asked for (verify needs it to judge missing groups the same way).
  const report = {
    ...doc.passiveAuthentication, verified: doc.verified, reasons: doc.verdict.reasons, chipAuthenticity: doc.chipAuthenticity,
    activeAuthentication: doc.activeAuthentication, chipAuthentication: doc.chipAuthentication, missingGroups: doc.missingGroups, request: { dataGroups: doc.requestedGroups },
  };
  await put(REPORT_FILE, toJson(report));
  return written;
}
