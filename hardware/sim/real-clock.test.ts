import { describe, expect, it } from 'vitest';
import { RealClock } from './clock';

/** Blocks the event loop, as a GC pause, a busy host in the same process or a loaded CPU does. */
function stall(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // busy
  }
}

function settle(clock: RealClock, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : clock.setTimeout(poll, 5));
    poll();
  });
}

describe('RealClock', () => {
  it('runs timers in due order, a chain set from callbacks included, after a stall', async () => {
    // The firmware's ACK deadline (30 ms) against the PN532's ACK arriving byte by byte (a chain
    // of 1 ms timers). Node's own timers let the overdue deadline fire before the rest of the
    // chain once the loop was blocked; the clock must not.
    const clock = new RealClock();
    const order: string[] = [];
    clock.setTimeout(() => order.push('deadline'), 30);
    const step = (n: number) => () => {
      order.push('byte' + n);
      if (n < 6) clock.setTimeout(step(n + 1), 1);
    };
    clock.setTimeout(step(1), 1);
    stall(80);
    await settle(clock, () => order.length === 7);
    expect(order).toEqual(['byte1', 'byte2', 'byte3', 'byte4', 'byte5', 'byte6', 'deadline']);
  });

  it('gives a callback its own due time as now(), and real time outside callbacks', async () => {
    const clock = new RealClock();
    const seen: Array<[number, number]> = [];
    const t0 = clock.now();
    clock.setTimeout(() => seen.push([clock.now(), 10]), 10);
    clock.setTimeout(() => seen.push([clock.now(), 20]), 20);
    stall(50);
    await settle(clock, () => seen.length === 2);
    expect(seen[0][0] - t0).toBeGreaterThanOrEqual(10);
    expect(seen[0][0] - t0).toBeLessThan(20); // not the stalled wall time
    expect(seen[1][0] - seen[0][0]).toBeCloseTo(10, 0);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(50);
  });

  it('does not run a cleared timer, and same-time timers run in the order they were set', async () => {
    const clock = new RealClock();
    const order: number[] = [];
    const id = clock.setTimeout(() => order.push(0), 5);
    for (let i = 1; i <= 3; i++) clock.setTimeout(() => order.push(i), 5);
    clock.clearTimeout(id);
    await settle(clock, () => order.length === 3);
    expect(order).toEqual([1, 2, 3]);
  });
});
