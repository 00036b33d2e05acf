// Hashing a data group as it streams and comparing with EF.SOD: a FileSink that passes every
// block on to another sink and feeds the hash. Blocks must arrive in order from offset 0; a gap
// (a resumed read that starts later) makes the verdict 'not-checked' unless the same checker is
// kept across the resume, in which case the hash simply continues.

import { createHash, type Hash } from '../crypto/hash';
import { equalBytes } from '../crypto/retail-mac';
import type { FileSink } from './file-reader';

/** Verdicts, as in VERDICTS of protocol/src/catalogue.ts. */
export type HashVerdict = 'not-checked' | 'match' | 'mismatch' | 'not-in-sod';

export class HashCheckSink implements FileSink {
  private _inner: FileSink | null;
  private _hash: Hash | null;
  private _expected: Uint8Array | null;
  private _next: number;
  private _total: number;
  private _broken: boolean;
  private _result: HashVerdict;

  /** `expected` null: the data group is not in EF.SOD ('not-in-sod', nothing is hashed). */
  constructor(inner: FileSink | null, hashName: string, expected: Uint8Array | null) {
    this._inner = inner;
    this._expected = expected;
    this._hash = expected ? createHash(hashName) : null;
    this._next = 0;
    this._total = -1;
    this._broken = false;
    this._result = expected ? 'not-checked' : 'not-in-sod';
  }

  begin(totalLength: number): void {
    // A resumed read calls begin again with the same length; the hash carries on.
    if (this._total >= 0 && this._total !== totalLength) this._broken = true;
    this._total = totalLength;
    if (this._inner) this._inner.begin(totalLength);
  }

  chunk(data: Uint8Array, offset: number): void {
    if (this._hash && !this._broken) {
      if (offset === this._next) {
        this._hash.update(data);
        this._next += data.length;
      } else if (offset + data.length <= this._next) {
        // Bytes seen already (a resume that overlaps): skip.
      } else if (offset < this._next) {
        const skip = this._next - offset;
        this._hash.update(data, skip, data.length - skip);
        this._next = offset + data.length;
      } else {
        this._broken = true;
      }
    }
    if (this._inner) this._inner.chunk(data, offset);
  }

  end(): void {
    if (this._hash && this._expected) {
      if (!this._broken && this._next === this._total) {
        const d = this._hash.digest();
        this._result = d.length === this._expected.length && equalBytes(d, 0, this._expected, 0, d.length) ? 'match' : 'mismatch';
      }
      this._hash = null;
    }
    if (this._inner) this._inner.end();
  }

  verdict(): HashVerdict {
    return this._result;
  }
}
