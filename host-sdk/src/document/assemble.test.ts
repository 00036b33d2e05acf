// assembleDocument: the one place a document and its verdict are made from files, for a live
// read and for `verify` on saved files. Generated documents with DG11 and DG12.
import { beforeAll, describe, expect, it } from 'vitest';
import { fileName } from '@epassport/protocol';
import { createCsca, createDocument, type Csca, type GeneratedDocument } from '@epassport/hardware/sim/document/index';
import { TrustStore } from '../pa/trust-store';
import type { FileRecord } from '../passport-document';
import { assembleDocument, type AssembleInput } from './assemble';

const person = {
  issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3',
  nationality: 'UTO', dateOfBirth: '740812', sex: 'F' as const, dateOfExpiry: '320415',
};

let csca: Csca;
let doc: GeneratedDocument;
const trust = new TrustStore();

beforeAll(async () => {
  csca = await createCsca({ signature: 'ecdsa' });
  doc = await createDocument(person, { signature: 'ecdsa', csca, dataGroups: [1, 2, 11, 12] });
  trust.add(csca.certificate);
});

function input(files: { [id: number]: Uint8Array }, over: Partial<AssembleInput> = {}): AssembleInput {
  const records = new Map<number, FileRecord>();
  for (const [id, bytes] of Object.entries(files)) {
    records.set(Number(id), { fileId: Number(id), name: fileName(Number(id)), bytes, deviceVerdict: 'none', deviceDigest: new Uint8Array(0) });
  }
  return {
    files: records, dg1: undefined, faces: [], parseErrors: [], requestedGroups: null, defaultGroups: [1, 2, 11, 12],
    challenge: null, aaResponse: undefined, trustStore: trust, stats: { bytesRead: 0, apdus: 0, elapsedMs: 0, damagedFrames: 0 }, ...over,
  };
}

describe('assembleDocument', () => {
  it('parses DG11 and DG12 beside the verdict', () => {
    const d = assembleDocument(input(doc.files));
    expect(d.dg11).toMatchObject({ fullName: 'ERIKSSON, ANNA MARIA', placeOfBirth: 'UTOPIA CITY' });
    expect(d.dg12).toMatchObject({ issuingAuthority: 'UTOPIA PASSPORT OFFICE' });
    expect(d.dg12?.dateOfIssueIso).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(d.dataGroups).toEqual([1, 2, 11, 12]);
    expect(d.verdict).toEqual({ verified: true, reasons: [] });
    expect(d.parseErrors).toEqual([]);
    expect(d.requestedGroups).toBeNull();
    expect(d.activeAuthenticationExchange).toBeUndefined();
  });

  it('a data group that does not parse is a parse error; its hash still decides the verdict', () => {
    const broken = { ...doc.files, 11: Uint8Array.of(0x6b, 0x03, 0x5f, 0x0e, 0x05) };
    const d = assembleDocument(input(broken));
    expect(d.dg11).toBeUndefined();
    expect(d.parseErrors).toEqual([{ fileId: 11, message: expect.stringMatching(/^DG11: /) }]);
    expect(d.verdict.reasons.map((r) => r.code)).toEqual(['hash-mismatch']);
  });

  it('files from disk (device verdict none) are judged by the host alone; a group asked for and absent is missing', () => {
    const { 12: _dropped, ...files } = doc.files;
    const d = assembleDocument(input(files, { requestedGroups: [1, 2, 12] }));
    expect(d.passiveAuthentication.hashes.deviceDisagrees).toEqual([]);
    expect(d.missingGroups).toEqual([{ dataGroup: 12, why: 'EF.COM lists it but the reader did not get it' }]);
    expect(d.verdict.reasons.map((r) => r.code)).toEqual(['group-missing']);
  });
});
