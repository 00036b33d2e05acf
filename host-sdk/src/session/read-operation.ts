// One read, host side (protocol/README.md §2-3): send `read`, collect files from file-begin /
// file-chunk / file-end, parse DG1 and DG2 as soon as each is complete, re-check every hash on
// the host, and end on `result` or `error`. Silence from the device, an abort, or the port
// going away end it too.

import { createHash } from 'node:crypto';
import { FILE, fileName, type DeviceMessage } from '@epassport/protocol';
import { ReaderError } from '../reader-error.js';
import { readerErrorMessage } from './error-step.js';
import { UnverifiedDocumentError } from '../unverified-document-error.js';
import { parseDg1 } from '../lds/dg1.js';
import { parseDg2 } from '../lds/dg2.js';
import { faceOf } from '../image/face.js';
import type { BacKey } from '../mrz/mrz-input.js';
import { assembleDocument } from '../document/assemble.js';
import type { HashVerdict } from '../pa/passive-authentication.js';
import { parseSod, type Sod } from '../pa/sod.js';
import type { TrustStore } from '../pa/trust-store.js';
import type { Face, FileRecord, PassportDocument } from '../passport-document.js';
import type { LinkSession } from './link-session.js';
import type { ReadStream } from './read-stream.js';

/** No message at all from the device for this long during a read: the link is dead. The device
 * sends a progress heartbeat about every 500 ms while it waits for a card. */
export const SILENCE_TIMEOUT_MS = 5000;
/** After `cancel`, how long to wait for the device's error{cancelled} before giving up. */
export const CANCEL_GRACE_MS = 2000;

export interface ReadOperationOptions {
  /** What the device is asked to read. */
  dataGroups: number[];
  /** The caller's own list of groups (each must be read), or null: `defaultGroups` that EF.COM lists. */
  requestedGroups: number[] | null;
  defaultGroups: number[];
  /** Active Authentication challenge (the relying party's), or null with `noActiveAuthWhy`. */
  challenge: Uint8Array | null;
  noActiveAuthWhy?: string;
  cardTimeoutMs: number;
  silenceTimeoutMs: number;
  trustStore: TrustStore | null;
  requireVerified: boolean;
  signal?: AbortSignal;
  now?: Date;
}

interface Incoming {
  length: number;
  bytes: Uint8Array;
  received: number;
}

export class ReadOperation {
  private session: LinkSession;
  private key: BacKey;
  private options: ReadOperationOptions;
  private out: ReadStream;
  private files = new Map<number, FileRecord>();
  private incoming = new Map<number, Incoming>();
  private sod: Sod | null = null;
  /** The chip's answer to INTERNAL AUTHENTICATE (file AA_SIGNATURE), when it came. */
  private aaSignature: Uint8Array | undefined;
  private dg1: PassportDocument['dg1'];
  private faces: Face[] = [];
  private parseErrors: { fileId: number; message: string }[] = [];
  /** Events go out in order even when one needs asynchronous work (the face conversion). */
  private chain: Promise<void> = Promise.resolve();
  private silenceTimer: NodeJS.Timeout | null = null;
  private cancelTimer: NodeJS.Timeout | null = null;
  private cancelling = false;
  private done = false;
  private damagedAtStart: number;
  /** Statistics from `result`. */
  private lastResult: { bytesRead: number; apdus: number; elapsedMs: number } | null = null;
  /** The device's Chip Authentication outcome from `result` (absent: none). */
  private chipAuth: string | undefined;
  private unsubscribeClose: () => void = () => {};
  private onAbort = () => this.cancel();
  onSettled: () => void = () => {};

  constructor(session: LinkSession, key: BacKey, options: ReadOperationOptions, out: ReadStream) {
    this.session = session;
    this.key = key;
    this.options = options;
    this.out = out;
    this.damagedAtStart = session.damagedFrames;
  }

  start(): void {
    const signal = this.options.signal;
    if (signal?.aborted) return this.fail(new ReaderError('cancelled', 'the read was cancelled before it started'));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.unsubscribeClose = this.session.onClose((e) => this.fail(e));
    this.session.setListener((m) => this.onMessage(m));
    this.armSilence();
    try {
      const challenge = this.options.challenge;
      this.session.send({ type: 'read', ...this.key, dataGroups: this.options.dataGroups, cardTimeoutMs: this.options.cardTimeoutMs, ...(challenge ? { challenge } : {}) });
    } catch (e) {
      this.fail(e as ReaderError);
    }
  }

