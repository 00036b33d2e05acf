// Serial, I2C and SPI of the shim: set up on the pins the board allows, wired to simulated peers.
// UART bytes arrive as their own 'data' events; I2C and SPI transfers block the device for
// their time on the wire.

import type { DeviceCore, Natives } from './device-core';
import { latin1 } from './device-core';
import type { DevicePins } from './pins';
import type { UartPeer } from './peers';

interface SerialState {
  setup: boolean;
  baud: number;
  peer?: UartPeer;
}

interface BusState {
  setup: boolean;
  rate: number;
  mode: number;
  order: string;
}

export function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

export class DeviceBuses {
  private serials = new Map<string, SerialState>();
  private i2cBuses = new Map<string, BusState>();
  private spiBuses = new Map<string, BusState>();
  /** Set by the runtime: where serial bytes that arrived go (REPL or a 'data' event). */
  receive: (device: string, bytes: Uint8Array) => void = () => {};

  constructor(private readonly core: DeviceCore, private readonly pins: () => DevicePins) {
    const { profile, options } = core;
    for (const name of profile.serial) this.serials.set(name, { setup: name === 'USB' || name.startsWith('Loopback'), baud: 0, peer: options.serial?.[name] });
    for (const [name, peer] of Object.entries(options.serial ?? {})) {
      if (!this.serials.has(name)) throw new Error(`${profile.id} has no ${name}`);
      peer!.onData((bytes) => this.uartReceive(name, bytes));
    }
    for (const name of Object.keys(options.i2c ?? {})) if (!profile.i2c.includes(name)) throw new Error(`${profile.id} has no ${name}`);
    for (const name of Object.keys(options.spi ?? {})) if (!profile.spi.includes(name)) throw new Error(`${profile.id} has no ${name}`);
  }

  /** A pin changed level: the SPI peer whose NSS it is is selected or released. */
  pinChanged(pin: string, level: number): void {
    for (const [bus, wiring] of Object.entries(this.core.options.spi ?? {})) {
      if (wiring?.nss === pin && this.spiBuses.get(bus)?.setup) wiring.peer.select?.(level === 0);
    }
  }

  serialOut(name: string, bytes: Uint8Array): void {
    const s = this.serials.get(name);
    if (!s) return;
    if (!s.setup) {
      this.core.warn(`${name}.write before ${name}.setup(): ${bytes.length} bytes not sent`);
      return;
    }
    if (!s.peer) return; // nothing on these pins
    if (s.peer.baud !== undefined && s.peer.baud !== s.baud) {
      this.core.warn(`${name} at ${s.baud} baud sent ${bytes.length} bytes to a peer at ${s.peer.baud} baud: garbage, dropped`);
      return;
    }
    s.peer.write(bytes);
  }

  natives(): Natives {
    const { core } = this;
    return {
      serialSetup: (name: string, baud: number, tx: string, rx: string, bytesize: number, parity: string, stopbits: number) => {
        const s = this.serials.get(name);
        if (!s) return `${name} not available`;
        if (name !== 'USB' && !name.startsWith('Loopback')) {
          const e = this.checkPin(name + '.tx', tx) || this.checkPin(name + '.rx', rx);
          if (e) return e;
          if (bytesize !== 8 || parity !== 'none' || stopbits !== 1) core.warn(`${name} set up as ${bytesize}${parity[0]}${stopbits}: the PN532 HSU is 8N1`);
        }
        s.setup = true;
        s.baud = baud;
        return '';
      },
      inject: (name: string, data: string) => core.post(['data', name, data]),
      i2cSetup: (name: string, scl: string, sda: string, bitrate: number) => {
        const e = this.checkPin(name + '.scl', scl) || this.checkPin(name + '.sda', sda);
        if (e) return e;
        this.i2cBuses.set(name, { setup: true, rate: bitrate, mode: 0, order: 'msb' });
        return '';
      },
      i2cWrite: (name: string, address: number, data: string) => {
        const bus = this.i2cBuses.get(name);
        if (!bus) return `${name} is not set up: call ${name}.setup()`;
        const peer = core.options.i2c?.[name];
        core.busy(((data.length + 1) * 9 * 1000) / bus.rate);
        if (!peer || peer.address !== address) return `I2C Error: no ACK from address 0x${address.toString(16)}`;
        peer.write(latin1(data));
        return '';
      },
      i2cRead: (name: string, address: number, length: number) => {
        const bus = this.i2cBuses.get(name);
        if (!bus) return `E${name} is not set up: call ${name}.setup()`;
        const peer = core.options.i2c?.[name];
        core.busy(((length + 1) * 9 * 1000) / bus.rate);
        if (!peer || peer.address !== address) return `EI2C Error: no ACK from address 0x${address.toString(16)}`;
        const got = peer.read(length);
        return 'D' + String.fromCharCode(...got.subarray(0, length));
      },
      spiSetup: (name: string, sck: string, miso: string, mosi: string, baud: number, mode: number, order: string, bits: number) => {
        const e = this.checkPin(name + '.sck', sck) || this.checkPin(name + '.miso', miso) || this.checkPin(name + '.mosi', mosi);
        if (e) return e;
        if (bits !== 8) return `${name}: only 8-bit SPI is modelled`;
        if (order !== 'msb' && order !== 'lsb') return `${name}: order must be 'msb' or 'lsb'`;
        this.spiBuses.set(name, { setup: true, rate: baud, mode, order });
        return '';
      },
      spiSend: (name: string, data: string, nss: string) => this.spiSend(name, data, nss),
    };
  }

