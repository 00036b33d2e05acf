// The PN532 as its host sees it: the chip model behind the frame layer that all three host
// interfaces share (ACK after each valid command, NACK re-send, host ACK abort, error frames,
// the outbox of frames waiting for the host, the IRQ pin, wake-up, faults). A transport
// (HSU, I2C, SPI) attaches to move bytes; see hsu-transport.ts, i2c-transport.ts, spi-transport.ts.

import type { Clock, TimerId } from '../clock';
import type { Card } from '../card';
import { ACK_FRAME, ERROR_FRAME, FrameParser, encodeFrame, type FrameEvent } from './frames';
import { Pn532Chip, type ChipEffects, type ChipJob, type ChipReply } from './pn532-chip';
import { PARAM } from './pn532-constants';
import { Pn532Faults } from './pn532-faults';
import { emptyStats, type Pn532Stats } from './pn532-stats';

/** Time from the end of a host frame to the ACK being ready. ASSUMPTION (UM0701-02 gives no
 * figure): well inside what hosts allow, nfcpy ≤15 ms and Seeed 10 ms (docs/pn532-facts.md §6). */
export const ACK_DELAY_MS = 0.2;
/** HSU: bytes that arrive within this time after the first byte that wakes the chip are lost.
 * Every known host preamble at 115200 baud (shortest: libnfc/Seeed `55 55 00 00 00` = 0.43 ms)
 * covers it; a bare frame without one loses its start code. Assumed (no public figure). */
export const HSU_WAKE_MS = 0.3;

export type HostInterface = 'hsu' | 'i2c' | 'spi';

/** WakeUpEnable bit of each host interface (PowerDown; nfcpy). */
const WAKE_BIT: Record<HostInterface, number> = { hsu: 0x10, spi: 0x20, i2c: 0x80 };

/** What a transport gives the simulator. */
export interface Pn532Port {
  readonly kind: HostInterface;
  /** A frame has been put in the outbox (HSU sends it at once; I2C/SPI wait for the host). */
  frameReady(): void;
  /** SetSerialBaudRate took effect (after the host's ACK). */
  baudChanged?(baud: number): void;
  /** The chip was reset: the link returns to its power-on state. */
  linkReset?(): void;
}

export interface Pn532SimulatorOptions {
  clock: Clock;
  card?: Card | null;
  faults?: Pn532Faults;
}

export class Pn532Simulator {
  readonly clock: Clock;
  readonly faults: Pn532Faults;
  readonly chip: Pn532Chip;
  stats: Pn532Stats = emptyStats();
  private parser = new FrameParser((e) => this.onHostFrame(e));
  private outbox: Uint8Array[] = [];
  private lastResponse: Uint8Array | null = null;
  private job: ChipJob | null = null;
  private port: Pn532Port | null = null;
  private wokeAt = -Infinity;
  private sleepWhenDrained = false;
  private irqLevel: 0 | 1 = 1;
  private irqListeners: Array<(level: 0 | 1) => void> = [];
  private timers = new Set<TimerId>();

  constructor(options: Pn532SimulatorOptions) {
    this.clock = options.clock;
    this.faults = options.faults ?? new Pn532Faults();
    this.faults.attach(this.clock);
    this.chip = new Pn532Chip(this.clock, this.stats, this.faults);
    this.chip.setCard(options.card ?? null);
  }

  /** Card insertion (a card) or removal (null), at any time. */
  setCard(card: Card | null): void {
    this.chip.setCard(card);
  }

  get card(): Card | null {
    return this.chip.card;
  }

  /** Zeroes the counters (the chip keeps its own reference, so they are reset in place). */
  resetStats(): void {
    Object.assign(this.stats, emptyStats());
  }

  /** RSTPD_N pulse: the chip restarts in LowVbat at 115200 baud; pending work and frames are lost. */
  reset(): void {
    this.job?.cancel();
    this.job = null;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.outbox = [];
    this.lastResponse = null;
    this.sleepWhenDrained = false;
    this.wokeAt = -Infinity;
    this.parser.reset();
    this.chip.powerUp();
    this.setIrq(1);
    this.port?.linkReset?.();
  }

  /** Connects a transport; one at a time (the chip's I0/I1 pins pick one interface). */
  attach(port: Pn532Port): void {
    this.port = port;
  }

  // ---- IRQ (P70_IRQ): low while a frame waits for the host, when SAMConfiguration enabled it ----

  get irq(): 0 | 1 {
    return this.irqLevel;
  }

  onIrqChange(listener: (level: 0 | 1) => void): void {
    this.irqListeners.push(listener);
  }

  private setIrq(level: 0 | 1): void {
    if (level === 0 && !this.chip.irqEnabled) level = 1;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    for (const l of this.irqListeners) l(level);
  }

  // ---- host side, used by transports ----

  /** True while the chip is asleep (LowVbat before wake-up, or PowerDown). */
  get asleep(): boolean {
    return !this.chip.awake;
  }

