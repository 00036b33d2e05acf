// The USB CDC link to the host PC (64-byte packets at full speed) and the console: print and
// console.log go to the console device (USB, a Serial, a Loopback or null); bytes arriving on
// the console device feed a small REPL, elsewhere they are 'data' events.

import type { DeviceCore, Natives } from './device-core';
import { latin1 } from './device-core';

/** USB full speed bulk transfers: 64-byte packets; modelled as 1 byte per microsecond each way. */
export const USB_BYTES_PER_MS = 1000;
export const USB_PACKET = 64;

export class UsbConsole {
  /** Every console.log / print line, wherever the console is. */
  readonly lines: string[] = [];
  device = 'USB';
  private replLine = '';
  private toDeviceFreeAt = 0;
  private toHostFreeAt = 0;
  private hostListeners: Array<(bytes: Uint8Array) => void> = [];

  /** `serialOut` writes to a Serial device (the buses). */
  constructor(private readonly core: DeviceCore, private readonly serialOut: (device: string, bytes: Uint8Array) => void) {}

  /** The USB CDC port as the host PC sees it. */
  readonly usb = {
    write: (bytes: Uint8Array) => this.hostToDevice(bytes),
    onData: (listener: (bytes: Uint8Array) => void) => {
      this.hostListeners.push(listener);
    },
  };

  writeLine(text: string): void {
    this.lines.push(text);
    this.write(this.device, text + '\r\n');
  }

  write(device: string, text: string): void {
    if (device === 'null') return;
    const bytes = latin1(text);
    if (device === 'USB') this.deviceToHost(bytes);
    else if (device === 'LoopbackA') this.core.post(['data', 'LoopbackB', text]);
    else if (device === 'LoopbackB') this.core.post(['data', 'LoopbackA', text]);
    else this.serialOut(device, bytes);
  }

  /** Bytes arriving at a device input: to the REPL if it is the console, else a 'data' event. */
  receive(device: string, bytes: Uint8Array): void {
    if (this.core.stopped) return;
    if (device === this.device) {
      this.repl(bytes);
      return;
    }
    this.core.deliver(['data', device, String.fromCharCode(...bytes)]);
  }

  natives(): Natives {
    return {
      log: (text: string) => this.writeLine(text),
      replResult: (text: string) => this.write(this.device, '=' + text + '\r\n>'),
      setConsole: (device: string) => {
        this.device = device;
      },
      getConsole: () => this.device,
      serialWrite: (name: string, data: string) => this.write(name, data),
    };
  }

  private deviceToHost(bytes: Uint8Array): void {
    const clock = this.core.clock;
    for (let i = 0; i < bytes.length; i += USB_PACKET) {
      const packet = bytes.slice(i, i + USB_PACKET);
      const start = Math.max(clock.now(), this.core.now(), this.toHostFreeAt);
      this.toHostFreeAt = start + packet.length / USB_BYTES_PER_MS;
      clock.setTimeout(() => {
        for (const l of this.hostListeners) l(packet);
      }, this.toHostFreeAt - clock.now());
    }
  }

  private hostToDevice(bytes: Uint8Array): void {
    const clock = this.core.clock;
    for (let i = 0; i < bytes.length; i += USB_PACKET) {
      const packet = bytes.slice(i, i + USB_PACKET);
      const start = Math.max(clock.now(), this.toDeviceFreeAt);
      this.toDeviceFreeAt = start + packet.length / USB_BYTES_PER_MS;
      clock.setTimeout(() => this.receive('USB', packet), this.toDeviceFreeAt - clock.now());
    }
  }

  /** A small Espruino REPL: echo, one line evaluated per Enter, `=value` and a `>` prompt. */
  private repl(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (b === 13 || b === 10) {
        const line = this.replLine;
        this.replLine = '';
        this.write(this.device, '\r\n');
        if (line.trim()) this.core.deliver(['eval', line]);
        else this.write(this.device, '>');
      } else if (b === 8 || b === 127) {
        this.replLine = this.replLine.slice(0, -1);
      } else if (b >= 32) {
        this.replLine += String.fromCharCode(b);
        this.write(this.device, String.fromCharCode(b));
      }
    }
  }
}
