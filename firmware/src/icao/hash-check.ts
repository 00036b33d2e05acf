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
  private inner: FileSink | null;
  private hash: Hash | null;
  private expected: Uint8Array | null;
  private next: number;
  private total: number;
  private broken: boolean;
  private result: HashVerdict;

  /** `expected` null: the data group is not in EF.SOD ('not-in-sod', nothing is hashed). */
  constructor(inner: FileSink | null, hashName: string, expected: Uint8Array | null) {
    this.inner = inner;
    this.expected = expected;
    this.hash = expected ? createHash(hashName) : null;
    this.next = 0;
    this.total = -1;
    this.broken = false;
    this.result = expected ? 'not-checked' : 'not-in-sod';
  }

  begin(totalLength: number): void {
    // A resumed read calls begin again with the same length; the hash carries on.
    if (this.total >= 0 && this.total !== totalLength) this.broken = true;
    this.total = totalLength;
    if (this.inner) this.inner.begin(totalLength);
  }

  chunk(data: Uint8Array, offset: number): void {
    if (this.hash && !this.broken) {
      if (offset === this.next) {
        this.hash.update(data);
        this.next += data.length;
      } else if (offset + data.length <= this.next) {
        // Bytes seen already (a resume that overlaps): skip.
      } else if (offset < this.next) {
        const skip = this.next - offset;
        this.hash.update(data, skip, data.length - skip);
        this.next = offset + data.length;
      } else {
        this.broken = true;
      }
    }
    if (this.inner) this.inner.chunk(data, offset);
  }

  end(): void {
    if (this.hash && this.expected) {
      if (!this.broken && this.next === this.total) {
        const d = this.hash.digest();
        this.result = d.length === this.expected.length && equalBytes(d, 0, this.expected, 0, d.length) ? 'match' : 'mismatch';
      }
      this.hash = null;
    }
    if (this.inner) this.inner.end();
  }

  verdict(): HashVerdict {
    return this.result;
  }
}
