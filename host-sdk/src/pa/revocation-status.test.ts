// Whether each certificate below the CSCA was checked against a current CRL of its issuer
// (chain.revocation): reported in the chain report and the CLI, never a verdict reason on its own.

import { beforeAll, describe, expect, it } from 'vitest';
import { createCrl, createCsca, createDocument, createLinkCertificate, serialOf, type Csca, type GeneratedDocument } from '@epassport/hardware/sim/document/index';
import { passiveAuthentication } from './passive-authentication.js';
import { formatReport } from '../cli/format.js';
import { paInput, SAMPLE_PERSON as person, trustStore } from '../../test/support/pa-documents';

const DAY = 86_400_000;

let csca: Csca;
let doc: GeneratedDocument;
beforeAll(async () => {
  csca = await createCsca({ signature: 'ecdsa' });
  doc = await createDocument(person, { signature: 'ecdsa', csca });
});

function read(document: GeneratedDocument, certificates: Uint8Array[], crls: Uint8Array[]) {
  return passiveAuthentication(paInput(document, trustStore(certificates, crls)));
}

const ago = (days: number) => new Date(Date.now() - days * DAY);

describe('revocation status of the chain', () => {
  it('no CRL of the CSCA: not checked, said so, and still verified', () => {
    const r = read(doc, [csca.certificate], []);
    expect(r.reasons).toEqual([]);
    expect(r.chain.revocation).toEqual([{ subject: r.chain.documentSigner!.subject, status: 'no-crl', crlNextUpdate: null }]);
    expect(formatReport(r)).toMatch(/Revocation: +Document Signer not checked \(no CRL of its issuer in the trust store\)/);
  });

  it('a current CRL: checked, with its next update', () => {
    const next = new Date(Date.now() + 30 * DAY);
    const r = read(doc, [csca.certificate], [createCrl(csca, [], { thisUpdate: ago(60), nextUpdate: next })]);
    expect(r.reasons).toEqual([]);
    expect(r.chain.revocation).toMatchObject([{ status: 'current', crlNextUpdate: next.toISOString().replace(/\.\d+Z$/, '.000Z') }]);
    expect(formatReport(r)).toContain('Document Signer checked (CRL current until ' + next.toISOString().slice(0, 10) + ')');
  });

  it('a CRL past its next update: stale, reported, not a verdict reason', () => {
    const r = read(doc, [csca.certificate], [createCrl(csca, [], { thisUpdate: ago(100), nextUpdate: ago(10) })]);
    expect(r.reasons).toEqual([]);
    expect(r.chain.status).toBe('trusted');
    expect(r.chain.revocation).toMatchObject([{ status: 'stale' }]);
    expect(formatReport(r)).toContain('Document Signer checked against a stale CRL (next update was due ' + ago(10).toISOString().slice(0, 10) + ')');
  });

  it('the newest CRL decides: a stale one beside a newer current one is current', () => {
    const stale = createCrl(csca, [], { thisUpdate: ago(100), nextUpdate: ago(10) });
    const current = createCrl(csca, [], { thisUpdate: ago(5), nextUpdate: new Date(Date.now() + 85 * DAY) });
    expect(read(doc, [csca.certificate], [stale, current]).chain.revocation).toMatchObject([{ status: 'current' }]);
    expect(read(doc, [csca.certificate], [current, stale]).chain.revocation).toMatchObject([{ status: 'current' }]);
  });

  it('a stale CRL that lists the signer still revokes it', () => {
    const r = read(doc, [csca.certificate], [createCrl(csca, [serialOf(doc.documentSignerCertificate)], { thisUpdate: ago(100), nextUpdate: ago(10) })]);
    expect(r.reasons.map((x) => x.code)).toEqual(['certificate-revoked']);
    expect(r.chain.revocation).toMatchObject([{ status: 'stale' }]);
  });

  it('through a link certificate: one entry per certificate below the CSCA, each judged by its own issuer', async () => {
    const next = await createCsca({ signature: 'ecdsa', commonName: 'Utopia CSCA 2' });
    const link = createLinkCertificate(csca, next);
    const nextDoc = await createDocument(person, { signature: 'ecdsa', csca: next });
    // The old CSCA published a CRL (it covers the link certificate); the new one has none here.
    const r = read(nextDoc, [csca.certificate, link], [createCrl(csca, [])]);
    expect(r.reasons).toEqual([]);
    expect(r.chain.revocation.map((x) => x.status)).toEqual(['no-crl', 'current']);
    expect(r.chain.revocation[1].subject).toContain('Utopia CSCA 2');
  });
});
