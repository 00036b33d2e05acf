// What counts as personal data and key material for the privacy scan, in every form it could be
// printed in: the MRZ fields (document number, birth and expiry dates as YYMMDD, YYYYMMDD,
// YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY, "15 MAR 1988"), the MRZ lines, the names (each
// part of three letters or more, any case), and the BAC keys (K_seed, K_enc, K_mac derived here
// with node:crypto from the MRZ; the session keys KS_enc, KS_mac as the passport derived them)
// in hex (either case) and base64.

import { createHash } from 'node:crypto';
import type { Fixture } from '@epassport/hardware/fixtures/index';

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function checkDigit(text: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const v = c === '<' ? 0 : c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55;
    sum += v * weights[i % 3];
  }
  return String(sum % 10);
}

/** The printed forms of a YYMMDD date (birth: 19xx/20xx by the pivot; expiry: 20xx). */
export function dateForms(yymmdd: string, kind: 'birth' | 'expiry'): string[] {
  const yy = Number(yymmdd.slice(0, 2));
  const century = kind === 'expiry' ? 2000 : yy > new Date().getFullYear() % 100 ? 1900 : 2000;
  const yyyy = String(century + yy);
  const mm = yymmdd.slice(2, 4);
  const dd = yymmdd.slice(4, 6);
  const mon = MONTHS[Number(mm) - 1];
  return [yymmdd, yyyy + mm + dd, `${yyyy}-${mm}-${dd}`, `${dd}.${mm}.${yyyy}`, `${dd}/${mm}/${yyyy}`, `${mm}/${dd}/${yyyy}`, `${yyyy}/${mm}/${dd}`,
    `${dd} ${mon} ${yyyy}`, `${Number(dd)} ${mon} ${yyyy}`];
}

/** K_seed, K_enc, K_mac of ICAO 9303-11 §9.7 from the MRZ fields, with node:crypto. */
export function bacKeys(bac: { documentNumber: string; dateOfBirth: string; dateOfExpiry: string }): { kSeed: Buffer; kEnc: Buffer; kMac: Buffer } {
  const doc = bac.documentNumber.padEnd(9, '<');
  const info = doc + checkDigit(doc) + bac.dateOfBirth + checkDigit(bac.dateOfBirth) + bac.dateOfExpiry + checkDigit(bac.dateOfExpiry);
  const kSeed = createHash('sha1').update(info, 'latin1').digest().subarray(0, 16);
  const derive = (c: number): Buffer => {
    const k = createHash('sha1').update(Buffer.concat([kSeed, Buffer.from([0, 0, 0, c])])).digest().subarray(0, 16);
    for (let i = 0; i < 16; i++) {
      let ones = 0;
      for (let b = 1; b < 8; b++) if (k[i] & (1 << b)) ones++;
      k[i] = (k[i] & 0xfe) | (ones % 2 === 0 ? 1 : 0);
    }
    return Buffer.from(k);
  };
  return { kSeed: Buffer.from(kSeed), kEnc: derive(1), kMac: derive(2) };
}

export interface Secret {
  what: string;
  text: string;
}

function keyForms(what: string, key: Uint8Array): Secret[] {
  const b = Buffer.from(key);
  const hex = b.toString('hex');
  // Any 8 consecutive bytes of a key (a half printed alone) in hex, and the whole in base64.
  const out: Secret[] = [{ what, text: b.toString('base64') }];
  for (let i = 0; i + 8 <= b.length; i += 8) {
    out.push({ what: what + ' (hex)', text: hex.slice(i * 2, i * 2 + 16) }, { what: what + ' (HEX)', text: hex.slice(i * 2, i * 2 + 16).toUpperCase() });
  }
  return out;
}

/** Every secret of `fixture` (plus session keys seen on the chip), and of any other MRZ used. */
export function secretsOf(fixture: Fixture, sessionKeys: Uint8Array[] = [], extraBac: { documentNumber: string; dateOfBirth: string; dateOfExpiry: string }[] = []): Secret[] {
  const out: Secret[] = [];
  const p = fixture.person as unknown as Record<string, string>;
  for (const bac of [fixture.bac, ...extraBac]) {
    out.push({ what: 'document number', text: bac.documentNumber });
    for (const t of dateForms(bac.dateOfBirth, 'birth')) out.push({ what: 'birth date', text: t });
    for (const t of dateForms(bac.dateOfExpiry, 'expiry')) out.push({ what: 'expiry date', text: t });
    const k = bacKeys(bac);
    out.push(...keyForms('K_seed', k.kSeed), ...keyForms('K_enc', k.kEnc), ...keyForms('K_mac', k.kMac));
  }
  for (const line of fixture.mrz) out.push({ what: 'MRZ line', text: line }, { what: 'MRZ line part', text: line.slice(0, 20) });
  for (const field of ['surname', 'givenNames']) {
    for (const part of (p[field] ?? '').split(/[\s<-]+/)) if (part.length >= 3) out.push({ what: 'name', text: part });
  }
  sessionKeys.forEach((key, i) => out.push(...keyForms(i % 2 === 0 ? 'KS_enc' : 'KS_mac', key)));
  return out;
}

/** Every secret found in `text` (names: any case; the rest: as listed). */
export function findSecrets(text: string, secrets: Secret[]): Secret[] {
  const upper = text.toUpperCase();
  return secrets.filter((s) => (s.what === 'name' ? upper.includes(s.text.toUpperCase()) : text.includes(s.text)));
}

/** The labels of the identity block `passport-reader read` prints on stdout because the user
 * asked for the holder's data (host-sdk/src/cli/format.ts formatDocument): these lines, and only
 * these, of a read's stdout are left out of the scan. */
export const IDENTITY_LABELS = ['Document:', 'Name:', 'Nationality:', 'Born:', 'Expires:', 'Optional:', 'Optional 2:'];

export function withoutIdentityBlock(stdout: string): string {
  return stdout.split('\n').filter((line) => !IDENTITY_LABELS.some((l) => line.startsWith(l))).join('\n');
}
