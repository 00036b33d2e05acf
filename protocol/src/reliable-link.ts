// Reliable, ordered delivery over the framed byte stream, the same class on both ends.
//
// USB CDC is reliable in principle, but cables, hubs and host drivers drop or mangle bytes, and
// a slow host must be able to hold the device back. So every message except `ack` carries a
// sequence number; the receiver acknowledges cumulatively; the sender keeps at most `window`
// unacknowledged frames and resends all of them (go-back-N) when the oldest waits longer than
// `retransmitMs`. Each frame is built and encoded in place in one preallocated buffer, then kept
// in a copy of exactly its length until acknowledged: on the device, whose host acknowledges
// within milliseconds, what the window holds is the one or two frames in flight (a short
// block's chunk is ~250 bytes), not four buffers of the largest frame. A full window is back-pressure:
// `send` returns false and the sender waits for `onDrain`.
//
// `hello` and `hello-reply` open a session: they are accepted whatever their sequence number,
// and both ends drop what they still held from an earlier session.

import { MSG, type Message } from './catalogue.js';
import { decodePayload, encodePayload, messageCode } from './codec.js';
import { FrameDecoder, frameBody, MAX_BODY, MAX_PAYLOAD, MAX_WIRE_FRAME } from './frame.js';

export interface LinkTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface LinkHandlers {
  onMessage(message: Message): void;
  /** Window space became free after `send` returned false. */
  onDrain?(): void;
  /** `maxRetransmits` rounds went unanswered: the peer is gone. The link has reset itself. */
  onFail?(): void;
}

export interface LinkOptions {
  /** Unacknowledged frames allowed in flight: rounded down to a power of two, 1..64. */
  window?: number;
  retransmitMs?: number;
  maxRetransmits?: number;
  /** Largest payload received; longer frames are dropped as damaged (default MAX_PAYLOAD). */
  maxReceivePayload?: number;
}

export interface LinkStats {
  sent: number;
  retransmitted: number;
  received: number;
  duplicates: number;
  outOfOrder: number;
  damaged: number;
}

const SESSION_OPENERS = ['hello', 'hello-reply'];
/** An ack's body (type, seq, its 2-byte payload, CRC) and its frame at most (COBS + 2 delimiters). */
const ACK_BODY = 6;
const ACK_WIRE = ACK_BODY + 3;
/** Where a frame's body is built in `frame`. COBS then encodes it forward into the same buffer
 * from index 1: the encoder writes byte i's output at most at 1 + 1 + i + i / 254 (2 extra code
 * bytes for 516 bytes), always before body byte i + 1 at BODY_AT + i + 1, so it never overwrites
 * a byte it has yet to read (the JavaScript loop and the blob's cobs_encode alike). */
const BODY_AT = MAX_WIRE_FRAME - MAX_BODY;

export class ReliableLink {
  readonly stats: LinkStats;
  private write: (bytes: Uint8Array) => void;
  private timers: LinkTimers;
  private handlers: LinkHandlers;
  private window: number;
  private retransmitMs: number;
  private maxRetransmits: number;
  private decoder: FrameDecoder;
  /** The ack's own body and frame: an ack may go out while every slot is in flight. */
  private ackBody: Uint8Array;
  private ackWire: Uint8Array;
  // Send side: the frame being built, and the ring of encoded frames awaiting acknowledgement.
  private frame: Uint8Array;
  private slots: (Uint8Array | null)[];
  private nextSeq: number;
  private unacked: number;
  private oldestSentAt: number;
  private rounds: number;
  private timer: unknown;
  private blocked: boolean;
  // Receive side.
  private expected: number;

  /** `write` gets a view into a reused buffer: send it out (or copy it) before returning. */
  constructor(write: (bytes: Uint8Array) => void, timers: LinkTimers, handlers: LinkHandlers, options?: LinkOptions) {
    const o = options || {};
    this.write = write;
    this.timers = timers;
    this.handlers = handlers;
    // A power of two, so that slots (seq % window) stay distinct across the 8-bit wrap.
    let w = 1;
    while (w * 2 <= Math.min(64, o.window === undefined ? 4 : o.window)) w *= 2;
    this.window = w;
    this.retransmitMs = o.retransmitMs === undefined ? 300 : o.retransmitMs;
    this.maxRetransmits = o.maxRetransmits === undefined ? 10 : o.maxRetransmits;
    this.decoder = new FrameDecoder(o.maxReceivePayload);
    this.ackBody = new Uint8Array(ACK_BODY);
    this.ackWire = new Uint8Array(ACK_WIRE);
    this.frame = new Uint8Array(MAX_WIRE_FRAME);
    this.slots = [];
    for (let i = 0; i < this.window; i++) this.slots.push(null);
    this.stats = { sent: 0, retransmitted: 0, received: 0, duplicates: 0, outOfOrder: 0, damaged: 0 };
    this.nextSeq = 0;
    this.unacked = 0;
    this.oldestSentAt = 0;
    this.rounds = 0;
    this.timer = null;
    this.blocked = false;
    this.expected = 0;
  }

