// setTimeout / setInterval / changeInterval of the shim: each timer is a clock event that runs
// its callback as one idle-loop event, at its due time in device time.

import type { TimerId } from '../sim/clock';
import type { DeviceCore, Natives } from './device-core';

interface ScheduledTimer {
  clockId: TimerId;
  due: number;
  interval: number;
  recur: boolean;
}

export class DeviceTimers {
  private timers = new Map<number, ScheduledTimer>();
  private nextId = 1;

  constructor(private readonly core: DeviceCore) {}

  get size(): number {
    return this.timers.size;
  }

  stopAll(): void {
    for (const t of this.timers.values()) this.core.clock.clearTimeout(t.clockId);
    this.timers.clear();
  }

  natives(): Natives {
    return {
      timerAdd: (ms: number, recur: number) => {
        const id = this.nextId++;
        const interval = Math.max(ms, 0);
        this.schedule(id, this.core.now() + interval, interval, recur === 1);
        return id;
      },
      timerClear: (id: number) => {
        const t = this.timers.get(id);
        if (t) this.core.clock.clearTimeout(t.clockId);
        this.timers.delete(id);
      },
      timerChange: (id: number, ms: number) => {
        const t = this.timers.get(id);
        if (t) t.interval = Math.max(ms, 0);
      },
    };
  }

  private schedule(id: number, due: number, interval: number, recur: boolean): void {
    const clock = this.core.clock;
    const clockId = clock.setTimeout(() => {
      const t = this.timers.get(id);
      if (!t) return;
      if (t.recur) this.schedule(id, t.due + Math.max(t.interval, 0.001), t.interval, true);
      else this.timers.delete(id);
      this.core.deliver(['timer', id]);
    }, Math.max(0, due - clock.now()));
    this.timers.set(id, { clockId, due, interval, recur });
  }
}
