// Messages over the byte stream: frames plus the codec, with one preallocated payload buffer.

import type { Message } from './catalogue.js';
import { decodePayload, encodePayload, messageCode } from './codec.js';
import { FrameDecoder, FrameEncoder, MAX_PAYLOAD, type FrameErrors } from './frame.js';

export interface ReceivedMessage {
  seq: number;
  message: Message;
}

export class MessageEncoder {
  private frames: FrameEncoder;
  private payload: Uint8Array;

  constructor() {
    this.frames = new FrameEncoder();
    this.payload = new Uint8Array(MAX_PAYLOAD);
  }

  /** Wire bytes of one message; a view valid until the next call (write it out or copy it). */
  encode(message: Message, seq: number): Uint8Array {
    const p = encodePayload(message, this.payload);
    return this.frames.encode(messageCode(message), seq, this.payload, p.length);
  }
}

/** Wire bytes of one message in a fresh array. */
export function encodeMessage(message: Message, seq: number): Uint8Array {
  return new Uint8Array(new MessageEncoder().encode(message, seq));
}

export interface StreamErrors extends FrameErrors {
  /** Intact frames (CRC good) whose type is unknown or whose payload does not parse. */
  malformed: number;
}

export class MessageDecoder {
  private frames: FrameDecoder;
  private malformed: number;

  constructor() {
    this.frames = new FrameDecoder();
    this.malformed = 0;
  }

  get errors(): StreamErrors {
    const e = this.frames.errors;
    return { cobs: e.cobs, short: e.short, crc: e.crc, oversize: e.oversize, malformed: this.malformed };
  }

  get errorCount(): number {
    return this.frames.errorCount + this.malformed;
  }

  push(chunk: Uint8Array): ReceivedMessage[] {
    const frames = this.frames.push(chunk);
    const out: ReceivedMessage[] = [];
    for (let i = 0; i < frames.length; i++) {
      const m = decodePayload(frames[i].type, frames[i].payload);
      if (m) out.push({ seq: frames[i].seq, message: m });
      else this.malformed++;
    }
    return out;
  }

  reset(): void {
    this.frames.reset();
  }
}
