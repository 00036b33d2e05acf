// Certificates for the test PKI (CSCA, Document Signer, master-list signer), built with the DER
// writer and signed with node:crypto, so that every algorithm (RSA PKCS#1 v1.5, RSA-PSS, ECDSA on
// P-256 and brainpoolP256r1) goes through one path. ICAO Doc 9303 Part 12; RFC 5280.

import { constants, createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { bitString, boolean, explicit, integer, NULL, octets, oid, printable, seq, setOf, time, tlv } from './der';
import type { SignatureKind } from './types';

export const OID = {
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  /** id-icao-cscaMasterListSigningKey */
  masterListSigning: '2.23.136.1.1.3',
} as const;

const sha256AlgId = (): Uint8Array => seq(oid(OID.sha256));

export function digestAlgorithm(): Uint8Array {
  return sha256AlgId();
}

/** The signature AlgorithmIdentifier for a kind (SHA-256 throughout). */
export function signatureAlgorithm(kind: SignatureKind): Uint8Array {
  switch (kind) {
    case 'rsa':
      return seq(oid(OID.sha256WithRSA), NULL);
    case 'rsa-pss':
      return seq(oid(OID.rsassaPss), seq(
        explicit(0, sha256AlgId()),
        explicit(1, seq(oid(OID.mgf1), sha256AlgId())),
        explicit(2, integer(32)),
      ));
    default:
      return seq(oid(OID.ecdsaWithSha256));
  }
}

export function generateKeys(kind: SignatureKind, rsaBits = 2048): { privateKey: KeyObject; publicKey: KeyObject } {
  if (kind === 'rsa' || kind === 'rsa-pss') return generateKeyPairSync('rsa', { modulusLength: rsaBits });
  return generateKeyPairSync('ec', { namedCurve: kind === 'ecdsa' ? 'prime256v1' : 'brainpoolP256r1' });
}

/** Signs data with SHA-256 and the kind's scheme (ECDSA signatures DER encoded, as X.509 and CMS want). */
export function signData(kind: SignatureKind, key: KeyObject, data: Uint8Array): Uint8Array {
  if (kind === 'rsa-pss') {
    return new Uint8Array(sign('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
  }
  return new Uint8Array(sign('sha256', data, key));
}

export function spkiOf(publicKey: KeyObject): Uint8Array {
  return new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
}

/** Key identifier: SHA-1 of the SubjectPublicKeyInfo (RFC 5280 allows any method). */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(spki).digest());
}

export interface DistinguishedName {
  country: string;
  organization?: string;
  organizationalUnit?: string;
  commonName: string;
  serialNumber?: string;
}

export function encodeName(n: DistinguishedName): Uint8Array {
  const rdn = (type: string, value: string) => setOf(seq(oid(type), printable(value)));
  const parts = [rdn(OID.country, n.country)];
  if (n.organization) parts.push(rdn(OID.organization, n.organization));
  if (n.organizationalUnit) parts.push(rdn(OID.organizationalUnit, n.organizationalUnit));
  parts.push(rdn(OID.commonName, n.commonName));
  if (n.serialNumber) parts.push(rdn(OID.serialNumber, n.serialNumber));
  return seq(...parts);
}

/** KeyUsage bits (RFC 5280 4.2.1.3). */
export const KEY_USAGE = { digitalSignature: 0, nonRepudiation: 1, keyCertSign: 5, cRLSign: 6 } as const;

function keyUsage(bits: number[]): Uint8Array {
  let v = 0;
  for (const b of bits) v |= 0x80 >> b;
  let unused = 0;
  while (unused < 7 && !(v & (1 << unused))) unused++;
  return bitString(Uint8Array.of(v), unused);
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), boolean(true), octets(value)) : seq(oid(id), octets(value));
}

export interface CertificateRequest {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  serial?: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  subjectPublicKey: KeyObject;
  /** The issuer's key and its signature kind. */
  issuerKey: KeyObject;
  issuerKind: SignatureKind;
  /** SPKI of the issuer (authority key identifier); the subject's own for a self-signed one. */
  issuerSpki: Uint8Array;
  ca?: boolean;
  keyUsage: number[];
  extendedKeyUsage?: string[];
}

/** A signed X.509 v3 certificate (DER). */
export function makeCertificate(r: CertificateRequest): Uint8Array {
  const spki = spkiOf(r.subjectPublicKey);
  const serial = r.serial ?? randomSerial();
  const extensions = [];
  if (r.ca) extensions.push(extension(OID.basicConstraints, true, seq(boolean(true), integer(0))));
  extensions.push(extension(OID.keyUsage, true, keyUsage(r.keyUsage)));
  if (r.extendedKeyUsage) extensions.push(extension(OID.extKeyUsage, false, seq(...r.extendedKeyUsage.map(oid))));
  extensions.push(extension(OID.subjectKeyId, false, octets(keyIdentifier(spki))));
  extensions.push(extension(OID.authorityKeyId, false, seq(tlv(0x80, keyIdentifier(r.issuerSpki)))));
  const algorithm = signatureAlgorithm(r.issuerKind);
  const tbs = seq(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    encodeName(r.issuer),
    seq(time(r.notBefore), time(r.notAfter)),
    encodeName(r.subject),
    spki,
    explicit(3, seq(...extensions)),
  );
  return seq(tbs, algorithm, bitString(signData(r.issuerKind, r.issuerKey, tbs)));
}

/** A positive 8-byte serial number. */
export function randomSerial(): Uint8Array {
  const s = new Uint8Array(randomBytes(8));
  s[0] = (s[0] & 0x7f) | 0x01;
  return s;
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