  /** Asks the device to stop; the read ends with 'cancelled'. */
  cancel(): void {
    if (this.done || this.cancelling) return;
    this.cancelling = true;
    try {
      this.session.send({ type: 'cancel' });
    } catch {
      // The link is gone: nothing to tell the device.
    }
    this.cancelTimer = setTimeout(() => this.fail(new ReaderError('cancelled', 'the read was cancelled (the reader did not confirm)')), CANCEL_GRACE_MS);
  }

  private armSilence(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    const ms = this.options.silenceTimeoutMs;
    this.silenceTimer = setTimeout(() => {
      try {
        this.session.send({ type: 'cancel' });
      } catch {
        // already dead
      }
      this.fail(new ReaderError('timeout', 'the reader sent nothing for ' + ms / 1000 + ' s during the read'));
    }, ms);
  }

  private emit(make: () => ReturnType<ReadStream['push']> | Promise<void>): void {
    this.chain = this.chain.then(make).catch((e) => this.fail(e));
  }

  private onMessage(m: DeviceMessage): void {
    if (this.done) return;
    this.armSilence();
    switch (m.type) {
      case 'progress': {
        const { phase, fileId, done, total } = m;
        this.emit(() => this.out.push({ type: 'progress', phase, fileId, done, total }));
        break;
      }
      case 'file-begin':
        this.incoming.set(m.fileId, { length: m.length, bytes: new Uint8Array(m.length), received: 0 });
        this.emit(() => this.out.push({ type: 'file-begin', fileId: m.fileId, name: fileName(m.fileId), length: m.length }));
        break;
      case 'file-chunk': {
        const f = this.incoming.get(m.fileId);
        if (!f) return this.fail(new ReaderError('malformed-data', 'the reader sent data of ' + fileName(m.fileId) + ' before its file-begin', { fileId: m.fileId }));
        // Each byte exactly once: every chunk starts where the previous one ended (a resume
        // after a card loss continues at the last delivered byte, it never repeats or skips),
        // and never runs past the announced length.
        if (m.offset !== f.received || m.offset + m.data.length > f.length) {
          return this.fail(new ReaderError('malformed-data', fileName(m.fileId) + ': chunk at ' + m.offset + '+' + m.data.length + ' does not follow ' + f.received + ' of ' + f.length + ' bytes', { fileId: m.fileId }));
        }
        f.bytes.set(m.data, m.offset);
        f.received = m.offset + m.data.length;
        const event = { type: 'chunk' as const, fileId: m.fileId, offset: m.offset, length: m.data.length, received: f.received, total: f.length };
        this.emit(() => this.out.push(event));
        break;
      }
      case 'file-end':
        this.onFileEnd(m.fileId, m.length, m.verdict, m.digest);
        break;
      case 'result':
        this.lastResult = { bytesRead: m.bytesRead, apdus: m.apdus, elapsedMs: m.elapsedMs };
        this.chipAuth = m.chipAuth;
        this.emit(() => this.complete(null));
        break;
      case 'error':
        if (this.cancelling || m.code === 'cancelled') return this.fail(new ReaderError('cancelled', 'the read was cancelled'));
        if (m.code === 'hash-mismatch') {
          this.emit(() => this.complete(m.fileId));
        } else {
          this.fail(new ReaderError(m.code, readerErrorMessage(m.code, m.message, m.sw, m.fileId), { sw: m.sw, fileId: m.fileId }));
        }
        break;
      default:
        break;
    }
  }

