// One entry point for the hash functions EF.SOD may name. `createHash(name)` gives an
// incremental hash ({ update, digest }) in plain code; the names come from the OIDs of EF.SOD
// through `hashNameFromOid`.
//
// Seam: `createHash` gives the native blob's streaming hash when the board has it
// (native/blob.ts), else the TypeScript one (the reference; left out of NATIVE_ONLY bundles).
// Where the board offers `require("crypto")` (SHA1/SHA256 on STM32F4 Espruino boards) it hashes
// whole buffers only; main.ts may register it with `setWholeBufferHash` for `hashWhole`
// (one-shot hashing: key derivation).

import { IcaoError } from '../icao/errors';
import { nativeEntries } from '../native/blob';
import { nativeHash } from '../native/native-hash';
import { Sha1 } from './sha1';
import { Sha256 } from './sha256';
import { Sha512 } from './sha512';

export interface Hash {
  /** Output length in bytes. */
  readonly outputLength: number;
  update(data: Uint8Array, offset?: number, length?: number): void;
  /** Finishes the hash; the object cannot be used afterwards. */
  digest(): Uint8Array;
}

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Hash algorithm OIDs (RFC 3279 id-sha1, NIST CSOR hashAlgs) and our names for them. */
export const HASH_OIDS: { [oid: string]: HashName } = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Output lengths in bytes. */
export const HASH_LENGTHS: { [name: string]: number } = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

/** The hash name for an algorithm OID (dotted); IcaoError 'unsupported' for anything else. */
export function hashNameFromOid(oid: string): string {
  const name = HASH_OIDS[oid];
  // Own entries only: what HASH_OIDS inherits ('constructor', '__proto__') is not a string.
  if (typeof name !== 'string') {
    throw new IcaoError('unsupported', 'hash algorithm ' + oid + ' is not supported');
  }
  return name;
}

export function createHash(name: HashName | string): Hash {
  const f = nativeEntries();
  const fast = f ? nativeHash(f, name) : null;
  if (fast) return fast;
  // Inside the condition (not after an early throw): esbuild then drops the TypeScript hashes
  // from NATIVE_ONLY bundles.
  if (typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY) {
    switch (name) {
      case 'sha1': return new Sha1();
      case 'sha224': return new Sha256(true);
      case 'sha256': return new Sha256(false);
      case 'sha384': return new Sha512(true);
      case 'sha512': return new Sha512(false);
    }
  }
  throw new IcaoError('unsupported', 'hash ' + name + ' is not supported');
}

export type WholeBufferHash = (data: Uint8Array) => Uint8Array;

const NATIVE: { [name: string]: WholeBufferHash | undefined } = {};

/** Registers (or with null, removes) a whole-buffer implementation of `name`, e.g. the board's
 * `require("crypto").SHA1`. The pure implementation remains the reference. */
export function setWholeBufferHash(name: HashName, fn: WholeBufferHash | null): void {
  NATIVE[name] = fn || undefined;
}

/** One-shot hash of `data`: the registered native function if any, else the pure one. */
export function hashWhole(name: HashName | string, data: Uint8Array): Uint8Array {
  // Device bundles register none (their hashes are the blob's): the lookup is left out of them.
  const native = typeof NATIVE_ONLY === 'undefined' || !NATIVE_ONLY ? NATIVE[name] : undefined;
  if (native) return native(data);
  const h = createHash(name);
  h.update(data);
  return h.digest();
}
