// @epassport/host-sdk: the public API.

export { PassportReader, DEFAULT_DATA_GROUPS, type OpenOptions, type ReadOptions } from './passport-reader';
export { ReaderError, isReaderError, HOST_ERROR_CODES, ALL_ERROR_CODES, type ReaderErrorCode } from './reader-error';
export { UnverifiedDocumentError, type UnverifiedCode } from './unverified-document-error';
export type { PassportDocument, FileRecord, Face, ReadStats } from './passport-document';
export { fileBaseName } from './passport-document';
export { ReadStream, type ReadEvent, type ReadEventType } from './session/read-stream';
export type { DeviceInfo } from './session/link-session';

export { parseMrz, mrzDateToIso, type MrzData, type MrzChecks, type Sex } from './mrz/mrz-parser';
export { toBacKey, type MrzInput, type MrzFields, type BacKey } from './mrz/mrz-input';
export { checkDigit } from './mrz/check-digit';
export { parseDg1, type Dg1 } from './lds/dg1';
export { parseDg2, type FaceImage } from './lds/dg2';
export { parseEfCom, type EfCom } from './lds/ef-com';
export { toViewable, decodeJpeg2000, type ViewableImage } from './image/viewable-image';

export {
  passiveAuthentication,
  type PassiveAuthenticationReport, type PassiveAuthenticationInput, type HashReport, type SignatureReport, type ChainReport,
} from './pa/passive-authentication';
export { parseSod, type Sod, type LdsSecurityObject } from './pa/sod';
export { TrustStore, loadTrustStore, importIntoTrustDir, defaultTrustDir } from './pa/trust-store';
export { parseMasterList, type MasterList } from './pa/master-list';

export { listPorts, findReaders, looksLikeReader, READER_USB_IDS, type ReaderPortInfo } from './transport/discovery';
export { listSysfsPorts } from './transport/sysfs-ports';
export { SerialTransport, type ByteTransport } from './transport/serial-transport';
export { run as runCli } from './cli';
