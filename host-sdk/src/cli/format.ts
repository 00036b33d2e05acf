// Human-readable and JSON renderings of what the CLI shows.

import { mrzDateToIso } from '../mrz/mrz-parser.js';
import type { PassportDocument } from '../passport-document.js';
import { enrolmentRecord } from '../enrolment-record.js';
import type { ActiveAuthenticationReport } from '../aa/active-authentication.js';
import type { ChipAuthenticationReport } from '../aa/chip-authentication.js';
import type { PassiveAuthenticationReport } from '../pa/passive-authentication.js';
import type { Verdict } from '../verdict.js';
import type { DeviceInfo } from '../session/link-session.js';
import type { ReaderPortInfo } from '../transport/discovery.js';

const pad = (label: string) => (label + ':').padEnd(14);

export function formatPorts(ports: ReaderPortInfo[]): string {
  if (ports.length === 0) return 'no serial ports\n';
  return ports.map((p) => {
    const id = p.vendorId && p.productId ? p.vendorId + ':' + p.productId : '----:----';
    const words = [p.path.padEnd(16), id, p.manufacturer ?? '', p.product ?? '', p.serialNumber ? 'serial ' + p.serialNumber : ''].filter(Boolean);
    return words.join('  ') + (p.isReader ? '  (reader)' : '') + '\n';
  }).join('');
}

export function formatInfo(info: DeviceInfo): string {
  return [
    pad('Port') + info.path,
    pad('Firmware') + info.firmware,
    pad('Board') + info.board,
    pad('Protocol') + 'version ' + info.protocolVersion,
    pad('NFC module') + info.nfcModule + (info.nfcFirmware ? ' (0x' + info.nfcFirmware.toString(16).padStart(8, '0') + ')' : ''),
    pad('Capabilities') + info.capabilityNames.join(', '),
    pad('Max payload') + info.maxPayload + ' bytes',
  ].join('\n') + '\n';
}

/** VERIFIED, or NOT VERIFIED with every reason and its code: `message [code]; ...`. */
export function verdictLine(verdict: Verdict): string {
  if (verdict.verified) return 'VERIFIED';
  return 'NOT VERIFIED: ' + (verdict.reasons.map((r) => r.message + ' [' + r.code + ']').join('; ') || 'incomplete');
}

/** The chip's authenticity: Chip Authentication when the device ran it, else Active
 * Authentication (both when both ran). */
export function formatChip(aa: ActiveAuthenticationReport, ca: ChipAuthenticationReport): string {
  const detail = aa.status === 'active-authentication' ? aa.algorithm : aa.problem;
  const aaLine = pad('Chip') + aa.status + (detail ? ' (' + detail + ')' : '') + '\n';
  if (ca.status === 'not-performed') return aaLine;
  const caLine = pad('Chip') + (ca.status === 'verified' ? 'chip-authentication (DG14 key, hash-verified)' : 'chip-authentication failed (' + ca.problem + ')') + '\n';
  return caLine + (aa.status === 'not-supported' ? '' : aaLine);
}

/** One line on the revocation check of each certificate below the CSCA, or none without a chain. */
function revocationLine(c: PassiveAuthenticationReport['chain']): string[] {
  if (!c.revocation.length) return [];
  const words = c.revocation.map((r, i) => {
    const who = i === 0 ? 'Document Signer' : r.subject;
    const until = r.crlNextUpdate ? r.crlNextUpdate.slice(0, 10) : '';
    if (r.status === 'no-crl') return who + ' not checked (no CRL of its issuer in the trust store)';
    if (r.status === 'stale') return who + ' checked against a stale CRL (next update was due ' + until + ')';
    return who + ' checked' + (until ? ' (CRL current until ' + until + ')' : '');
  });
  return [pad('Revocation') + words.join('; ')];
}

export function formatReport(report: PassiveAuthenticationReport): string {
  const h = report.hashes;
  const groups = h.groups.map((g) => 'DG' + g.dataGroup + ' ' + g.verdict).join(', ');
  const s = report.signature;
  const c = report.chain;
  const ds = c.documentSigner;
  const lines = [
    pad('Hashes') + h.status + (h.algorithm ? ' (' + h.algorithm + ')' : '') + (groups ? ': ' + groups : ''),
    pad('Signature') + s.status + (s.algorithm ? ' (' + s.algorithm + ')' : '') + (s.signingTime ? ', signed ' + s.signingTime.slice(0, 10) : ''),
    pad('Signer') + (ds ? ds.subject + ' [' + ds.validity + ', until ' + ds.notAfter.slice(0, 10) + ']' : 'none'),
    pad('Chain') + c.status + (c.csca ? ' by ' + c.csca.subject + ' [' + c.csca.validity + ']' : '') + (c.reason && c.status !== 'trusted' ? ' (' + c.reason + ')' : ''),
    ...revocationLine(c),
  ];
  return lines.join('\n') + '\n';
}

