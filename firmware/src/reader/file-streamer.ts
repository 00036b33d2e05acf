// The FileSink of one file read: every block goes to the host as a file-chunk the moment it
// arrives, and, as needed, into the data group's hash, the EF.SOD hash extractor, or a small
// capture buffer (EF.COM, which is parsed whole). Nothing here holds a file.

import { MAX_CHUNK_DATA } from '@epassport/protocol';
import type { Hash } from '../crypto/hash';
import { equalBytes } from '../crypto/retail-mac';
import type { SodHashExtractor } from '../icao/ef-sod';
import { IcaoError } from '../icao/errors';
import type { FileSink } from '../icao/file-reader';
import type { HostOut } from './host-out';

/** A 'reading' progress report at most every this many chunks. */
const PROGRESS_EVERY = 4;
const EMPTY = new Uint8Array(0);

export class FileStreamer implements FileSink {
  fileId: number;
  /** Length from the file's TLV header (-1 before begin). */
  total: number;
  /** Bytes delivered so far. */
  received: number;
  private _host: HostOut;
  private _hash!: Hash | null;
  private _expected!: Uint8Array | null;
  private _extractor!: SodHashExtractor | null;
  private _capture!: Uint8Array | null;
  private _chunks: number;
  private _digestValue: Uint8Array;

  constructor(host: HostOut, fileId: number) {
    // What is only tested for truth stays unset until used (flash, issue #14).
    this._host = host;
    this.fileId = fileId;
    this.total = -1;
    this.received = 0;
    this._chunks = 0;
    this._digestValue = EMPTY;
  }

  /** Hashes the file on the fly to compare with `expected` (from EF.SOD). */
  checkHash(hash: Hash, expected: Uint8Array): this {
    this._hash = hash;
    this._expected = expected;
    return this;
  }

  /** Feeds every block to the EF.SOD extractor too. */
  extractTo(extractor: SodHashExtractor): this {
    this._extractor = extractor;
    return this;
  }

  /** Keeps the whole file in `buffer` (small files only; too-large beyond it). */
  captureInto(buffer: Uint8Array): this {
    this._capture = buffer;
    return this;
  }

  begin(totalLength: number): void {
    if (this.total >= 0) {
      // Resumed after a card loss: the host has its file-begin; the file must be the same.
      if (totalLength !== this.total) throw new IcaoError('malformed-data', 'length changed');
      return;
    }
    this.total = totalLength;
    if (this._capture && totalLength > this._capture.length) throw new IcaoError('too-large', 'file of ' + totalLength + ' bytes');
    this._host.send({ type: 'file-begin', fileId: this.fileId, length: totalLength });
  }

  chunk(data: Uint8Array, offset: number): void {
    if (this._hash) this._hash.update(data);
    if (this._extractor) this._extractor.push(data);
    if (this._capture) this._capture.set(data, offset);
    for (let at = 0; at < data.length; at += MAX_CHUNK_DATA) {
      const end = Math.min(data.length, at + MAX_CHUNK_DATA);
      this._host.send({ type: 'file-chunk', fileId: this.fileId, offset: offset + at, data: data.subarray(at, end) });
    }
    this.received = offset + data.length;
    if (++this._chunks % PROGRESS_EVERY === 0) {
      this._host.report({ type: 'progress', phase: 'reading', fileId: this.fileId, done: this.received, total: this.total });
    }
  }

  end(): void {
    if (this._hash) {
      this._digestValue = this._hash.digest();
      this._hash = null;
    }
    // The session keeps its own reference to the extractor for finish().
    this._extractor = null;
  }

  /** The captured file (captureInto). */
  captured(): Uint8Array {
    return this._capture ? this._capture.subarray(0, this.received) : EMPTY;
  }

  /** 'match' / 'mismatch' once the file has ended, when its hash was checked; else 'not-checked'. */
  verdict(): string {
    const e = this._expected;
    if (!e) return 'not-checked';
    const d = this._digestValue;
    return d.length === e.length && equalBytes(d, 0, e, 0, d.length) ? 'match' : 'mismatch';
  }

  digest(): Uint8Array {
    return this._digestValue;
  }
}
