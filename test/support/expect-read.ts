// What a full, verified read must look like, for the CLI's --out folder and for the SDK's document.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fileBaseName, type PassportDocument } from '@epassport/host-sdk';
import { independentPassiveAuthentication } from './independent-pa';
import { cscaPath, fixtureFiles } from './virtual-reader';

/** EF.COM, EF.SOD, DG1, DG2 and DG15: what every fixture holds and a default read fetches. */
export const EXPECTED_FILES = ['EF.COM.bin', 'EF.SOD.bin', 'DG1.bin', 'DG2.bin', 'DG15.bin'];

function dataGroupsByNumber(files: Map<string, Uint8Array>): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const [name, bytes] of files) {
    const m = /^DG(\d+)\.bin$/.exec(name);
    if (m) out.set(Number(m[1]), bytes);
  }
  return out;
}

/** The received files equal the fixture's byte for byte, and OpenSSL + node:crypto verify them. */
export function expectFilesOfFixture(received: Map<string, Uint8Array>, document: string): void {
  const expected = fixtureFiles(document);
  expect([...received.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const name of EXPECTED_FILES) expect(received.has(name), name).toBe(true);
  for (const [name, bytes] of expected) {
    const got = received.get(name)!;
    expect(got.length, name).toBe(bytes.length);
    // Buffer.equals, not toEqual on 15 KB arrays: a failure names the file, not every byte.
    expect(Buffer.from(got).equals(bytes), `${name} differs from the fixture`).toBe(true);
  }
  const check = independentPassiveAuthentication(received.get('EF.SOD.bin')!, dataGroupsByNumber(received), cscaPath(document));
  expect(check.signatureAndChain).toBe('verified');
  for (const dg of [1, 2, 15]) expect(check.groups.get(dg), `DG${dg} hash (independent)`).toBe(true);
}

/** The SDK's passive authentication report (the CLI's report.json) says verified throughout. */
export function expectVerifiedReport(report: PassportDocument['passiveAuthentication']): void {
  expect(report.hashes.status).toBe('ok');
  expect(report.hashes.groups.map((g) => [g.dataGroup, g.verdict, g.device])).toEqual([
    [1, 'match', 'match'],
    [2, 'match', 'match'],
    [15, 'match', 'match'],
  ]);
  expect(report.signature.status).toBe('valid');
  expect(report.chain.status).toBe('trusted');
  expect(report.problems).toEqual([]);
  expect(report.verified).toBe(true);
}

/** The CLI's --out folder after a verified read of `document`. */
export function expectVerifiedOutDir(outDir: string, document: string): void {
  const names = readdirSync(outDir);
  const received = new Map<string, Uint8Array>();
  // The chip's files; the Active Authentication exchange (AA-*.bin) is saved beside them.
  for (const n of names) if (/^(EF\.COM|EF\.SOD|DG\d+)\.bin$/.test(n)) received.set(n, readFileSync(join(outDir, n)));
  expectFilesOfFixture(received, document);
  if (received.has('DG15.bin')) {
    expect(readFileSync(join(outDir, 'AA-challenge.bin')).length).toBe(8);
    expect(readFileSync(join(outDir, 'AA-response.bin')).length).toBeGreaterThan(0);
  }
  expect(existsSync(join(outDir, 'report.json'))).toBe(true);
  expectVerifiedReport(JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')));
}

/** The SDK's document after a verified read of `document`. */
export function expectVerifiedDocument(doc: PassportDocument, document: string): void {
  const received = new Map<string, Uint8Array>();
  for (const f of doc.files.values()) received.set(fileBaseName(f.fileId), f.bytes);
  expectFilesOfFixture(received, document);
  expectVerifiedReport(doc.passiveAuthentication);
  expect(doc.verified).toBe(true);
}
