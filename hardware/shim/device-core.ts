// What the parts of the runtime shim (timers, pins, buses, USB console) share: the device's
// clock and busy time, its event queue, its warnings. EspruinoRuntime implements it.

import type { Clock } from '../sim/clock';
import type { BoardProfile } from './board-profiles';
import type { EspruinoRuntimeOptions } from './espruino-runtime';

/** One idle-loop event: kind ('timer', 'data', 'watch', 'init', 'eval', ...) and its arguments. */
export type EventArgs = [string, (string | number)?, (string | number)?, (string | number)?, (string | number)?];

/** The functions espruino-api.js calls: primitives in, primitives out. */
export type Natives = Record<string, (...args: never[]) => unknown>;

export interface DeviceCore {
  readonly clock: Clock;
  readonly profile: BoardProfile;
  readonly options: EspruinoRuntimeOptions;
  readonly stopped: boolean;
  /** Device time in ms (the clock, plus time spent blocked in bus transfers). */
  now(): number;
  /** The device blocks for `ms` (a bus transfer): events due meanwhile wait. */
  busy(ms: number): void;
  warn(text: string): void;
  flag(name: string): void;
  /** Runs one event now (or when the device is no longer busy). */
  deliver(args: EventArgs): void;
  /** Schedules an event as its own clock event (never synchronously). */
  post(args: EventArgs, delayMs?: number): void;
}

export function latin1(s: string): Uint8Array {
  const u = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i) & 0xff;
  return u;
}
