// The rest of a CSCA's PKI for crafted documents: CRLs (RFC 5280 §5, as ICAO 9303-12 §7.1.4
// profiles them) and link certificates (9303-12 §5: the new CSCA key certified by the old one).

import { createPublicKey } from 'node:crypto';
import { bitString, integer, seq, time } from './der';
import { encodeName, makeCertificate, signatureAlgorithm, signData, spkiOf, KEY_USAGE } from './pki';
import type { Csca } from './types';

const DAY = 86_400_000;

export interface CrlOptions {
  thisUpdate?: Date;
  nextUpdate?: Date;
  /** Flip a bit of the signature. */
  forgeSignature?: boolean;
}

/** A v2 CRL signed by `csca` listing `revokedSerials` (certificate serial numbers, big-endian). */
export function createCrl(csca: Csca, revokedSerials: Uint8Array[], options: CrlOptions = {}): Uint8Array {
  const thisUpdate = options.thisUpdate ?? new Date(Date.now() - DAY);
  const nextUpdate = options.nextUpdate ?? new Date(thisUpdate.getTime() + 90 * DAY);
  const algorithm = signatureAlgorithm(csca.signature);
  const parts = [integer(1), algorithm, encodeName(csca.subject), time(thisUpdate), time(nextUpdate)];
  if (revokedSerials.length) parts.push(seq(...revokedSerials.map((s) => seq(integer(s), time(thisUpdate)))));
  const tbs = seq(...parts);
  const signature = signData(csca.signature, csca.privateKey, tbs);
  if (options.forgeSignature) signature[signature.length >> 1] ^= 0x01;
  return seq(tbs, algorithm, bitString(signature));
}

/** A link certificate: `next`'s subject and public key, issued by `previous`. */
export function createLinkCertificate(previous: Csca, next: Csca, validity?: { notBefore: Date; notAfter: Date }): Uint8Array {
  const now = Date.now();
  return makeCertificate({
    subject: next.subject,
    issuer: previous.subject,
    notBefore: validity?.notBefore ?? new Date(now - 30 * DAY),
    notAfter: validity?.notAfter ?? new Date(now + 10 * 365 * DAY),
    subjectPublicKey: createPublicKey(next.privateKey),
    issuerKey: previous.privateKey,
    issuerKind: previous.signature,
    issuerSpki: spkiOf(createPublicKey(previous.privateKey)),
    ca: true,
    keyUsage: [KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign],
  });
}

/** Serial number bytes of a certificate (DER), for a CRL entry. */
export function serialOf(certificate: Uint8Array): Uint8Array {
  // Certificate → tbsCertificate → [0] version, then INTEGER serialNumber.
  let p = 0;
  const header = (at: number): [number, number] => {
    let len = certificate[at + 1];
    let off = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + certificate[off + i];
      off += n;
    }
    return [off, len];
  };
  [p] = header(0); // Certificate
  [p] = header(p); // tbsCertificate
  if (certificate[p] === 0xa0) {
    const [vOff, vLen] = header(p);
    p = vOff + vLen;
  }
  const [sOff, sLen] = header(p);
  return certificate.slice(sOff, sOff + sLen);
}
