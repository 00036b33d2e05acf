// One direction of a UART: bytes written at time t arrive after their transmission time, and a
// line carries one byte at a time, so back-to-back writes queue behind each other.

import type { Clock } from './clock';

/** Seconds-free helper: microseconds one 8N1 byte takes at `baud` (10 bits: start, 8, stop). */
export function uartByteMicros(baud: number): number {
  return 10_000_000 / baud;
}

export class SerialLine {
  private freeAt = 0;
  /** Bytes carried so far (for the benchmark's byte counts). */
  bytes = 0;

  constructor(
    private clock: Clock,
    public baud: number,
    private deliver: (data: Uint8Array) => void,
  ) {}

  /** Sends bytes; they are delivered in one piece when the last byte has arrived. */
  write(data: Uint8Array): void {
    if (data.length === 0) return;
    const copy = data.slice();
    const start = Math.max(this.clock.now(), this.freeAt);
    this.freeAt = start + (copy.length * uartByteMicros(this.baud)) / 1000;
    this.bytes += copy.length;
    this.clock.setTimeout(() => this.deliver(copy), this.freeAt - this.clock.now());
  }

  /** Time at which the line will be idle. */
  get idleAt(): number {
    return Math.max(this.freeAt, this.clock.now());
  }
}
