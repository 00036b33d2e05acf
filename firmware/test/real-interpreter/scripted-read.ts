// A read scripted for the real interpreter. Linux has no Pico pins and nothing behind Serial1, so
// the PN532 is played back: the bundle first reads the passport in the Node shim with
// the PN532 simulator and the virtual passport (HSU, board file pico.json), with a fixed random
// source, and every byte the firmware writes to Serial1 and every chunk the PN532 answers is
// recorded in order. On the interpreter, fake-reader.js then checks each write against the
// recording and answers with the recorded chunks; it acknowledges the firmware's USB frames as
// a host does. Same bundle, same random numbers: the same bytes, so everything above the UART
// (PN532 driver, BAC, secure messaging, file reader, EF.SOD, hashes, host link) runs for real.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBoard, bootCode } from '@epassport/hardware/boards/index';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { HsuTransport, Pn532Simulator } from '@epassport/hardware/sim/pn532/index';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { EspruinoRuntime } from '@epassport/hardware/shim/espruino-runtime';
import type { UartPeer } from '@epassport/hardware/shim/peers';
import { encodeFrame, encodePayload, messageCode, MSG, PROTOCOL_VERSION, ReliableLink, type Message } from '@epassport/protocol';

const firmwareDir = join(import.meta.dirname, '../..');
export const PORTABLE_BUNDLE = join(firmwareDir, 'dist/firmware.js');
/** The Pico's HSU device bundle with the TypeScript crypto instead of the blob (tools/build.ts):
 * what the Linux interpreter can run of the Pico's firmware. */
export const PICO_TS_BUNDLE = join(firmwareDir, 'dist/firmware-pico-ts.js');
export const FAKE_READER = join(import.meta.dirname, 'fake-reader.js');

/** E.hwRand on both sides: xorshift32 from a fixed seed (plain 32-bit integer operations, so
 * V8 and Espruino give the same sequence). */
export const RANDOM_SOURCE = 'var rnd=0x2545F491;E.hwRand=function(){rnd^=rnd<<13;rnd^=rnd>>>17;rnd^=rnd<<5;return rnd|0;};';

export interface ScriptedRead {
  /** Storage files for fake-reader.js: 'pnw' (writes), 'pnd' (answers), 'pni' (index), 'host'. */
  files: Record<string, Uint8Array>;
  /** Board file as the interpreter gets it: pins renamed to Linux's D0..D32, and no RSTPD_N
   * (Linux has no GPIO path for it: digitalWrite prints an ERROR). */
  board: object;
  /** What the shim's host received last (the interpreter must end the same way). */
  finalMessage: Message;
  /** The shim host's last message of each read (result or error). */
  finalMessages: Message[];
  writes: number;
  answers: number;
}

const EVENT_WRITE = 1;
const EVENT_ANSWER = 2;

export interface RecordHooks {
  /** Called with the runtime before the bundle loads (e.g. to install a memory ledger). */
  beforeLoad?: (runtime: EspruinoRuntime) => void;
  /** Called at every UART write and every USB frame from the device, as on the interpreter. */
  sample?: () => void;
}

export interface RecordOptions {
  hooks?: RecordHooks;
  /** The bundle that reads (default: the portable bundle). */
  bundle?: string;
  /** The passport answers extended-length READ BINARY (blocks up to 2,048 bytes). */
  extendedLength?: boolean;
  /** In place of pico.json's block limit (BoardConfig.maxRead; undefined: the file's). */
  maxRead?: number;
  /** Reads one after another on one device (each a new BAC session; default 1): what a read
   * leaves behind shows as growth between their ends. */
  reads?: number;
}

