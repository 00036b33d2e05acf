// One virtual reader: the real firmware bundle running in the Espruino runtime shim, wired as a
// board definition says to the PN532 simulator (HSU, I2C or SPI, IRQ and RSTPD_N), with a card
// (the virtual passport) in its field or not. The host side is the board's USB CDC port.
//
// USB timing: full-speed bulk, modelled as 64-byte packets at 1 byte per microsecond each way
// (espruino-runtime.ts USB_BYTES_PER_MS); every packet reaches the other side as its own clock
// event.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BoardConfig } from '@epassport/firmware/board-config';
import { bootCode } from '../boards/index';
import { EspruinoRuntime } from '../shim/espruino-runtime';
import type { InputLine, SpiPeer } from '../shim/peers';
import type { Card } from './card';
import type { Clock } from './clock';
import type { LinkFaults } from './link-faults';
import { HsuTransport, I2cTransport, Pn532Faults, Pn532Simulator, SpiTransport, type Pn532Stats } from './pn532/index';
import { openPseudoTerminal, type PseudoTerminal } from './pty';

const here = dirname(fileURLToPath(import.meta.url));
export const FIRMWARE_BUNDLE = join(here, '../../firmware/dist/firmware.js');

export interface VirtualDeviceOptions {
  clock: Clock;
  board: BoardConfig;
  card?: Card | null;
  /** The bundle to run; default firmware/dist/firmware.js (see ensureFirmwareBundle). */
  bundlePath?: string;
  /** Or its text. */
  bundleSource?: string;
  faults?: Pn532Faults;
  /** Faults on the USB link between the host and the device (link-faults.ts). */
  linkFaults?: LinkFaults;
  /** Start the firmware at once (default true): load, boot line, power-on. */
  start?: boolean;
  /** 'emulator': the native blob in Storage, run on the emulated Cortex-M4 (shim/native-call.ts). */
  native?: 'emulator';
}

export interface VirtualDevice {
  readonly runtime: EspruinoRuntime;
  readonly pn532: Pn532Simulator;
  readonly board: BoardConfig;
  /** The USB CDC port from the host PC's side. */
  readonly usb: { write(bytes: Uint8Array): void; onData(listener: (bytes: Uint8Array) => void): void };
  setCard(card: Card | null): void;
  readonly stats: Pn532Stats;
  /** Uncaught firmware errors (empty in a healthy run). */
  readonly errors: EspruinoRuntime['errors'];
  /** Loads the bundle, appends the boot line as the flash tool does, and powers on. */
  start(): void;
  stop(): void;
}

export function createVirtualDevice(options: VirtualDeviceOptions): VirtualDevice {
  const { clock, board } = options;
  const pn532 = new Pn532Simulator({ clock, card: options.card ?? null, faults: options.faults });
  const nfc = board.nfc;
  const irq: InputLine = {
    level: () => pn532.irq,
    onChange: (l) => pn532.onIrqChange(l),
  };
  let serial: Record<string, HsuTransport> | undefined;
  let i2c: Record<string, I2cTransport> | undefined;
  let spi: Record<string, { peer: SpiPeer; nss: string }> | undefined;
  if (nfc.bus === 'hsu') serial = { [nfc.serial]: new HsuTransport(pn532) };
  else if (nfc.bus === 'i2c') i2c = { [nfc.i2c]: new I2cTransport(pn532) };
  else {
    const t = new SpiTransport(pn532);
    // The PN532 samples in mode 0, LSB first; the transport works in logical bytes.
    spi = { [nfc.spi]: { peer: { transfer: (mosi) => t.transfer(mosi), order: 'lsb', mode: 0 }, nss: nfc.nss } };
  }

  const runtime = new EspruinoRuntime({
    clock,
    board: board.board,
    serial,
    i2c,
    spi,
    inputs: board.irq ? { [board.irq]: irq } : undefined,
    native: options.native,
    onPinWrite: (pin, level) => {
      // RSTPD_N: low holds the PN532 in reset; it restarts (LowVbat, 115200) when released.
      if (pin === board.reset && level === 1) pn532.reset();
    },
  });

  const device: VirtualDevice = {
    runtime,
    pn532,
    board,
    usb: options.linkFaults ? options.linkFaults.attach(runtime.usb, clock) : runtime.usb,
    setCard: (card) => pn532.setCard(card),
    get stats() {
      return pn532.stats;
    },
    errors: runtime.errors,
    start: () => {
      const source = options.bundleSource ?? readFileSync(options.bundlePath ?? FIRMWARE_BUNDLE, 'utf8');
      runtime.load(source, 'firmware.js');
      runtime.load(bootCode(board), 'boot.js');
      runtime.powerOn();
    },
    stop: () => runtime.stop(),
  };
  if (options.start !== false) device.start();
  return device;
}

/** Builds firmware/dist/firmware.js (as `npm run build -w firmware` does) when it is missing. */
export async function ensureFirmwareBundle(path = FIRMWARE_BUNDLE): Promise<string> {
  if (!existsSync(path)) {
    const { bundle } = await import('../../firmware/tools/bundler');
    await bundle(join(here, '../../firmware/src/main.ts'), path, 'Firmware');
  }
  return path;
}

export interface PtyServer {
  readonly path: string;
  close(): Promise<void>;
}

/** Exposes the device's USB side on a pseudo-terminal (run the device on a RealClock). */
export async function serveOnPty(device: VirtualDevice, options: { link?: string } = {}): Promise<PtyServer> {
  const pty: PseudoTerminal = await openPseudoTerminal(options);
  pty.onData((bytes) => device.usb.write(bytes));
  device.usb.onData((bytes) => pty.write(bytes));
  return {
    path: pty.path,
    close: async () => {
      device.stop();
      await pty.close();
    },
  };
}
