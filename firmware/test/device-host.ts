// Test harness: the BUNDLED firmware (built fresh from the sources into a temporary file, the
// same esbuild settings as firmware/dist/firmware.js) running in the Espruino runtime shim inside
// the virtual device, wired per board file to the PN532 simulator, on a VirtualClock; and a host
// that speaks the protocol through @epassport/protocol's ReliableLink.

import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBoard } from '@epassport/hardware/boards/index';
import type { BoardConfig } from '../src/board-config';
import { loadFixture, type Fixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import type { PassportOptions } from '@epassport/hardware/sim/passport/passport-options';
import { createVirtualDevice, type VirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { waitForMessage } from '../../test/support/wait-for-message';
import { PROTOCOL_VERSION, ReliableLink, type Message, type ReadMessage } from '@epassport/protocol';
import { bundle } from '../tools/bundler';
import { checkBundle } from '../tools/espruino-gate';

let bundled: Promise<string> | null = null;

/** Bundles firmware/src/main.ts once per test file; fails on any gate violation. */
export function firmwareBundle(): Promise<string> {
  if (!bundled) {
    const out = join(mkdtempSync(join(tmpdir(), 'fw-bundle-')), 'firmware.js');
    bundled = bundle(join(import.meta.dirname, '../src/main.ts'), out, 'Firmware').then((source) => {
      const v = checkBundle(source);
      if (v.length) throw new Error('bundle fails the Espruino gate: ' + v.map((x) => x.message).join('; '));
      return out;
    });
  }
  return bundled;
}

export type DeviceMessage = Message;

export class Host {
  readonly link: ReliableLink;
  readonly messages: Message[] = [];
  /** Set to hold back acknowledgements (a slow host): frames are ignored while true. */
  deaf = false;

  constructor(readonly device: VirtualDevice, readonly clock: VirtualClock) {
    this.link = new ReliableLink((b) => device.usb.write(b.slice()), clock, { onMessage: (m) => this.messages.push(m) }, { window: 4, retransmitMs: 300 });
    device.usb.onData((b) => {
      if (!this.deaf) this.link.receive(b);
    });
  }

  send(m: Message): void {
    if (!this.link.send(m)) throw new Error('host window full');
  }

  /** Runs the clock until a message satisfying `pred` arrives after index `from`; returns it. */
  waitFor(pred: (m: Message) => boolean, from = 0, maxMs = 120_000): Message {
    return waitForMessage(this.clock, this.messages, pred, from, maxMs)!;
  }

  hello(): Extract<Message, { type: 'hello-reply' }> {
    const from = this.messages.length;
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    return this.waitFor((m) => m.type === 'hello-reply', from) as Extract<Message, { type: 'hello-reply' }>;
  }

  /** Sends a read and runs until its final message (result or error); returns the messages. */
  read(request: Partial<ReadMessage> & Pick<ReadMessage, 'documentNumber' | 'dateOfBirth' | 'dateOfExpiry'>, maxMs = 120_000): Message[] {
    const from = this.messages.length;
    this.startRead(request);
    this.waitFor((m) => m.type === 'result' || m.type === 'error', from, maxMs);
    return this.messages.slice(from);
  }

  startRead(request: Partial<ReadMessage> & Pick<ReadMessage, 'documentNumber' | 'dateOfBirth' | 'dateOfExpiry'>): void {
    this.send({ type: 'read', checkDigits: '', dataGroups: [1, 2, 15], cardTimeoutMs: 5000, ...request });
  }
}

/** Files rebuilt from file-chunk messages, checking contiguity. */
export function filesOf(messages: Message[]): Map<number, Uint8Array> {
  const parts = new Map<number, { length: number; data: Uint8Array; next: number }>();
  for (const m of messages) {
    if (m.type === 'file-begin') parts.set(m.fileId, { length: m.length, data: new Uint8Array(m.length), next: 0 });
    if (m.type === 'file-chunk') {
      const p = parts.get(m.fileId)!;
      if (m.offset !== p.next) throw new Error(`file ${m.fileId}: chunk at ${m.offset}, expected ${p.next}`);
      p.data.set(m.data, m.offset);
      p.next += m.data.length;
    }
  }
  const out = new Map<number, Uint8Array>();
  for (const [id, p] of parts) out.set(id, p.data.subarray(0, p.next));
  return out;
}

export interface Rig {
  clock: VirtualClock;
  device: VirtualDevice;
  host: Host;
  fixture: Fixture;
  passport: VirtualPassport;
  bac: { documentNumber: string; dateOfBirth: string; dateOfExpiry: string };
}

export function newPassport(fixture: Fixture, options: PassportOptions = {}): VirtualPassport {
  return new VirtualPassport(fixture.files, fixture.bac, options);
}

/** E.hwRand (the board's hardware RNG), when the shim does not offer it (yet): node:crypto. */
function provideHwRand(device: VirtualDevice): void {
  const install = device.runtime.evaluate('(function (f) { if (typeof E.hwRand !== "function") E.hwRand = f; })') as (f: () => number) => void;
  install(() => randomInt(0, 0xffffffff) | 0);
}

/** A device on `board` (a board file name, or a loaded board) with the fixture's passport in the field. */
export async function rig(board: string | BoardConfig, fixtureName = 'utopia-anna', options: PassportOptions = {}, beforeStart?: (device: VirtualDevice) => void): Promise<Rig> {
  const bundlePath = await firmwareBundle();
  const clock = new VirtualClock();
  const fixture = loadFixture(fixtureName);
  const passport = newPassport(fixture, options);
  const device = createVirtualDevice({ clock, board: typeof board === 'string' ? loadBoard(board) : board, card: passport, bundlePath, start: false });
  provideHwRand(device);
  if (beforeStart) beforeStart(device);
  device.start();
  const host = new Host(device, clock);
  return { clock, device, host, fixture, passport, bac: fixture.bac };
}
