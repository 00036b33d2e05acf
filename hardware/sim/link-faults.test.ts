// The USB link fault injector: each fault does what it says, order is kept, and with no fault
// armed it is transparent.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';
import { LinkFaults, type UsbPort } from './link-faults';

/** A loop-back "device": what the host writes, the device side records; `emit` sends to the host. */
function port() {
  const toDevice: Uint8Array[] = [];
  const listeners: Array<(b: Uint8Array) => void> = [];
  const usb: UsbPort = { write: (b) => toDevice.push(b), onData: (l) => listeners.push(l) };
  return { usb, toDevice, emit: (b: Uint8Array) => listeners.forEach((l) => l(b)) };
}

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('LinkFaults', () => {
  it('is transparent with no faults: host writes cut into 64-byte packets, device packets passed at once', () => {
    const clock = new VirtualClock();
    const p = port();
    const faults = new LinkFaults();
    const usb = faults.attach(p.usb, clock);
    const heard: Uint8Array[] = [];
    usb.onData((b) => heard.push(b));
    usb.write(bytes(150));
    expect(p.toDevice.map((b) => b.length)).toEqual([64, 64, 22]);
    p.emit(bytes(10, 7));
    expect(heard).toEqual([bytes(10, 7)]);
    expect(clock.pending).toBe(0);
  });

  it('drops, duplicates and corrupts packets at the given rates', () => {
    const clock = new VirtualClock();
    const p = port();
    let x = 0;
    const faults = new LinkFaults({ toDevice: { drop: 1 } }, () => (x = (x + 0.37) % 1));
    const usb = faults.attach(p.usb, clock);
    usb.write(bytes(64));
    expect(p.toDevice).toEqual([]);
    expect(faults.stats.toDevice.dropped).toBe(1);
    faults.configure({ toDevice: { duplicate: 1 } });
    usb.write(bytes(64));
    clock.advance(1);
    expect(p.toDevice).toHaveLength(2);
    faults.configure({ toHost: { corrupt: 1 } });
    const heard: Uint8Array[] = [];
    usb.onData((b) => heard.push(b));
    p.emit(bytes(64, 0));
    expect(heard).toHaveLength(1);
    expect(heard[0].filter((b) => b !== 0)).toHaveLength(1);
    expect(faults.stats.toHost.corrupted).toBe(1);
  });

  it('a delayed packet holds back the ones behind it: order is kept', () => {
    const clock = new VirtualClock();
    const p = port();
    const seq = [0, 0.99, 0.99, 0.99]; // 0 < 0.5: the first packet is delayed
    let i = 0;
    const faults = new LinkFaults({}, () => seq[i++ % seq.length]);
    const usb = faults.attach(p.usb, clock);
    const heard: number[] = [];
    usb.onData((b) => heard.push(b[0]));
    faults.configure({ toHost: { delay: 0.5, delayMs: [100, 100] } });
    p.emit(bytes(1, 1));
    faults.configure({});
    p.emit(bytes(1, 2));
    p.emit(bytes(1, 3));
    expect(heard).toEqual([]);
    clock.advance(99);
    expect(heard).toEqual([]);
    clock.advance(2);
    expect(heard).toEqual([1, 2, 3]);
  });

  it('hold delivers late and in order; disconnect loses everything, even what was on its way', () => {
    const clock = new VirtualClock();
    const p = port();
    const faults = new LinkFaults();
    const usb = faults.attach(p.usb, clock);
    const heard: number[] = [];
    usb.onData((b) => heard.push(b[0]));
    faults.hold('toHost', 500);
    p.emit(bytes(1, 1));
    p.emit(bytes(1, 2));
    clock.advance(499);
    expect(heard).toEqual([]);
    clock.advance(1);
    expect(heard).toEqual([1, 2]);
    faults.hold('toHost', 500);
    p.emit(bytes(1, 3));
    faults.disconnect();
    usb.write(bytes(5));
    p.emit(bytes(1, 4));
    faults.reconnect();
    clock.advance(1000);
    expect(heard).toEqual([1, 2]);
    expect(p.toDevice).toEqual([]);
    expect(faults.stats.toHost.lostDisconnected).toBe(2);
    p.emit(bytes(1, 5));
    expect(heard).toEqual([1, 2, 5]);
  });
});
