// Time for the simulators and the Espruino runtime shim. Everything that waits or models
// duration takes a Clock, so the same code runs on virtual time in tests (fast, repeatable,
// with a modelled duration for the benchmark) and on real time for the pseudo-terminal demo.

export type TimerId = number;

export interface Clock {
  /** Milliseconds since the clock's start. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId): void;
}

interface Timer {
  id: TimerId;
  at: number;
  order: number;
  fn: () => void;
}

/**
 * Discrete-event clock: time only moves when the runner advances it to the next timer.
 * Timers due at the same instant run in the order they were set.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private nextId = 1;
  private order = 0;
  private timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.nextId++;
    const timer = { id, at: this.time + Math.max(0, ms), order: this.order++, fn };
    // Keep the list sorted by (at, order): insert after every timer due no later.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return id;
  }

  clearTimeout(id: TimerId): void {
    const i = this.timers.findIndex((t) => t.id === id);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.timers.length;
  }

  /** Runs the next timer, moving time to it. False when none is left. */
  step(): boolean {
    const t = this.timers.shift();
    if (!t) return false;
    this.time = t.at;
    t.fn();
    return true;
  }

  /** Runs timers until `done()` holds; throws if the timers run out or `maxMs` of virtual time
   * pass first (a hang in virtual time is a failure, not a wait). */
  runUntil(done: () => boolean, maxMs = 600_000): void {
    const limit = this.time + maxMs;
    while (!done()) {
      if (this.timers.length === 0) throw new Error(`virtual clock: nothing left to run at t=${this.time} ms and the condition does not hold`);
      if (this.timers[0].at > limit) throw new Error(`virtual clock: condition not reached within ${maxMs} ms of virtual time`);
      this.step();
    }
  }

  /** Runs every timer due within the next `ms` milliseconds, then sets the time to now + ms. */
  advance(ms: number): void {
    const until = this.time + ms;
    while (this.timers.length && this.timers[0].at <= until) this.step();
    this.time = until;
  }
}

/**
 * Wall-clock time, for the virtual device on a real pseudo-terminal. Its timers run in due order
 * even when the process stalls (GC, a busy host in the same process, a loaded CPU): one Node
 * timer drives a sorted queue, a callback sees now() = its own due time, and a timer it sets is
 * due relative to that, so a chain of timers (bytes crossing a simulated UART) keeps its place
 * ahead of a later deadline (the firmware's 30 ms ACK timeout) instead of losing the race to it.
 * A stall stretches time; it never reorders events.
 */
export class RealClock implements Clock {
  private readonly start = performance.now();
  /** Due time of the callback running now, null outside callbacks. */
  private running: number | null = null;
  private timers: Timer[] = [];
  private nextId = 1;
  private order = 0;
  private handle: ReturnType<typeof setTimeout> | null = null;
  private handleAt = Infinity;

  now(): number {
    return this.running ?? this.wallNow();
  }

  private wallNow(): number {
    return performance.now() - this.start;
  }

  setTimeout(fn: () => void, ms: number): TimerId {
    const id = this.nextId++;
    const timer = { id, at: this.now() + Math.max(0, ms), order: this.order++, fn };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    this.arm();
    return id;
  }

  clearTimeout(id: TimerId): void {
    const i = this.timers.findIndex((t) => t.id === id);
    if (i >= 0) this.timers.splice(i, 1);
    if (this.timers.length === 0 && this.handle) {
      clearTimeout(this.handle); // nothing left: let the process exit
      this.handle = null;
      this.handleAt = Infinity;
    }
  }

  /** One Node timer for the earliest due timer (none while the queue is being run). */
  private arm(): void {
    const next = this.timers[0];
    if (!next || this.running !== null) return;
    if (this.handle && this.handleAt <= next.at) return;
    if (this.handle) clearTimeout(this.handle);
    this.handleAt = next.at;
    this.handle = setTimeout(() => this.run(), Math.max(0, next.at - this.wallNow()));
  }

  /** Runs every timer due by now, earliest first, those they set included; at most a bounded
   * number per turn so I/O (the pty) is served between turns. */
  private run(): void {
    this.handle = null;
    this.handleAt = Infinity;
    let budget = 10_000;
    try {
      while (this.timers.length && this.timers[0].at <= this.wallNow() && budget-- > 0) {
        const t = this.timers.shift()!;
        this.running = t.at;
        t.fn();
      }
    } finally {
      this.running = null;
      this.arm();
    }
  }
}
