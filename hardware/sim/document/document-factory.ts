// The test-document factory: a Person in, a whole signed LDS out (EF.COM, DG1, DG2, DG15,
// optionally DG11/DG12, EF.SOD), with the CSCA it chains to. Synthetic data only.

import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { encodeDg2 } from './dg2';
import { drawFace, encodeJpeg2000Near, encodeJpegNear, FACE_HEIGHT, FACE_WIDTH } from './face-image';
import { encodeDg1, encodeDg11, encodeDg12, encodeDg14ActiveAuth, encodeDg15, encodeEfCom } from './lds';
import { CA_ECDH_AES_128, encodeCardAccess, encodeDg14ChipAuth, paceInfo, PACE_ECDH_GM_AES_128 } from '../passport/security-infos';
import { td3 } from './mrz';
import { generateKeys, KEY_USAGE, makeCertificate, randomSerial, spkiOf, type DistinguishedName } from './pki';
import { encodeSod } from './sod';
import { EF, type Csca, type DocumentOptions, type GeneratedDocument, type Person, type SignatureKind } from './types';

const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** DG2 sizes aimed at: about 15 KB with JPEG, 30 KB with JPEG 2000. */
export const DG2_TARGET_BYTES = { jpeg: 15_000, jpeg2000: 30_000 } as const;
/** Bytes DG2 adds around the image (TLVs, biometric header, 19794-5 headers). */
const DG2_OVERHEAD = 72;

export interface CscaOptions {
  signature?: SignatureKind;
  country?: string;
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
  rsaBits?: number;
}

/** A self-signed Country Signing CA (basicConstraints CA, keyCertSign + cRLSign, key identifiers). */
export async function createCsca(options: CscaOptions = {}): Promise<Csca> {
  const signature = options.signature ?? 'rsa';
  const now = Date.now();
  const subject: DistinguishedName = {
    country: options.country ?? 'UT',
    organization: 'Utopia Test Authority',
    commonName: options.commonName ?? 'Utopia Test CSCA',
    serialNumber: String(now % 100000),
  };
  const keys = generateKeys(signature, options.rsaBits ?? 2048);
  const spki = spkiOf(keys.publicKey);
  const certificate = makeCertificate({
    subject, issuer: subject,
    notBefore: options.notBefore ?? new Date(now - 30 * DAY),
    notAfter: options.notAfter ?? new Date(now + 15 * YEAR),
    subjectPublicKey: keys.publicKey, issuerKey: keys.privateKey, issuerKind: signature, issuerSpki: spki,
    ca: true, keyUsage: [KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign],
  });
  return { certificate, privateKey: keys.privateKey, name: subject.commonName, signature, subject };
}

/** Issues an end-entity certificate (Document Signer, master-list signer) from a CSCA. */
export function issueSigner(csca: Csca, kind: SignatureKind, commonName: string, validity: { notBefore: Date; notAfter: Date }, extendedKeyUsage?: string[]) {
  const keys = generateKeys(kind);
  const serial = randomSerial();
  const subject: DistinguishedName = { country: csca.subject.country, organization: csca.subject.organization, commonName };
  const certificate = makeCertificate({
    subject, issuer: csca.subject, serial, ...validity,
    subjectPublicKey: keys.publicKey, issuerKey: csca.privateKey, issuerKind: csca.signature,
    issuerSpki: spkiOf(createPublicKey(csca.privateKey)),
    keyUsage: [KEY_USAGE.digitalSignature], extendedKeyUsage,
  });
  return { certificate, serial, privateKey: keys.privateKey, kind };
}

function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

