// What the tests over crafted documents share (hardware/sim/document): the holder of ICAO 9303's
// sample passport, the passive-authentication input of a document, a checked trust store.

import type { GeneratedDocument, Person } from '@epassport/hardware/sim/document/index';
import type { PassiveAuthenticationInput } from '../../src/pa/passive-authentication';
import { TrustStore } from '../../src/pa/trust-store';

/** ICAO 9303 Part 4's sample holder (the Utopian passport), as createDocument takes it. */
export const SAMPLE_PERSON: Person = {
  issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3',
  nationality: 'UTO', dateOfBirth: '740812', sex: 'F', dateOfExpiry: '320415',
};

/** EF.SOD and DG1-DG16 of `doc` as a read delivers them, checked against `trust`. */
export function paInput(doc: GeneratedDocument, trust: TrustStore | null, extra: Partial<PassiveAuthenticationInput> = {}): PassiveAuthenticationInput {
  const dataGroups = new Map<number, Uint8Array>();
  for (const [k, v] of Object.entries(doc.files)) if (Number(k) <= 16) dataGroups.set(Number(k), v);
  return { sod: doc.files[0x1d], dataGroups, trustStore: trust, ...extra };
}

/** A trust store of `certificates` and `crls`, its CRLs checked against their issuers. */
export function trustStore(certificates: Uint8Array[], crls: Uint8Array[] = []): TrustStore {
  const s = new TrustStore();
  for (const c of certificates) s.add(c);
  for (const c of crls) s.addCrl(c);
  s.checkCrls();
  return s;
}
