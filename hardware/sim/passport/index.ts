// The virtual ePassport chip and its node:crypto reference reader.
export { VirtualPassport, EMRTD_AID, DEFAULT_ATS, DEFAULT_ATQA, PASSPORT_SAK, fileIdOf, type BacMrz } from './virtual-passport';
export { DEFAULT_PROCESSING_MS, type PassportOptions, type CommandKind } from './passport-options';
export { ReferenceReader, ReaderError, oddOffset, stripDo53, tlvTotalLength } from './reference-reader';
export { SW, INS, parseApdu, encodeApdu, type CommandApdu } from './apdu';
export { wrapCommand, unwrapCommand, wrapResponse, unwrapResponse } from './secure-messaging';
export * as bacCrypto from './bac-crypto';
