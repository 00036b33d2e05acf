// Pins of the shim: levels the firmware drives, modes, and setWatch on pins a peer drives (a
// watch fires as one idle-loop event, after its debounce, if the level still holds).

import type { DeviceCore, Natives } from './device-core';

interface Watch {
  pin: string;
  edge: string;
  debounceMs: number;
  lastTime: number;
}

export class DevicePins {
  private levels = new Map<string, number>();
  private modes = new Map<string, string>();
  private watches = new Map<number, Watch>();
  private nextWatchId = 1;

  /** `onChange` hears every change of an output level (the SPI chip select listens). */
  constructor(private readonly core: DeviceCore, private readonly onChange: (pin: string, level: number) => void) {
    const { profile, options } = core;
    for (const [pin, line] of Object.entries(options.inputs ?? {})) {
      if (!profile.pins.includes(pin)) throw new Error(`${profile.id} has no pin ${pin}`);
      line!.onChange((level) => this.inputChanged(pin, level));
    }
  }

  /** Level of a pin as the firmware last drove it (or as an input reads). */
  level(pin: string): number {
    const input = this.core.options.inputs?.[pin];
    if (input) return input.level();
    return this.levels.get(this.core.profile.aliases[pin] ?? pin) ?? 0;
  }

  /** Number of setWatch watches the firmware has. */
  get watchCount(): number {
    return this.watches.size;
  }

  /** The level last driven, undefined if never. */
  driven(pin: string): number | undefined {
    return this.levels.get(pin);
  }

  set(pin: string, level: number): void {
    const before = this.levels.get(pin);
    this.levels.set(pin, level);
    if (before === level) return;
    this.onChange(pin, level);
    this.core.options.onPinWrite?.(pin, level);
  }

  natives(): Natives {
    const { core } = this;
    return {
      digitalWrite: (pin: string, value: number) => {
        if (core.options.inputs?.[pin]) core.warn(`digitalWrite on ${pin}, which is driven by the peer`);
        this.modes.set(pin, 'output');
        this.set(pin, value);
      },
      digitalRead: (pin: string) => {
        const input = core.options.inputs?.[pin];
        if (input) return input.level() ? 1 : 0;
        return this.levels.get(pin) ?? 0;
      },
      pinMode: (pin: string, mode: string) => {
        if (mode) this.modes.set(pin, mode);
        return this.modes.get(pin) ?? 'input';
      },
      watchAdd: (pin: string, edge: string, debounceMs: number) => {
        const id = this.nextWatchId++;
        this.watches.set(id, { pin, edge, debounceMs, lastTime: core.now() / 1000 });
        return id;
      },
      watchClear: (id: number) => {
        this.watches.delete(id);
      },
    };
  }

  private inputChanged(pin: string, level: number): void {
    const clock = this.core.clock;
    const at = clock.now();
    for (const [id, w] of this.watches) {
      if (w.pin !== pin) continue;
      if ((w.edge === 'rising' && level !== 1) || (w.edge === 'falling' && level !== 0)) continue;
      const fire = () => {
        if (!this.watches.has(id)) return;
        if (w.debounceMs > 0 && this.core.options.inputs![pin]!.level() !== level) return;
        const last = w.lastTime;
        w.lastTime = at / 1000;
        this.core.deliver(['watch', id, level, at / 1000, last]);
      };
      clock.setTimeout(fire, w.debounceMs);
    }
  }
}
