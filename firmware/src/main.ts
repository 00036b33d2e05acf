// Firmware entry, and the only module that holds global state. The bundle (esbuild globalName
// 'Firmware') exposes start(); the flash tool appends `E.on('init', () => Firmware.start(board))`
// with the board's wiring (firmware/boards/*.json). See firmware/README.md.
//
//   USB (raw binary, console moved to LoopbackA) <-> HostLink (ReliableLink) <-> ReadSession
//   ReadSession -> ICAO core (BAC, SM, readFile) -> Pn532 (ApduChannel) -> Pn532Io (HSU/I2C/SPI)

import { CAP } from '@epassport/protocol';
import type { BoardConfig } from './board-config';
import { HostLink } from './host-link';
import { installNativeFraming } from './native/framing';
import { HsuTransport } from './pn532/hsu';
import { I2cTransport, type IrqLine } from './pn532/i2c';
import { Pn532 } from './pn532/pn532';
import type { Pn532Io } from './pn532/pn532-io';
import { SpiTransport, type SpiBus } from './pn532/spi';
import type { AccessFactory } from './reader/chip-access';
import { ReadSession } from './reader/read-session';
import type { Timers } from './timers';

/** The PN532 bus of a per-board device bundle (esbuild define, tools/bundler.ts): the other two
 * transports are left out of it. '' in the portable bundle; undefined under Node. */
declare const NFC_BUS: string;

const FIRMWARE_VERSION = '0.1.0';

/** What this firmware does (hello-reply capabilities). */
const CAPABILITIES = CAP.BAC | CAP.TYPE_A | CAP.TYPE_B | CAP.SHA1 | CAP.SHA224 | CAP.SHA256 | CAP.SHA384 | CAP.SHA512 | CAP.RESUME | CAP.ACTIVE_AUTH;

let chip: Pn532 | null = null;
let host: HostLink | null = null;
let session: ReadSession | null = null;
/** The start-up probe of the PN532 is running; a read waits for it. */
let probing = false;
let pendingRead: Parameters<ReadSession['start']>[0] | null = null;
/** Hello replies waiting for the probe. */
let readyWaiters: Array<() => void> = [];

const timers: Timers = {
  now: () => getTime() * 1000,
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as number),
};

/** The longest answer a read with blocks of at most `maxRead` bytes asks for: a READ BINARY's
 * block, or an RSA-4096 INTERNAL AUTHENTICATE signature (512 bytes), under secure messaging
 * (+ 37: DO'87' header and 1..16 padding bytes (AES; 3DES 1..8), DO'99', DO'8E', SW). The PN532
 * joins MI parts in a buffer this long (1,061 bytes for a Pico's 1,024, not 2,304). */
function responseRoom(maxRead: number): number {
  return (maxRead > 512 ? maxRead : 512) + 37;
}

/** n bytes from the hardware RNG (BAC's RND.IFD and K.IFD). */
function hwRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) {
    const r = E.hwRand();
    for (let k = 0; k < 4 && i + k < n; k++) out[i + k] = (r >>> (8 * k)) & 0xff;
  }
  return out;
}

function irqLine(name: string): IrqLine {
  const pin = Pin(name);
  let id = 0;
  return {
    isLow: () => digitalRead(pin) === 0,
    watch: (fn) => {
      id = setWatch(() => {
        id = 0;
        fn();
      }, pin, { repeat: false, edge: 'falling' });
    },
    unwatch: () => {
      if (id) clearWatch(id);
      id = 0;
    },
  };
}

function serialPort(name: string): EspruinoSerial {
  return name === 'Serial1' ? Serial1 : name === 'Serial2' ? Serial2 : Serial3;
}

function i2cBus(name: string): EspruinoI2C {
  return name === 'I2C1' ? I2C1 : name === 'I2C2' ? I2C2 : I2C3;
}

function spiBus(name: string): EspruinoSPI {
  return name === 'SPI1' ? SPI1 : name === 'SPI2' ? SPI2 : SPI3;
}