  /**
   * Host bytes arriving on interface `kind`, the i-th at `times[i]` (ms; default now). While the
   * chip sleeps, a byte (HSU) or transaction (I2C/SPI) on an interface enabled for wake-up wakes
   * it; on HSU the waking byte and whatever follows within HSU_WAKE_MS are lost.
   */
  hostBytes(kind: HostInterface, data: ArrayLike<number>, times?: ArrayLike<number>): void {
    if (this.faults.isSilent()) return;
    for (let i = 0; i < data.length; i++) {
      const t = times ? times[i] : this.clock.now();
      if (!this.chip.awake) {
        if (!this.wake(kind)) continue;
        if (kind === 'hsu') {
          this.wokeAt = t;
          continue;
        }
      }
      if (kind === 'hsu' && t < this.wokeAt + HSU_WAKE_MS) continue;
      this.parser.pushByte(data[i]);
    }
  }

  /** An I2C or SPI transaction starts: 'awake' (the chip listens), 'woken' (it was asleep and
   * this transaction woke it), or 'asleep' (it stays asleep, or is silenced by a fault). */
  busTransaction(kind: HostInterface): 'awake' | 'woken' | 'asleep' {
    if (this.faults.isSilent()) return 'asleep';
    if (this.chip.awake) return 'awake';
    return this.wake(kind) ? 'woken' : 'asleep';
  }

  private wake(kind: HostInterface): boolean {
    // From LowVbat any interface wakes the chip; from PowerDown only those enabled.
    if (this.chip.power === 'power-down' && !(this.chip.wakeUpEnable & WAKE_BIT[kind])) return false;
    this.chip.awake = true;
    if (this.chip.power === 'power-down') this.chip.power = 'normal';
    return true;
  }

  /** A frame is waiting for the host. */
  get frameWaiting(): boolean {
    return this.outbox.length > 0;
  }

  /** The next frame for the host, removed from the outbox. */
  takeFrame(): Uint8Array | undefined {
    const f = this.outbox.shift();
    if (this.outbox.length === 0) {
      this.setIrq(1);
      if (this.sleepWhenDrained) {
        this.sleepWhenDrained = false;
        this.chip.power = 'power-down';
        this.chip.awake = false;
      }
    }
    return f;
  }

  /** Looks at the next frame without taking it. */
  peekFrame(): Uint8Array | undefined {
    return this.outbox[0];
  }

  // ---- frame layer ----

  private after(ms: number, fn: () => void): void {
    const id = this.clock.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.add(id);
  }

  private emit(frame: Uint8Array): void {
    if (this.faults.isSilent()) return;
    this.outbox.push(frame);
    this.setIrq(0);
    this.port?.frameReady();
  }

  private onHostFrame(e: FrameEvent): void {
    switch (e.kind) {
      case 'ack':
        // Ends a running command; also the go-ahead after SetSerialBaudRate.
        this.job?.cancel();
        this.job = null;
        if (this.chip.pendingBaud !== null) {
          this.chip.hsuBaud = this.chip.pendingBaud;
          this.chip.pendingBaud = null;
          this.port?.baudChanged?.(this.chip.hsuBaud);
        }
        return;
      case 'nack':
        this.stats.nacks++;
        if (this.lastResponse) {
          const again = this.lastResponse;
          this.after(ACK_DELAY_MS, () => this.emit(again));
        }
        return;
      case 'bad':
        // Real chip: a frame with a bad checksum is not acknowledged; the host times out
        // waiting for the ACK and sends again.
        this.stats.badFrames++;
        return;
      case 'error':
        return;
      case 'info':
        return this.onCommand(e.body);
    }
  }

  private onCommand(body: Uint8Array): void {
    if (!this.chip.accepts(body)) return;
    // A new command replaces one still running (the host should have aborted it with an ACK).
    this.job?.cancel();
    this.chip.pendingBaud = null;
    this.stats.commands++;
    if (this.faults.dropAcks > 0) this.faults.dropAcks--;
    else {
      this.stats.acks++;
      this.after(ACK_DELAY_MS, () => this.emit(ACK_FRAME.slice()));
    }
    if (this.faults.resetAfterAckMs !== null) {
      const ms = this.faults.resetAfterAckMs;
      const epoch = this.faults.resetEpoch;
      this.faults.resetAfterAckMs = null;
      this.after(ACK_DELAY_MS + ms, () => {
        if (this.faults.resetEpoch === epoch) this.reset();
      });
    }
    const job = this.chip.execute(body, (reply, effects) => {
      if (this.job === job) this.job = null;
      this.respond(reply, effects);
    });
    this.job = job;
  }

  private respond(reply: ChipReply, effects?: ChipEffects): void {
    let frame: Uint8Array;
    if (reply === 'syntax-error') {
      this.stats.errorFrames++;
      frame = ERROR_FRAME.slice();
    } else {
      frame = encodeFrame(reply, { prePostAmble: (this.chip.parameters & PARAM.RemovePrePostAmble) === 0 });
    }
    this.lastResponse = frame;
    let out = frame;
    if (this.faults.corruptResponses > 0) {
      this.faults.corruptResponses--;
      out = frame.slice();
      const dcsAt = out.length - ((this.chip.parameters & PARAM.RemovePrePostAmble) === 0 ? 2 : 1);
      out[dcsAt] ^= 0x5a;
    }
    if (effects?.sleep) this.sleepWhenDrained = true;
    this.emit(out);
  }
}