  private uartReceive(name: string, bytes: Uint8Array): void {
    const s = this.serials.get(name)!;
    if (!s.setup) {
      this.core.warn(`${name} received ${bytes.length} bytes before ${name}.setup(): lost`);
      return;
    }
    if (s.peer?.baud !== undefined && s.peer.baud !== s.baud) {
      this.core.warn(`${name} at ${s.baud} baud received ${bytes.length} bytes sent at ${s.peer.baud} baud: garbage, dropped`);
      this.core.flag('UART_OVERFLOW');
      return;
    }
    // The peer calls us when the bytes have arrived; the 'data' event is still its own event.
    const copy = bytes.slice();
    this.core.clock.setTimeout(() => this.receive(name, copy), 0);
  }

  private checkPin(fn: string, given: string): string {
    const { profile } = this.core;
    const pin = given || profile.defaults[fn];
    const ok = profile.capable[fn];
    if (!pin || !ok) return `${fn} not available on ${profile.id}`;
    if (!ok.includes(pin)) {
      const [dev, role] = fn.split('.');
      return `Pin ${pin} is not capable of ${dev} ${role.toUpperCase()}\nSuitable pins are: ${ok.join(', ')}`;
    }
    return '';
  }

  private spiSend(name: string, data: string, nss: string): string {
    const { core } = this;
    const pins = this.pins();
    const bus = this.spiBuses.get(name);
    if (!bus) return `E${name} is not set up: call ${name}.setup()`;
    const wiring = core.options.spi?.[name];
    const mosi = latin1(data);
    core.busy((mosi.length * 8 * 1000) / bus.rate);
    if (!wiring) return 'D' + '\xff'.repeat(mosi.length);
    if (nss) pins.set(nss, 0); // selects the peer (pinChanged) when nss is its wired NSS
    const selected = (pins.driven(wiring.nss ?? '') ?? 1) === 0 || (!!nss && nss === wiring.nss) || !wiring.nss;
    let miso: Uint8Array;
    if (!selected) {
      core.warn(`${name}.send with the device's NSS (${wiring.nss}) high: not selected, MISO floats`);
      miso = new Uint8Array(mosi.length).fill(0xff);
    } else {
      const wantOrder = wiring.peer.order ?? 'msb';
      const wantMode = wiring.peer.mode ?? 0;
      let out = bus.order === wantOrder ? mosi : mosi.map(reverseBits);
      if (bus.mode !== wantMode) {
        core.warn(`${name} in mode ${bus.mode}, the device samples in mode ${wantMode}: bits slip`);
        out = out.map((b) => (b >> 1) | 0x80);
      }
      miso = wiring.peer.transfer(out);
      if (bus.mode !== wantMode) miso = miso.map((b) => (b << 1) & 0xff);
      if (bus.order !== wantOrder) miso = miso.map(reverseBits);
    }
    if (nss) pins.set(nss, 1);
    return 'D' + String.fromCharCode(...miso.subarray(0, mosi.length));
  }
}