  /** Frames that can be sent now without waiting. */
  get freeSlots(): number {
    return this.window - this.unacked;
  }

  /** Nothing is waiting for an acknowledgement. */
  get idle(): boolean {
    return this.unacked === 0;
  }

  /** Sends a message; false (and nothing sent) when the window is full: wait for onDrain. */
  send(message: Message): boolean {
    if (message.type === 'ack') {
      this.sendAck(message.seq, message.window);
      return true;
    }
    if (message.type === 'hello' || message.type === 'hello-reply') this.resetSender();
    if (this.unacked >= this.window) {
      this.blocked = true;
      return false;
    }
    const seq = this.nextSeq;
    // The body (type, seq, payload, CRC) at BODY_AT, then encoded over it from 0.
    const body = this.frame.subarray(BODY_AT);
    const n = encodePayload(message, body.subarray(2, 2 + MAX_PAYLOAD)).length;
    body[0] = messageCode(message);
    body[1] = seq;
    const frame = new Uint8Array(this.frame.subarray(0, frameBody(body, n, this.frame)));
    this.slots[seq % this.window] = frame;
    this.nextSeq = (seq + 1) & 0xff;
    if (this.unacked === 0) this.oldestSentAt = this.timers.now();
    this.unacked++;
    this.stats.sent++;
    this.write(frame);
    this.arm();
    return true;
  }

  /** Feeds bytes from the wire. */
  receive(chunk: Uint8Array): void {
    const frames = this.decoder.push(chunk);
    for (let i = 0; i < frames.length; i++) {
      const m = decodePayload(frames[i].type, frames[i].payload);
      if (!m) {
        this.stats.damaged++;
        continue;
      }
      if (m.type === 'ack') {
        this.onAck(m.seq);
        continue;
      }
      const seq = frames[i].seq;
      if (SESSION_OPENERS.indexOf(m.type) >= 0) {
        if (m.type === 'hello') this.resetSender();
        this.expected = seq;
      }
      if (seq !== this.expected) {
        // A duplicate (our ack was lost) or a gap (a frame was lost): re-acknowledge what we
        // have, so the sender goes back to the first frame we miss.
        if (((this.expected - seq) & 0xff) <= 64) this.stats.duplicates++;
        else this.stats.outOfOrder++;
        this.sendAck((this.expected - 1) & 0xff, this.window);
        continue;
      }
      this.expected = (seq + 1) & 0xff;
      this.stats.received++;
      this.sendAck(seq, this.window);
      this.handlers.onMessage(m);
    }
  }

  /** Drops everything in flight and starts numbering again (a new session, or after a fault). */
  reset(): void {
    this.resetSender();
    this.expected = 0;
    this.decoder.reset();
  }

  /** Frames damaged on the wire so far (CRC, COBS, size). */
  get damagedFrames(): number {
    return this.decoder.errorCount + this.stats.damaged;
  }

  private resetSender(): void {
    for (let i = 0; i < this.window; i++) this.slots[i] = null;
    this.unacked = 0;
    this.nextSeq = 0;
    this.rounds = 0;
    this.disarm();
  }

  private sendAck(seq: number, window: number): void {
    const body = this.ackBody;
    body[0] = MSG.ACK;
    body[1] = 0;
    body[2] = seq & 0xff;
    body[3] = window & 0xff;
    this.write(this.ackWire.subarray(0, frameBody(body, 2, this.ackWire)));
  }

  private onAck(seq: number): void {
    if (this.unacked === 0) return;
    const first = (this.nextSeq - this.unacked) & 0xff;
    const n = ((seq - first) & 0xff) + 1; // frames this ack covers
    if (n > this.unacked) return; // stale: acknowledges something before our window
    for (let k = 0; k < n; k++) this.slots[(first + k) % this.window] = null;
    this.unacked -= n;
    this.rounds = 0;
    this.oldestSentAt = this.timers.now();
    this.disarm();
    if (this.unacked > 0) this.arm();
    if (this.blocked && this.unacked < this.window) {
      this.blocked = false;
      if (this.handlers.onDrain) this.handlers.onDrain();
    }
  }

  private arm(): void {
    if (this.timer !== null || this.unacked === 0) return;
    const wait = Math.max(1, this.oldestSentAt + this.retransmitMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.retransmit();
    }, wait);
  }

  private disarm(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private retransmit(): void {
    if (this.unacked === 0) return;
    if (++this.rounds > this.maxRetransmits) {
      this.reset();
      if (this.handlers.onFail) this.handlers.onFail();
      return;
    }
    const first = (this.nextSeq - this.unacked) & 0xff;
    for (let k = 0; k < this.unacked; k++) {
      const slot = ((first + k) & 0xff) % this.window;
      this.stats.retransmitted++;
      this.write(this.slots[slot]!);
    }
    this.oldestSentAt = this.timers.now();
    this.arm();
  }
}