export async function createDocument(person: Person, options: DocumentOptions = {}): Promise<GeneratedDocument> {
  const kind = options.signature ?? 'rsa';
  const groups = [...(options.dataGroups ?? [1, 2, 15])].sort((a, b) => a - b);
  const now = options.now ?? new Date();
  const csca = options.csca ?? (await createCsca({ signature: kind === 'ecdsa-brainpool' ? 'ecdsa-brainpool' : kind }));
  // "Wrong CSCA": same name, other key; the document still names `csca` as its CSCA.
  const issuer = options.wrongCsca ? await createCsca({ signature: csca.signature, commonName: csca.name, country: csca.subject.country }) : csca;
  const ds = issueSigner(issuer, kind, 'Utopia Test Document Signer', {
    notBefore: options.dsNotBefore ?? new Date(now.getTime() - 30 * DAY),
    notAfter: options.dsNotAfter ?? new Date(now.getTime() + 10 * YEAR),
  });

  const mrz = td3(person);
  const dgs = new Map<number, Uint8Array>();
  let activeAuthPrivateKey;
  let chipAuthPrivateKey;
  for (const n of groups) {
    if (n === 1) dgs.set(1, encodeDg1(mrz));
    else if (n === 2) dgs.set(2, await makeDg2(person, options));
    else if (n === 11) dgs.set(11, encodeDg11(`${person.surname}, ${person.givenNames}`, 'UTOPIA CITY'));
    else if (n === 12) dgs.set(12, encodeDg12('UTOPIA PASSPORT OFFICE', dateOfIssue(person.dateOfExpiry)));
    else if (n === 14 && options.chipAuthentication) {
      // DG14 with Chip Authentication (ECDH brainpoolP256r1, AES-128), ActiveAuthenticationInfo beside it when AA is ECDSA.
      const ca = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
      chipAuthPrivateKey = ca.privateKey;
      const aaInfo = options.activeAuthKey === 'ecdsa' ? [encodeDg14ActiveAuth(options.activeAuthHash ?? 'sha256').subarray(4)] : [];
      dgs.set(14, encodeDg14ChipAuth(ca.publicKey, CA_ECDH_AES_128, aaInfo));
    } else if (n === 14) dgs.set(14, encodeDg14ActiveAuth(options.activeAuthHash ?? 'sha256'));
    else if (n === 15) {
      const aa = options.activeAuthKey === 'ecdsa'
        ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        : generateKeyPairSync('rsa', { modulusLength: options.activeAuthBits ?? 1024 });
      activeAuthPrivateKey = aa.privateKey;
      dgs.set(15, encodeDg15(spkiOf(aa.publicKey)));
    } else throw new Error(`data group ${n} is not supported by the factory`);
  }
  const files: { [fileId: number]: Uint8Array } = {};
  files[EF.COM] = encodeEfCom(groups);
  for (const [n, f] of dgs) files[n] = f;
  if (options.pace) files[EF.CARD_ACCESS] = encodeCardAccess([paceInfo(PACE_ECDH_GM_AES_128, 13)]);
  files[EF.SOD] = encodeSod(dgs, {
    signer: { certificate: ds.certificate, issuer: issuer.subject, serial: ds.serial, privateKey: ds.privateKey, kind },
    signingTime: now,
    forgeSignature: options.forgeSignature,
  });
  return {
    person: { documentType: 'P', ...person },
    mrz,
    files,
    cscaCertificate: csca.certificate,
    documentSignerCertificate: ds.certificate,
    activeAuthPrivateKey,
    chipAuthPrivateKey,
  };
}

/** Ten years before expiry, as YYYYMMDD. */
function dateOfIssue(expiry: string): string {
  const yy = Number(expiry.slice(0, 2));
  return String(2000 + ((yy + 90) % 100)) + expiry.slice(2);
}

async function makeDg2(person: Person, options: DocumentOptions): Promise<Uint8Array> {
  const face = options.face ?? 'jpeg';
  const img = drawFace({ seed: options.faceSeed ?? seedOf(person.documentNumber), grain: 8 });
  const target = DG2_TARGET_BYTES[face] - DG2_OVERHEAD;
  const image = face === 'jpeg' ? encodeJpegNear(img, target) : await encodeJpeg2000Near(img, target);
  const gender = person.sex === 'M' ? 1 : person.sex === 'F' ? 2 : 0;
  return encodeDg2({ image, imageType: face, width: FACE_WIDTH, height: FACE_HEIGHT, gender });
}

/**
 * A copy of the document with one file changed after signing (EF.SOD untouched): in DG1 the
 * first letter of the surname changes, elsewhere one byte in the middle flips its low bit.
 */
export function tamper(doc: GeneratedDocument, fileId: number): GeneratedDocument {
  const files: { [fileId: number]: Uint8Array } = {};
  for (const k of Object.keys(doc.files)) files[Number(k)] = Uint8Array.from(doc.files[Number(k)]);
  const f = files[fileId];
  if (!f) throw new Error(`no file ${fileId}`);
  if (fileId === EF.DG1) {
    const at = 5 + 5; // 61 L 5F1F L, then 'P<UTO'
    f[at] = f[at] === 0x58 ? 0x59 : 0x58;
  } else {
    f[f.length >> 1] ^= 0x01;
  }
  return { ...doc, files };
}
