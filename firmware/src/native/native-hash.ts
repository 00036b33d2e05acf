// SHA-1, SHA-224/256 and SHA-384/512 on the native blob, streaming (ABI.md: *_init, *_update,
// *_final are consecutive entries). Same interface as the TypeScript hashes (crypto/hash.ts
// chooses); a data group is hashed block by block as it arrives.

import type { Hash } from '../crypto/hash';
import { addressOf, callOver, contextAddress, E_SHA1_INIT, E_SHA256_INIT, E_SHA512_INIT, stageBuffer, type NativeFn } from './blob';

/** name: first entry (init), state bytes (ABI.md "Context sizes"), init argument, output bytes. */
const KINDS: { [name: string]: number[] } = {
  sha1: [E_SHA1_INIT, 104, 0, 20],
  sha224: [E_SHA256_INIT, 112, 224, 28],
  sha256: [E_SHA256_INIT, 112, 256, 32],
  sha384: [E_SHA512_INIT, 224, 384, 48],
  sha512: [E_SHA512_INIT, 224, 512, 64],
};

export class NativeHash implements Hash {
  readonly outputLength: number;
  private _f: NativeFn[];
  private _init: number;
  private _state: Uint8Array;
  private _done!: boolean;

  constructor(f: NativeFn[], kind: number[]) {
    this._f = f;
    this._init = kind[0];
    this.outputLength = kind[3];
    this._state = new Uint8Array(kind[1]);
    f[kind[0]](contextAddress(this._state), kind[2], 0, 0);
  }

  update(data: Uint8Array, offset?: number, length?: number): void {
    if (this._done) throw new Error('hash already finished');
    const o = offset || 0;
    const n = length === undefined ? data.length - o : length;
    callOver(this._f[this._init + 1], contextAddress(this._state), data, o, n, 0, 0);
  }

  digest(): Uint8Array {
    if (this._done) throw new Error('hash already finished');
    this._done = true;
    const s = stageBuffer();
    this._f[this._init + 2](contextAddress(this._state), addressOf(s), 0, 0);
    const out = new Uint8Array(s.subarray(0, this.outputLength));
    s.fill(0, 0, this.outputLength);
    return out;
  }
}

/** A native hash for `name`, or null when the blob does not offer it. */
export function nativeHash(f: NativeFn[], name: string): NativeHash | null {
  // Own entries only: what KINDS inherits ('constructor', '__proto__') is not an array.
  const kind = KINDS[name];
  return Array.isArray(kind) ? new NativeHash(f, kind) : null;
}