/** Sets up the board's bus to the PN532 and returns the transport over it. */
function createIo(config: BoardConfig): Pn532Io {
  const nfc = config.nfc;
  if ((typeof NFC_BUS === 'undefined' || !NFC_BUS || NFC_BUS === 'hsu') && nfc.bus === 'hsu') {
    const port = serialPort(nfc.serial);
    const setup = (baud: number): void => port.setup(baud, { rx: Pin(nfc.rx), tx: Pin(nfc.tx) });
    setup(nfc.baud);
    const hsu = new HsuTransport(port, nfc.baud, setup);
    port.on('data', (data) => hsu.feed(data));
    return hsu;
  }
  if ((typeof NFC_BUS === 'undefined' || !NFC_BUS || NFC_BUS === 'i2c') && nfc.bus === 'i2c') {
    const bus = i2cBus(nfc.i2c);
    bus.setup({ scl: Pin(nfc.scl), sda: Pin(nfc.sda), bitrate: nfc.bitrate });
    return new I2cTransport(bus, timers, config.irq ? irqLine(config.irq) : null);
  }
  // A branch, not code after a throw: esbuild keeps a class referenced from code it drops only
  // when printing (SpiTransport was 1.3 KB of the HSU and I2C bundles).
  if ((typeof NFC_BUS === 'undefined' || !NFC_BUS || NFC_BUS === 'spi') && nfc.bus === 'spi') {
    const spi = spiBus(nfc.spi);
    spi.setup({ sck: Pin(nfc.sck), miso: Pin(nfc.miso), mosi: Pin(nfc.mosi), baud: nfc.baud, mode: 0, order: 'lsb' });
    const nss = Pin(nfc.nss);
    digitalWrite(nss, 1);
    // The IRQ line in the two branches that use it: the HSU bundle leaves irqLine out.
    // Espruino's SPI.send answers a Uint8Array to a Uint8Array: the bus itself is an SpiBus.
    return new SpiTransport(spi as unknown as SpiBus, nss, timers, config.irq ? irqLine(config.irq) : null);
  }
  throw new Error('no transport for ' + config.nfc.bus + ' in this build');
}

function flushReadyWaiters(): void {
  const waiters = readyWaiters;
  readyWaiters = [];
  for (let i = 0; i < waiters.length; i++) waiters[i]();
}

function startRead(request: Parameters<ReadSession['start']>[0]): void {
  if (probing) {
    if (pendingRead && host) host.send({ type: 'error', code: 'busy', sw: 0, fileId: 0, message: '' });
    else pendingRead = request;
    return;
  }
  if (session) session.start(request);
}

function onReset(toConsole: boolean): void {
  pendingRead = null;
  if (session) session.abort();
  if (toConsole) {
    if (host) host.clear();
    USB.setConsole();
  }
}

/** Boots the reader on a board wired as `config`. `withPace` (main-pace.ts) gives the PACE
 * opening of the chip from the hardware random source, or null where it cannot run. */
export function start(config: BoardConfig, withPace?: (random: (n: number) => Uint8Array) => AccessFactory | null): void {
  installNativeFraming(); // CRC-16 and COBS of the host link on the native blob, when present
  if (config.reset) digitalWrite(Pin(config.reset), 1); // RSTPD_N high: the PN532 runs
  const io = createIo(config);
  const maxRead = config.maxRead;
  const pn532 = new Pn532(io, timers, { fastBaud: config.nfc.bus === 'hsu' ? config.nfc.fastBaud : 0, maxResponse: maxRead === undefined ? 0 : responseRoom(maxRead) });
  // PACE and Chip Authentication when the bundle has them (main-pace.ts) and the board can run them.
  const access = withPace && withPace(hwRandom);
  chip = pn532;
  const link = new HostLink((bytes) => USB.write(bytes), timers, {
    firmwareVersion: FIRMWARE_VERSION,
    board: config.board,
    capabilities: CAPABILITIES | (access ? CAP.PACE : 0),
    nfcFirmware: () => pn532.firmware,
    // hello-reply waits for the start-up probe and for an aborted read to release the card,
    // so that the new host's first read is not answered 'busy'.
    whenReady: (fn) => {
      if (probing || (session && session.busy)) readyWaiters.push(fn);
      else fn();
    },
  }, {
    onRead: startRead,
    onCancel: () => {
      if (pendingRead && host) {
        pendingRead = null;
        host.send({ type: 'error', code: 'cancelled', sw: 0, fileId: 0, message: '' });
      } else if (session) session.cancel();
    },
    onReset,
  });
  host = link;
  session = new ReadSession({ chip: pn532, host: link, timers, random: hwRandom, onIdle: flushReadyWaiters, pipeline: config.pipeline !== false, maxRead, access });
  LoopbackA.setConsole(true);
  USB.on('data', (data) => link.receive(E.toUint8Array(data)));
  // Probe the PN532 once (its firmware word for hello-reply), then let it sleep.
  probing = true;
  pn532.begin((err) => {
    const done = (): void => {
      probing = false;
      flushReadyWaiters();
      const r = pendingRead;
      pendingRead = null;
      if (r) startRead(r);
    };
    if (err) done();
    else pn532.powerDown(done);
  });
}

/** The PN532 driver, for the REPL (Firmware.chip().firmware). */
export function nfcChip(): Pn532 | null {
  return chip;
}