/** Records `reads` reads of `fixtureName` (data groups `dataGroups`) in the shim. */
export function recordRead(fixtureName: string, dataGroups: number[], options: RecordOptions = {}): ScriptedRead {
  const { hooks = {}, bundle = PORTABLE_BUNDLE, extendedLength = false, maxRead, reads = 1 } = options;
  if (!(reads >= 1 && reads <= 16)) throw new Error(`reads: 1 to 16, not ${reads}`);
  const clock = new VirtualClock();
  const fixture = loadFixture(fixtureName);
  const board = loadBoard('pico');
  if (maxRead !== undefined) board.maxRead = maxRead;
  if (board.nfc.bus !== 'hsu') throw new Error('the scripted read plays back HSU');
  const pn532 = new Pn532Simulator({ clock, card: new VirtualPassport(fixture.files, fixture.bac, { extendedLength }) });
  const line = new HsuTransport(pn532);
  const events: [number, Uint8Array][] = [];
  const peer: UartPeer = {
    write: (bytes) => {
      hooks.sample?.();
      events.push([EVENT_WRITE, bytes.slice()]);
      line.write(bytes);
    },
    onData: (listener) => line.onData((bytes) => {
      events.push([EVENT_ANSWER, bytes.slice()]);
      listener(bytes);
    }),
    get baud() {
      return line.baud;
    },
  };
  const runtime = new EspruinoRuntime({ clock, board: board.board, serial: { [board.nfc.serial]: peer } });
  hooks.beforeLoad?.(runtime);
  runtime.load(readFileSync(bundle, 'latin1'), 'firmware.js');
  runtime.evaluate(RANDOM_SOURCE);
  runtime.load(bootCode(board), 'boot.js');
  runtime.powerOn();

  const messages: Message[] = [];
  const host = new ReliableLink((b) => runtime.usb.write(b.slice()), clock, { onMessage: (m) => messages.push(m) });
  runtime.usb.onData((b) => {
    hooks.sample?.();
    host.receive(b);
  });
  const read: Message = { type: 'read', documentNumber: fixture.bac.documentNumber, dateOfBirth: fixture.bac.dateOfBirth, dateOfExpiry: fixture.bac.dateOfExpiry, checkDigits: '', dataGroups, cardTimeoutMs: 5000 };
  host.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
  clock.runUntil(() => messages.some((m) => m.type === 'hello-reply'));
  const finals = (): number => messages.filter((m) => m.type === 'result' || m.type === 'error').length;
  for (let i = 1; i <= reads; i++) {
    host.send(read);
    clock.runUntil(() => finals() === i, 600_000);
  }
  if (runtime.errors.length) throw new Error('shim: ' + runtime.errors.map((e) => e.message).join('; '));
  const finalMessages = messages.filter((m) => m.type === 'result' || m.type === 'error');
  const finalMessage = messages[messages.length - 1];

  // Index: per event 1 byte kind, 4 bytes offset, 2 bytes length (big-endian): fixed records that
  // the fake reads one at a time from flash, so the recording takes no RAM on the interpreter.
  const pieces: Record<number, Uint8Array[]> = { [EVENT_WRITE]: [], [EVENT_ANSWER]: [] };
  const sizes: Record<number, number> = { [EVENT_WRITE]: 0, [EVENT_ANSWER]: 0 };
  const index = new Uint8Array(events.length * 7);
  events.forEach(([kind, bytes], i) => {
    const at = i * 7;
    index[at] = kind;
    new DataView(index.buffer).setUint32(at + 1, sizes[kind]);
    new DataView(index.buffer).setUint16(at + 5, bytes.length);
    pieces[kind].push(bytes);
    sizes[kind] += bytes.length;
  });
  const join = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
  // The host's frames (hello seq 0, the reads seq 1..reads), then an ack frame for every sequence
  // number.
  const hello = encodeFrame(MSG.HELLO, 0, payloadOf({ type: 'hello', protocolVersion: PROTOCOL_VERSION }));
  const readFrames: Uint8Array[] = [];
  for (let seq = 1; seq <= reads; seq++) readFrames.push(encodeFrame(messageCode(read), seq, payloadOf(read)));
  if (new Set(readFrames.map((f) => f.length)).size !== 1) throw new Error('read frames differ in length');
  const acks: Uint8Array[] = [];
  for (let seq = 0; seq < 256; seq++) acks.push(encodeFrame(MSG.ACK, 0, new Uint8Array([seq, 4])));
  if (new Set(acks.map((a) => a.length)).size !== 1) throw new Error('ack frames differ in length');
  const linuxBoard = {
    ...board,
    reset: undefined,
    irq: board.irq ? 'D8' : undefined,
    nfc: { ...board.nfc, tx: 'D6', rx: 'D7' },
  };
  return {
    files: {
      pnw: join(pieces[EVENT_WRITE]),
      pnd: join(pieces[EVENT_ANSWER]),
      pni: index,
      host: join([hello, ...readFrames, ...acks]),
      hostlen: new Uint8Array([hello.length, readFrames[0].length, acks[0].length, reads]),
    },
    board: linuxBoard,
    finalMessage,
    finalMessages,
    writes: pieces[EVENT_WRITE].length,
    answers: pieces[EVENT_ANSWER].length,
  };
}

/** The payload bytes of a message, as ReliableLink frames them. */
function payloadOf(m: Message): Uint8Array {
  return encodePayload(m, new Uint8Array(512)).slice();
}
