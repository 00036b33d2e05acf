// @epassport/host-sdk: the public API.

export { PassportReader, DEFAULT_DATA_GROUPS, type OpenOptions, type ReadOptions } from './passport-reader.js';
export { ReaderError, isReaderError, HOST_ERROR_CODES, ALL_ERROR_CODES, type ReaderErrorCode } from './reader-error.js';
export { UnverifiedDocumentError, type UnverifiedCode } from './unverified-document-error.js';
export type { PassportDocument, FileRecord, Face, ReadStats } from './passport-document.js';
export { fileBaseName } from './passport-document.js';
export { ReadStream, type ReadEvent, type ReadEventType } from './session/read-stream.js';
export type { DeviceInfo } from './session/link-session.js';

export { parseMrz, mrzDateToIso, type MrzData, type MrzChecks, type Sex } from './mrz/mrz-parser.js';
export { toBacKey, type MrzInput, type MrzFields, type BacKey } from './mrz/mrz-input.js';
export { checkDigit } from './mrz/check-digit.js';
export { parseDg1, type Dg1 } from './lds/dg1.js';
export { parseDg2, type FaceImage } from './lds/dg2.js';
export { parseEfCom, type EfCom } from './lds/ef-com.js';
export { parseDg7, type SignatureImage } from './lds/dg7.js';
export { parseDg11, type Dg11 } from './lds/dg11.js';
export { parseDg12, type Dg12 } from './lds/dg12.js';
export { loadSavedRead, type SavedReadOptions } from './document/saved-files.js';
export { enrolmentRecord, ENROLMENT_RECORD_SCHEMA, type EnrolmentRecord } from './enrolment-record.js';
export { toViewable, decodeJpeg2000, type ViewableImage } from './image/viewable-image.js';

export {
  passiveAuthentication,
  type PassiveAuthenticationReport, type PassiveAuthenticationInput, type HashReport, type SignatureReport, type ChainReport,
} from './pa/passive-authentication.js';
export { parseSod, type Sod, type LdsSecurityObject } from './pa/sod.js';
export { TrustStore, loadTrustStore, importIntoTrustDir, defaultTrustDir } from './pa/trust-store.js';
export { parseMasterList, type MasterList } from './pa/master-list.js';
export { parseCrl, type Crl } from './pa/crl.js';
export { VERDICT_REASONS, type VerdictReason, type VerdictReasonCode } from './pa/verdict-reasons.js';
export { documentVerdict, missingGroups, type Verdict, type MissingGroup } from './verdict.js';
export {
  checkActiveAuthentication, drawChallenge, activeAuthPublicKey, activeAuthHashFromDg14,
  type ActiveAuthenticationReport, type ActiveAuthenticationInput, type ChipAuthenticity,
} from './aa/active-authentication.js';
export { verifyIso9796Scheme1, type Iso9796Result } from './aa/iso9796-2.js';

export { listPorts, findReaders, looksLikeReader, READER_USB_IDS, type ReaderPortInfo } from './transport/discovery.js';
export { listSysfsPorts } from './transport/sysfs-ports.js';
export { SerialTransport, type ByteTransport } from './transport/serial-transport.js';
export { run as runCli } from './cli.js';
