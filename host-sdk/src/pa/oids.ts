// Object identifiers that passive authentication meets, as tables.

export const OID = {
  LDS_SECURITY_OBJECT: '2.23.136.1.1.1',
  CSCA_MASTER_LIST: '2.23.136.1.1.2',
  SIGNED_DATA: '1.2.840.113549.1.7.2',
  CONTENT_TYPE: '1.2.840.113549.1.9.3',
  MESSAGE_DIGEST: '1.2.840.113549.1.9.4',
  SIGNING_TIME: '1.2.840.113549.1.9.5',
  SUBJECT_KEY_IDENTIFIER: '2.5.29.14',
  RSA_PSS: '1.2.840.113549.1.1.10',
};

/** Digest algorithms: OID → node:crypto name. */
export const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

export type SignatureScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'ecdsa-plain';

/** Signature algorithms: OID → scheme and digest (null: the digest comes from digestAlgorithm). */
export const SIGNATURES: Record<string, { scheme: SignatureScheme; digest: string | null; name: string }> = {
  '1.2.840.113549.1.1.1': { scheme: 'rsa-pkcs1', digest: null, name: 'rsaEncryption' },
  '1.2.840.113549.1.1.5': { scheme: 'rsa-pkcs1', digest: 'sha1', name: 'sha1WithRSAEncryption' },
  '1.2.840.113549.1.1.14': { scheme: 'rsa-pkcs1', digest: 'sha224', name: 'sha224WithRSAEncryption' },
  '1.2.840.113549.1.1.11': { scheme: 'rsa-pkcs1', digest: 'sha256', name: 'sha256WithRSAEncryption' },
  '1.2.840.113549.1.1.12': { scheme: 'rsa-pkcs1', digest: 'sha384', name: 'sha384WithRSAEncryption' },
  '1.2.840.113549.1.1.13': { scheme: 'rsa-pkcs1', digest: 'sha512', name: 'sha512WithRSAEncryption' },
  '1.2.840.113549.1.1.10': { scheme: 'rsa-pss', digest: null, name: 'RSASSA-PSS' },
  '1.2.840.10045.2.1': { scheme: 'ecdsa', digest: null, name: 'ecPublicKey' },
  '1.2.840.10045.4.1': { scheme: 'ecdsa', digest: 'sha1', name: 'ecdsa-with-SHA1' },
  '1.2.840.10045.4.3.1': { scheme: 'ecdsa', digest: 'sha224', name: 'ecdsa-with-SHA224' },
  '1.2.840.10045.4.3.2': { scheme: 'ecdsa', digest: 'sha256', name: 'ecdsa-with-SHA256' },
  '1.2.840.10045.4.3.3': { scheme: 'ecdsa', digest: 'sha384', name: 'ecdsa-with-SHA384' },
  '1.2.840.10045.4.3.4': { scheme: 'ecdsa', digest: 'sha512', name: 'ecdsa-with-SHA512' },
  // BSI TR-03111 ecdsa-plain-signatures: r || s instead of DER.
  '0.4.0.127.0.7.1.1.4.1.1': { scheme: 'ecdsa-plain', digest: 'sha1', name: 'ecdsa-plain-SHA1' },
  '0.4.0.127.0.7.1.1.4.1.2': { scheme: 'ecdsa-plain', digest: 'sha224', name: 'ecdsa-plain-SHA224' },
  '0.4.0.127.0.7.1.1.4.1.3': { scheme: 'ecdsa-plain', digest: 'sha256', name: 'ecdsa-plain-SHA256' },
  '0.4.0.127.0.7.1.1.4.1.4': { scheme: 'ecdsa-plain', digest: 'sha384', name: 'ecdsa-plain-SHA384' },
  '0.4.0.127.0.7.1.1.4.1.5': { scheme: 'ecdsa-plain', digest: 'sha512', name: 'ecdsa-plain-SHA512' },
};

/** 'sha256' → 'SHA-256' for reports. */
export function digestLabel(name: string): string {
  return name.toUpperCase().replace(/^SHA/, 'SHA-');
}
