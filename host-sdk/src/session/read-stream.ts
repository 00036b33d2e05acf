// The events of one read, as an async iterator and as an EventEmitter, plus the final document.

import { EventEmitter } from 'node:events';
import type { Dg1 } from '../lds/dg1.js';
import type { Face, PassportDocument } from '../passport-document.js';
import type { HashVerdict } from '../pa/passive-authentication.js';

export type ReadEvent =
  | { type: 'progress'; phase: string; fileId: number; done: number; total: number }
  | { type: 'file-begin'; fileId: number; name: string; length: number }
  | { type: 'chunk'; fileId: number; offset: number; length: number; received: number; total: number }
  | {
      type: 'file-end'; fileId: number; name: string; length: number;
      /** The device's verdict: not-checked, match, mismatch, not-in-sod. */
      verdict: string;
      /** The host's own verdict against EF.SOD (data groups, once EF.SOD has arrived). */
      hostVerdict: HashVerdict | 'not-checked';
    }
  | { type: 'dg1'; dg1: Dg1 }
  | { type: 'face'; face: Face; index: number }
  | { type: 'result'; document: PassportDocument };

export type ReadEventType = ReadEvent['type'];

export class ReadStream extends EventEmitter implements AsyncIterable<ReadEvent> {
  /** Resolves with the document after the last event; rejects with a ReaderError. */
  readonly document: Promise<PassportDocument>;
  private queue: ReadEvent[] = [];
  private waiting: ((r: IteratorResult<ReadEvent>) => void) | null = null;
  private waitingFail: ((e: unknown) => void) | null = null;
  private error: unknown = null;
  private ended = false;
  private resolveDoc!: (d: PassportDocument) => void;
  private rejectDoc!: (e: unknown) => void;
  /** Asks the device to stop (same as aborting the signal). */
  cancel: () => void = () => {};

  constructor() {
    super();
    this.document = new Promise((resolve, reject) => {
      this.resolveDoc = resolve;
      this.rejectDoc = reject;
    });
    // A caller that only iterates must not get an unhandled rejection from `document`.
    this.document.catch(() => {});
  }

  push(event: ReadEvent): void {
    if (this.ended) return;
    this.emit(event.type, event);
    this.emit('event', event);
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = this.waitingFail = null;
      w({ value: event, done: false });
    } else {
      this.queue.push(event);
    }
  }

  finish(document: PassportDocument): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveDoc(document);
    this.wake();
  }

  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.rejectDoc(error);
    this.emit('failed', error);
    this.wake();
  }

  get settled(): boolean {
    return this.ended;
  }

  private wake(): void {
    if (!this.waiting) return;
    const w = this.waiting;
    const f = this.waitingFail!;
    this.waiting = this.waitingFail = null;
    if (this.error) f(this.error);
    else w({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<ReadEvent> {
    return {
      next: () => {
        if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
        if (this.error) return Promise.reject(this.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          this.waiting = resolve;
          this.waitingFail = reject;
        });
      },
      return: () => {
        if (!this.ended) this.cancel();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
