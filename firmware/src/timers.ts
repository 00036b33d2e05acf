// Time as the firmware gets it: Espruino's globals on the board (main.ts), a VirtualClock in
// tests. Same shape as the protocol's LinkTimers, so one object serves both.

export interface Timers {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}