export function formatDocument(doc: PassportDocument): string {
  const lines: string[] = [];
  const m = doc.dg1;
  if (m) {
    const checks = Object.entries(m.checks).filter(([, ok]) => !ok).map(([k]) => k);
    lines.push(
      pad('Document') + [m.documentCode, m.issuingState, m.documentNumber].join('  ') + '  (' + m.format + ')',
      pad('Name') + m.primaryIdentifier + (m.secondaryIdentifier ? ', ' + m.secondaryIdentifier : '') + (m.nameMayBeTruncated ? '  (may be truncated)' : ''),
      pad('Nationality') + m.nationality,
      pad('Born') + (mrzDateToIso(m.dateOfBirth, 'birth') ?? m.dateOfBirth) + '   Sex ' + m.sex,
      pad('Expires') + (mrzDateToIso(m.dateOfExpiry, 'expiry') ?? m.dateOfExpiry),
    );
    if (m.optionalData) lines.push(pad('Optional') + m.optionalData);
    if (m.optionalData2) lines.push(pad('Optional 2') + m.optionalData2);
    lines.push(pad('MRZ checks') + (checks.length ? 'FAILED: ' + checks.join(', ') : 'ok'));
  }
  doc.faces.forEach((f, i) => {
    lines.push(pad(doc.faces.length > 1 ? 'Face ' + (i + 1) : 'Face') + f.mime + ' ' + f.width + 'x' + f.height + ' (' + f.bytes.length + ' bytes)' + (f.viewable && f.viewable.mime !== f.mime ? ', viewable as ' + f.viewable.mime : '') + (f.viewableError ? ', not viewable: ' + f.viewableError : ''));
  });
  lines.push(...formatDetails(doc));
  lines.push(pad('Files') + [...doc.files.values()].map((f) => f.name + ' ' + f.bytes.length).join(', '));
  for (const e of doc.parseErrors) lines.push(pad('Parse error') + e.message);
  for (const m of doc.missingGroups) lines.push(pad('Not read') + 'DG' + m.dataGroup + ': ' + m.why);
  return lines.join('\n') + '\n' + formatReport(doc.passiveAuthentication) + formatChip(doc.activeAuthentication, doc.chipAuthentication) + verdictLine(doc.verdict) + '\n';
}

/** DG7, DG11 and DG12, when the chip has them: one line per field present. */
export function formatDetails(doc: PassportDocument): string[] {
  const lines: string[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value) lines.push(pad(label) + value);
  };
  const d11 = doc.dg11;
  if (d11) {
    add('Full name', d11.fullNameReadable);
    add('Other names', d11.otherNames.join('; '));
    add('Personal no.', d11.personalNumber);
    add('Full birth', d11.fullDateOfBirthIso ?? d11.fullDateOfBirth);
    add('Birthplace', d11.placeOfBirth);
    add('Address', d11.address);
    add('Telephone', d11.telephone);
    add('Profession', d11.profession);
    add('Title', d11.title);
    add('Summary', d11.personalSummary);
    add('Other docs', d11.otherTravelDocuments.join(', '));
    add('Custody', d11.custodyInformation);
    if (d11.proofOfCitizenship) add('Citizenship', 'proof image ' + d11.proofOfCitizenship.mime + ' (' + d11.proofOfCitizenship.bytes.length + ' bytes)');
  }
  const d12 = doc.dg12;
  if (d12) {
    add('Issued by', d12.issuingAuthority);
    add('Issued', d12.dateOfIssueIso ?? d12.dateOfIssue);
    add('Other persons', d12.otherPersons.join('; '));
    add('Endorsements', d12.endorsements);
    add('Tax/exit', d12.taxOrExitRequirements);
    add('Personalized', d12.personalizationTimeIso ?? d12.personalizationTime);
    add('Perso system', d12.personalizationSystemSerial);
    if (d12.frontImage) add('Front image', d12.frontImage.mime + ' (' + d12.frontImage.bytes.length + ' bytes)');
    if (d12.rearImage) add('Rear image', d12.rearImage.mime + ' (' + d12.rearImage.bytes.length + ' bytes)');
  }
  if (doc.dg7) add('Signature img', doc.dg7.map((i) => i.mime + ' (' + i.bytes.length + ' bytes)').join(', '));
  return lines;
}

const base64 = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64');
/** An image inside a data group, as JSON: its type and size (the bytes are in `files`). */
const imageMeta = (i?: { mime: string; bytes: Uint8Array }) => (i ? { mime: i.mime, length: i.bytes.length } : undefined);

/** The document as JSON (`--json` of read and verify): the enrolment `record` a kiosk stores,
 * every file base64, the parsed groups (images as type and size), the reports. `faceImagePath`:
 * where the first face was written, if it was. */
export function documentJson(doc: PassportDocument, written: string[] = [], faceImagePath: string | null = null): object {
  const aa = doc.activeAuthenticationExchange;
  return {
    record: enrolmentRecord(doc, faceImagePath),
    verified: doc.verified,
    dg1: doc.dg1 ? { ...doc.dg1, dateOfBirthIso: mrzDateToIso(doc.dg1.dateOfBirth, 'birth'), dateOfExpiryIso: mrzDateToIso(doc.dg1.dateOfExpiry, 'expiry') } : null,
    dg7: doc.dg7 ? doc.dg7.map(imageMeta) : null,
    dg11: doc.dg11 ? { ...doc.dg11, proofOfCitizenship: imageMeta(doc.dg11.proofOfCitizenship) } : null,
    dg12: doc.dg12 ? { ...doc.dg12, frontImage: imageMeta(doc.dg12.frontImage), rearImage: imageMeta(doc.dg12.rearImage) } : null,
    faces: doc.faces.map((f) => ({ mime: f.mime, width: f.width, height: f.height, bytes: f.bytes.length, source: f.source, viewable: f.viewable ? f.viewable.mime : null })),
    dataGroups: doc.dataGroups,
    files: [...doc.files.values()].map((f) => ({ fileId: f.fileId, name: f.name, length: f.bytes.length, deviceVerdict: f.deviceVerdict, base64: base64(f.bytes) })),
    activeAuthenticationExchange: aa ? { challenge: base64(aa.challenge), response: aa.response ? base64(aa.response) : null } : null,
    passiveAuthentication: doc.passiveAuthentication,
    activeAuthentication: doc.activeAuthentication,
    chipAuthentication: doc.chipAuthentication,
    chipAuthenticity: doc.chipAuthenticity,
    missingGroups: doc.missingGroups,
    verdict: doc.verdict,
    stats: doc.stats,
    parseErrors: doc.parseErrors,
    written,
  };
}
