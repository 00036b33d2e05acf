// Crypto for the device: DES/3DES, ISO 9797-1 padding and retail MAC, SHA-1/2. No Node crypto,
// no BigInt; everything runs on Espruino.
export { DesCipher, adjustDesParity } from './des';
export { pad, paddedLength, unpaddedLength } from './padding';
export { RetailMac, retailMac, equalBytes } from './retail-mac';
export { Sha1 } from './sha1';
export { Sha256 } from './sha256';
export { Sha512 } from './sha512';
export { createHash, hashNameFromOid, hashWhole, setWholeBufferHash, HASH_OIDS, HASH_LENGTHS } from './hash';
export type { Hash, HashName, WholeBufferHash } from './hash';
