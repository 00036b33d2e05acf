// The ICAO 9303 core that runs on the device: MRZ key, BAC, 3DES secure messaging, streamed
// file reading, EF.COM and EF.SOD, data-group hash checks. See README.md in this folder.
export { IcaoError, SW, errorForStatus, statusWord, hex4 } from './errors';
export type { ApduCallback, ApduChannel } from './apdu-channel';
export { checkDigit, deriveKeySeed, mrzInformation } from './mrz-key';
export type { MrzKeyInput } from './mrz-key';
export { deriveKey, KDF_ENC, KDF_MAC } from './key-derivation';
export { BacProtocol, buildMutualAuthData, completeBac } from './bac';
export type { BacCallback, BacSessionKeys } from './bac';
export { SecureMessagingChannel, cryptogramObjectLength } from './secure-messaging';
export {
  LDS1_AID, INS, selectApplicationApdu, selectFileApdu, readBinaryApdu, readBinarySfiApdu, readBinaryOddApdu,
  getChallengeApdu, mutualAuthenticateApdu, fileIdFromSfi,
} from './commands';
export { readFile, SM_MAX_READ, PLAIN_MAX_READ, HEADER_READ, MAX_EVEN_OFFSET } from './file-reader';
export type { FileSink, ReadOptions, ReadCallback } from './file-reader';
export { parseEfCom, MAX_EF_COM } from './ef-com';
export type { EfCom } from './ef-com';
export { SodHashExtractor, parseLdsSecurityObject, DEFAULT_MAX_SECURITY_OBJECT } from './ef-sod';
export type { SodHashes } from './ef-sod';
export { SFI_COM, SFI_SOD, TAG_COM, TAG_SOD, DATA_GROUP_TAGS, dataGroupFromTag } from './lds';
export { readTlv, newTlv, peekTlvHeader, decodeOid } from './tlv';
export type { Tlv } from './tlv';
export { createHash, hashNameFromOid } from '../crypto/hash';
export type { Hash } from '../crypto/hash';
