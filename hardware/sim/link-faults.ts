// Fault injection on the USB link between the host PC and a virtual device: corrupted, dropped,
// duplicated and delayed packets each way, a host that holds the line (reads late), and a host
// that disappears (port closed, cable pulled) and comes back. Sits between the runtime's USB CDC
// port and whoever uses VirtualDevice.usb (createVirtualDevice({ linkFaults })).
//
// Unit: the USB full-speed bulk packet (64 bytes): host writes are cut into packets here, device
// output already arrives one packet per clock event. Order is kept each way (USB does not reorder):
// a delayed packet holds back the ones behind it. With no fault armed every packet passes at once,
// so a device with a LinkFaults that does nothing behaves exactly like one without.

import type { Clock } from './clock';

export const LINK_PACKET = 64;

export type LinkDirection = 'toDevice' | 'toHost';

/** Faults of one direction, as probabilities per packet (0..1). */
export interface LinkDirectionFaults {
  /** One byte of the packet XORed with a non-zero value. */
  corrupt?: number;
  /** The packet is lost. */
  drop?: number;
  /** The packet arrives twice. */
  duplicate?: number;
  /** The packet (and so every later one) arrives `delayMs` late. */
  delay?: number;
  /** Delay range [min, max] in ms (default [5, 200]). */
  delayMs?: [number, number];
}

export interface LinkFaultPlan {
  toDevice?: LinkDirectionFaults;
  toHost?: LinkDirectionFaults;
}

export interface LinkDirectionStats {
  packets: number;
  corrupted: number;
  dropped: number;
  duplicated: number;
  delayed: number;
  /** Lost because the host side was disconnected. */
  lostDisconnected: number;
}

export interface UsbPort {
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): void;
}

function emptyStats(): LinkDirectionStats {
  return { packets: 0, corrupted: 0, dropped: 0, duplicated: 0, delayed: 0, lostDisconnected: 0 };
}

export class LinkFaults {
  readonly stats: Record<LinkDirection, LinkDirectionStats> = { toDevice: emptyStats(), toHost: emptyStats() };
  private plan: LinkFaultPlan;
  private random: () => number;
  private clock: Clock | null = null;
  private connected = true;
  /** Bumped on every disconnect: packets scheduled before it are lost. */
  private epoch = 0;
  private holdUntil: Record<LinkDirection, number> = { toDevice: -Infinity, toHost: -Infinity };
  private lastDelivery: Record<LinkDirection, number> = { toDevice: -Infinity, toHost: -Infinity };
  private pending: Record<LinkDirection, number> = { toDevice: 0, toHost: 0 };

  /** `random` gives uniform numbers in [0, 1) (inject a seeded one for repeatable runs). */
  constructor(plan: LinkFaultPlan = {}, random: () => number = Math.random) {
    this.plan = plan;
    this.random = random;
  }

  /** Replaces the per-packet fault probabilities. */
  configure(plan: LinkFaultPlan): this {
    this.plan = plan;
    return this;
  }

  /** The host side is gone (port closed, cable pulled): every packet either way, and every
   * packet still on its way, is lost until reconnect(). */
  disconnect(): this {
    this.connected = false;
    this.epoch++;
    this.holdUntil = { toDevice: -Infinity, toHost: -Infinity };
    this.lastDelivery = { toDevice: -Infinity, toHost: -Infinity };
    return this;
  }

  reconnect(): this {
    this.connected = true;
    return this;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Packets in `direction` are held back for `ms` from now and then delivered in order: a host
   * that reads late ('toHost': the device's frames and acks wait) or writes late ('toDevice'). */
  hold(direction: LinkDirection, ms: number): this {
    this.holdUntil[direction] = this.now() + ms;
    return this;
  }

  /** Packets scheduled but not yet delivered, by direction. */
  get inFlight(): Record<LinkDirection, number> {
    return { ...this.pending };
  }

  /** Wraps a USB port (the runtime's): what the host writes goes through the 'toDevice' faults,
   * what the device sends through the 'toHost' ones. */
  attach(usb: UsbPort, clock: Clock): UsbPort {
    this.clock = clock;
    const listeners: Array<(bytes: Uint8Array) => void> = [];
    const toHost = (p: Uint8Array): void => {
      for (const l of listeners) l(p);
    };
    usb.onData((bytes) => this.pass('toHost', bytes, toHost));
    return {
      write: (bytes) => {
        for (let i = 0; i < bytes.length; i += LINK_PACKET) this.pass('toDevice', bytes.slice(i, i + LINK_PACKET), (p) => usb.write(p));
      },
      onData: (listener) => {
        listeners.push(listener);
      },
    };
  }

  private now(): number {
    return this.clock ? this.clock.now() : 0;
  }

  private chance(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.random() < p;
  }

  private pass(dir: LinkDirection, packet: Uint8Array, deliver: (p: Uint8Array) => void): void {
    const s = this.stats[dir];
    s.packets++;
    if (!this.connected) {
      s.lostDisconnected++;
      return;
    }
    const f = (dir === 'toDevice' ? this.plan.toDevice : this.plan.toHost) ?? {};
    if (this.chance(f.drop)) {
      s.dropped++;
      return;
    }
    let p = packet;
    if (this.chance(f.corrupt)) {
      p = packet.slice();
      p[Math.floor(this.random() * p.length)] ^= 1 + Math.floor(this.random() * 255);
      s.corrupted++;
    }
    const now = this.now();
    let at = Math.max(now, this.holdUntil[dir], this.lastDelivery[dir]);
    if (this.chance(f.delay)) {
      const [lo, hi] = f.delayMs ?? [5, 200];
      at += lo + this.random() * (hi - lo);
      s.delayed++;
    }
    const copies = this.chance(f.duplicate) ? 2 : 1;
    if (copies === 2) s.duplicated++;
    this.lastDelivery[dir] = at;
    for (let k = 0; k < copies; k++) {
      if (at <= now && this.pending[dir] === 0) {
        deliver(p);
        continue;
      }
      const epoch = this.epoch;
      this.pending[dir]++;
      this.clock!.setTimeout(() => {
        this.pending[dir]--;
        if (epoch !== this.epoch || !this.connected) {
          s.lostDisconnected++;
          return;
        }
        deliver(p);
      }, at - now);
    }
  }
}