  private onFileEnd(fileId: number, length: number, verdict: string, digest: Uint8Array): void {
    const f = this.incoming.get(fileId);
    if (!f) return this.fail(new ReaderError('malformed-data', 'the reader ended ' + fileName(fileId) + ' that it never began', { fileId }));
    if (f.received !== f.length || length !== f.length) {
      return this.fail(new ReaderError('malformed-data', fileName(fileId) + ' ended after ' + f.received + ' of ' + f.length + ' bytes', { fileId }));
    }
    this.incoming.delete(fileId);
    if (fileId === FILE.AA_SIGNATURE) {
      this.aaSignature = f.bytes;
      this.emit(() => this.out.push({ type: 'file-end', fileId, name: fileName(fileId), length, verdict, hostVerdict: 'not-checked' }));
      return;
    }
    const record: FileRecord = { fileId, name: fileName(fileId), bytes: f.bytes, deviceVerdict: verdict, deviceDigest: digest.slice() };
    this.files.set(fileId, record);
    let hostVerdict: HashVerdict | 'not-checked' = 'not-checked';
    if (fileId === FILE.SOD) {
      try {
        this.sod = parseSod(f.bytes);
      } catch (e) {
        this.parseErrors.push({ fileId, message: (e as Error).message });
      }
    } else if (fileId >= 1 && fileId <= 16 && this.sod) {
      const expected = this.sod.lds.dataGroupHashes.get(fileId);
      const actual = createHash(this.sod.lds.hashAlgorithm).update(f.bytes).digest();
      hostVerdict = !expected ? 'not-in-sod' : Buffer.compare(actual, Buffer.from(expected)) === 0 ? 'match' : 'mismatch';
    }
    this.emit(() => this.out.push({ type: 'file-end', fileId, name: record.name, length, verdict, hostVerdict }));
    if (fileId === 1) {
      this.emit(() => {
        try {
          this.dg1 = parseDg1(f.bytes);
          this.out.push({ type: 'dg1', dg1: this.dg1 });
        } catch (e) {
          this.parseErrors.push({ fileId, message: (e as Error).message });
        }
      });
    }
    if (fileId === 2) this.emit(() => this.parseFaces(f.bytes));
  }

  private async parseFaces(bytes: Uint8Array): Promise<void> {
    let images;
    try {
      images = parseDg2(bytes);
    } catch (e) {
      this.parseErrors.push({ fileId: 2, message: (e as Error).message });
      return;
    }
    for (const image of images) {
      const face = await faceOf(image);
      if (this.done) return;
      this.faces.push(face);
      this.out.push({ type: 'face', face, index: this.faces.length - 1 });
    }
  }

  private buildDocument(stats: { bytesRead: number; apdus: number; elapsedMs: number }): PassportDocument {
    const o = this.options;
    return assembleDocument({
      files: this.files, dg1: this.dg1, faces: this.faces, parseErrors: this.parseErrors,
      requestedGroups: o.requestedGroups, defaultGroups: o.defaultGroups,
      challenge: o.challenge, noActiveAuthWhy: o.noActiveAuthWhy, aaResponse: this.aaSignature, chipAuth: this.chipAuth,
      trustStore: o.trustStore, now: o.now,
      stats: { ...stats, damagedFrames: this.session.damagedFrames - this.damagedAtStart },
    });
  }

  private complete(mismatchFileId: number | null): void {
    if (this.done) return;
    let bytes = 0;
    for (const f of this.files.values()) bytes += f.bytes.length;
    const doc = this.buildDocument(this.lastResult ?? { bytesRead: bytes, apdus: 0, elapsedMs: 0 });
    if (mismatchFileId !== null) {
      const groups = doc.passiveAuthentication.hashes.mismatched;
      const named = groups.length ? groups.map((g) => 'DG' + g).join(', ') : fileName(mismatchFileId);
      return this.fail(new UnverifiedDocumentError('hash-mismatch', named + ' does not match its hash in EF.SOD: the chip data was altered', doc, mismatchFileId));
    }
    if (this.options.requireVerified && !doc.verified) {
      return this.fail(new UnverifiedDocumentError('untrusted', 'not verified: ' + doc.verdict.reasons.map((r) => r.message + ' [' + r.code + ']').join('; '), doc));
    }
    this.out.push({ type: 'result', document: doc });
    this.settle();
    this.out.finish(doc);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.settle();
    this.out.fail(error);
  }

  private settle(): void {
    this.done = true;
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    if (this.cancelTimer) clearTimeout(this.cancelTimer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.session.setListener(null);
    this.unsubscribeClose();
    this.onSettled();
  }
}
