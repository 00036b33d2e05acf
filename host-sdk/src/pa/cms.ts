// CMS SignedData (RFC 5652) as ICAO uses it for EF.SOD and CSCA master lists: parse with
// asn1js/pkijs, keep the exact DER of embedded certificates, and verify a SignerInfo with
// node:crypto (RSA PKCS#1 v1.5, RSA-PSS, ECDSA in DER or plain encoding, brainpool included:
// webcrypto has no brainpool curves).

import { createHash, createPublicKey, verify as cryptoVerify, constants, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ReaderError } from '../reader-error.js';
import { DIGESTS, OID, SIGNATURES, digestLabel } from './oids.js';

export interface ParsedSignedData {
  signedData: pkijs.SignedData;
  eContentType: string;
  /** The signed content (the octets of eContent). */
  eContent: Uint8Array;
  /** Embedded certificates, exact DER as found. */
  certificates: Uint8Array[];
  /** Embedded CRLs ([1] IMPLICIT, a master list may carry them), exact DER as found. */
  crls: Uint8Array[];
}

function fail(what: string, message: string, cause?: unknown): never {
  throw new ReaderError('malformed-data', what + ': ' + message, { cause });
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * asn1js.fromBER that never throws: asn1js decodes time types eagerly and throws a plain Error on
 * a UTCTime / GeneralizedTime that is not a time, where every other malformation gives offset -1.
 */
export function fromBerSafe(data: Parameters<typeof asn1js.fromBER>[0]): ReturnType<typeof asn1js.fromBER> {
  try {
    return asn1js.fromBER(data);
  } catch (e) {
    const result = new asn1js.BaseBlock();
    result.error = (e as Error).message;
    return { offset: -1, result };
  }
}

/** The octets of an OCTET STRING, joining the segments of a constructed (BER) one. */
function octets(s: asn1js.OctetString): Uint8Array {
  if (!s.idBlock.isConstructed) return new Uint8Array(s.valueBlock.valueHexView);
  const parts = (s.valueBlock.value as asn1js.OctetString[]).map(octets);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Parses a ContentInfo holding SignedData. `what` names the object in errors (EF.SOD, ...). */
export function parseSignedData(der: Uint8Array, what: string): ParsedSignedData {
  const asn1 = fromBerSafe(toArrayBuffer(der));
  if (asn1.offset === -1) fail(what, 'not ASN.1: ' + asn1.result.error);
  let contentInfo: pkijs.ContentInfo;
  let signedData: pkijs.SignedData;
  try {
    contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
  } catch (e) {
    return fail(what, 'not a CMS ContentInfo', e);
  }
  if (contentInfo.contentType !== OID.SIGNED_DATA) fail(what, 'content type is ' + contentInfo.contentType + ', not SignedData');
  try {
    signedData = new pkijs.SignedData({ schema: contentInfo.content });
  } catch (e) {
    return fail(what, 'SignedData does not parse: ' + (e as Error).message, e);
  }
  const eci = signedData.encapContentInfo;
  if (!eci.eContent) fail(what, 'SignedData holds no content');
  // Exact certificate bytes: the [0] IMPLICIT SET inside the SignedData sequence.
  const certificates: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  const sdSeq = contentInfo.content as asn1js.Sequence;
  for (const child of sdSeq.valueBlock.value) {
    if (child.idBlock.tagClass === 3 && (child.idBlock.tagNumber === 0 || child.idBlock.tagNumber === 1)) {
      const into = child.idBlock.tagNumber === 0 ? certificates : crls;
      for (const c of (child as asn1js.Constructed).valueBlock.value) {
        if (c instanceof asn1js.Sequence) into.push(new Uint8Array(c.valueBeforeDecodeView));
      }
    }
  }
  return { signedData, eContentType: eci.eContentType, eContent: octets(eci.eContent), certificates, crls };
}

export interface SignerCheck {
  /** The signature over the signed attributes verifies with the signer's public key. */
  signatureValid: boolean;
  /** The message-digest attribute equals the digest of eContent. */
  messageDigestValid: boolean;
  /** The content-type attribute equals eContentType. */
  contentTypeValid: boolean;
  /** e.g. 'sha256WithRSAEncryption', 'RSASSA-PSS/SHA-256', 'ecdsa-with-SHA256 (brainpoolP256r1)'. */
  algorithm: string;
  digestAlgorithm: string;
  /** The signer certificate (DER), when one of the embedded certificates matches the sid. */
  signerCertificate: Uint8Array | null;
  signingTime: Date | null;
  /** Why a check failed, in words. */
  problems: string[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The embedded certificate the SignerInfo's sid names (issuer+serial or subject key id). */
export function findSignerCertificate(signerInfo: pkijs.SignerInfo, certificates: Uint8Array[]): Uint8Array | null {
  for (const der of certificates) {
    let cert: pkijs.Certificate;
    try {
      cert = pkijs.Certificate.fromBER(toArrayBuffer(der));
    } catch {
      continue;
    }
    const sid = signerInfo.sid;
    if (sid instanceof pkijs.IssuerAndSerialNumber) {
      if (cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber)) return der;
    } else if (sid && sid.valueBlock) {
      const ski = cert.extensions?.find((e) => e.extnID === OID.SUBJECT_KEY_IDENTIFIER);
      const keyId = new Uint8Array((sid as asn1js.OctetString).valueBlock.valueHexView);
      const id = ski ? fromBerSafe(ski.extnValue.valueBlock.valueHexView).result : null;
      if (id instanceof asn1js.OctetString && sameBytes(octets(id), keyId)) return der;
    }
  }
  return null;
}

function attributeValue(signerInfo: pkijs.SignerInfo, oid: string): asn1js.AsnType | null {
  const attr = signerInfo.signedAttrs?.attributes.find((a) => a.type === oid);
  // pkijs leaves `values` undefined for an attribute with an empty SET of values
  return attr && attr.values && attr.values.length === 1 ? attr.values[0] : null;
}

/** Verifies `signature` over `data` with `key` by the SignerInfo's algorithm (node:crypto). */
export function verifyWithKey(
  key: KeyObject,
  signatureAlgorithm: pkijs.AlgorithmIdentifier,
  digestOid: string,
  data: Uint8Array,
  signature: Uint8Array,
): { valid: boolean; algorithm: string } {
  const sig = SIGNATURES[signatureAlgorithm.algorithmId];
  if (!sig) throw new ReaderError('unsupported', 'signature algorithm ' + signatureAlgorithm.algorithmId + ' is not supported');
  let digest = sig.digest ?? DIGESTS[digestOid];
  if (!digest) throw new ReaderError('unsupported', 'digest algorithm ' + digestOid + ' is not supported');
  let algorithm = sig.name;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (sig.scheme === 'rsa-pss') {
    let params: pkijs.RSASSAPSSParams;
    try {
      params = new pkijs.RSASSAPSSParams({ schema: signatureAlgorithm.algorithmParams });
    } catch (e) {
      throw new ReaderError('malformed-data', 'RSA-PSS parameters do not parse', { cause: e });
    }
    digest = DIGESTS[params.hashAlgorithm.algorithmId];
    if (!digest) throw new ReaderError('unsupported', 'RSA-PSS hash ' + params.hashAlgorithm.algorithmId + ' is not supported');
    algorithm = 'RSASSA-PSS/' + digestLabel(digest) + ' salt ' + params.saltLength;
    const valid = cryptoVerify(digest, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    return { valid, algorithm };
  }
  if (sig.scheme === 'rsa-pkcs1') {
    if (key.asymmetricKeyType !== 'rsa') return { valid: false, algorithm };
    if (!sig.digest) algorithm = digestLabel(digest) + ' with RSA PKCS#1 v1.5';
    return { valid: cryptoVerify(digest, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature), algorithm };
  }
  if (key.asymmetricKeyType !== 'ec') return { valid: false, algorithm };
  if (!sig.digest) algorithm = 'ECDSA/' + digestLabel(digest);
  if (curve) algorithm += ' (' + curve + ')';
  const dsaEncoding = sig.scheme === 'ecdsa-plain' ? 'ieee-p1363' : 'der';
  try {
    return { valid: cryptoVerify(digest, data, { key, dsaEncoding }, signature), algorithm };
  } catch {
    // A signature that is not even well-formed DER / r||s of the right size.
    return { valid: false, algorithm };
  }
}

/** Checks the single SignerInfo of a SignedData: signed attributes, digest, signature. */
export function checkSigner(parsed: ParsedSignedData, what: string): SignerCheck {
  const infos = parsed.signedData.signerInfos;
  if (infos.length !== 1) fail(what, 'expected one SignerInfo, found ' + infos.length);
  const si = infos[0];
  const problems: string[] = [];
  const digestOid = si.digestAlgorithm.algorithmId;
  const digestName = DIGESTS[digestOid];
  if (!digestName) throw new ReaderError('unsupported', what + ': digest algorithm ' + digestOid + ' is not supported');
  const signerCertificate = findSignerCertificate(si, parsed.certificates);
  const result: SignerCheck = {
    signatureValid: false,
    messageDigestValid: false,
    contentTypeValid: false,
    algorithm: SIGNATURES[si.signatureAlgorithm.algorithmId]?.name ?? si.signatureAlgorithm.algorithmId,
    digestAlgorithm: digestLabel(digestName),
    signerCertificate,
    signingTime: null,
    problems,
  };
  if (!si.signedAttrs || si.signedAttrs.encodedValue.byteLength === 0) {
    problems.push('the SignerInfo has no signed attributes (required by ICAO 9303)');
    return result;
  }
  const md = attributeValue(si, OID.MESSAGE_DIGEST);
  const expected = createHash(digestName).update(parsed.eContent).digest();
  result.messageDigestValid = md instanceof asn1js.OctetString && sameBytes(octets(md), expected);
  if (!result.messageDigestValid) problems.push('the message-digest attribute does not match the signed content');
  const ct = attributeValue(si, OID.CONTENT_TYPE);
  result.contentTypeValid = ct instanceof asn1js.ObjectIdentifier && ct.valueBlock.toString() === parsed.eContentType;
  if (!result.contentTypeValid) problems.push('the content-type attribute does not match the content');
  const st = attributeValue(si, OID.SIGNING_TIME);
  if (st instanceof asn1js.UTCTime || st instanceof asn1js.GeneralizedTime) result.signingTime = st.toDate();
  if (!signerCertificate) {
    problems.push('no embedded certificate matches the signer identifier');
    return result;
  }
  let key: KeyObject;
  try {
    key = new X509Certificate(signerCertificate).publicKey;
  } catch (e) {
    try {
      // OpenSSL may refuse a certificate it cannot fully parse; the key alone may still load.
      const cert = pkijs.Certificate.fromBER(toArrayBuffer(signerCertificate));
      key = createPublicKey({ key: Buffer.from(cert.subjectPublicKeyInfo.toSchema().toBER()), format: 'der', type: 'spki' });
    } catch {
      problems.push('the signer certificate\'s public key cannot be loaded: ' + (e as Error).message);
      return result;
    }
  }
  const signed = new Uint8Array(si.signedAttrs.encodedValue); // already re-tagged as SET (31)
  const v = verifyWithKey(key, si.signatureAlgorithm, digestOid, signed, new Uint8Array(si.signature.valueBlock.valueHexView));
  result.algorithm = v.algorithm;
  result.signatureValid = v.valid;
  if (!v.valid) problems.push('the signature does not verify with the signer certificate');
  return result;
}
