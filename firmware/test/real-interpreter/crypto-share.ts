// What the TypeScript crypto adds to a read's memory, measured in the shim: the interpreter can only
// run dist/firmware-pico-ts.js (the blob is Thumb code), a Pico runs firmware-pico.js with the
// blob. Both read utopia-jp2 (EF.COM, EF.SOD, DG1, DG2, DG15) in the shim, firmware-pico.js on the
// emulated blob; the typed-array ledger (hardware/shim/memory-model.ts) samples at every USB write
// after a GC. The difference of their dynamic typed-array variables (peak minus the first sample,
// when start() is done and no crypto has run) is what the DES tables, key schedules, SHA schedules
// and buffers of the TypeScript crypto hold at the read's peak and the blob does not. Objects of
// the TypeScript crypto that are not typed arrays are not in it (the estimate stays high).

import { readFileSync } from 'node:fs';
import { loadBoard } from '@epassport/hardware/boards/index';
import { loadFixture } from '@epassport/hardware/fixtures/index';
import { VirtualClock } from '@epassport/hardware/sim/clock';
import { createVirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { VirtualPassport } from '@epassport/hardware/sim/passport/virtual-passport';
import { PICO_MEMORY, TypedArrayLedger } from '@epassport/hardware/shim/memory-model';
import { PROTOCOL_VERSION, ReliableLink, type Message } from '@epassport/protocol';
import { deviceBundlePath } from '../../tools/device-bundles';
import { RANDOM_SOURCE } from './scripted-read';

/** Typed-array variables (blocks of `blockBytes`) of one read in the shim: first USB write, peak. */
function typedArrayProfile(bundle: string, native: boolean, dataGroups: number[], extendedLength: boolean, blockBytes: number, gc: () => void): { first: number; peak: number } {
  const clock = new VirtualClock();
  const fixture = loadFixture('utopia-jp2');
  const device = createVirtualDevice({
    clock, board: loadBoard('pico'), card: new VirtualPassport(fixture.files, fixture.bac, { extendedLength }),
    bundleSource: readFileSync(bundle, 'latin1'), start: false, native: native ? 'emulator' : undefined,
  });
  const ledger = new TypedArrayLedger();
  ledger.install((code) => device.runtime.evaluate(code));
  device.runtime.evaluate(RANDOM_SOURCE);
  device.start();
  const messages: Message[] = [];
  let first = -1;
  let peak = 0;
  const host = new ReliableLink((b) => device.usb.write(b.slice()), clock, { onMessage: (m) => messages.push(m) });
  device.usb.onData((b) => {
    gc();
    const vars = ledger.estimateVars({ ...PICO_MEMORY, blockBytes, afterLoad: 0, other: 0 });
    if (first < 0) first = vars;
    peak = Math.max(peak, vars);
    host.receive(b);
  });
  try {
    host.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    clock.runUntil(() => messages.some((m) => m.type === 'hello-reply'));
    host.send({ type: 'read', documentNumber: fixture.bac.documentNumber, dateOfBirth: fixture.bac.dateOfBirth, dateOfExpiry: fixture.bac.dateOfExpiry, checkDigits: '', dataGroups, cardTimeoutMs: 5000 });
    clock.runUntil(() => messages.some((m) => m.type === 'result' || m.type === 'error'), 600_000);
  } finally {
    device.stop();
  }
  const last = messages[messages.length - 1];
  if (last.type !== 'result' || !last.ok) throw new Error(`${bundle}: the shim read did not verify`);
  return { first, peak };
}

export interface CryptoShare {
  /** Dynamic typed-array variables (peak - first USB write) of each bundle's read. */
  picoTs: number;
  pico: number;
  /** picoTs - pico: held by the TypeScript crypto at the peak, not by the blob. */
  tsCryptoVars: number;
}

/** `gc`: node --expose-gc's. 64-bit blocks (17 bytes) by default, as the interpreter's read. */
export function cryptoShare(picoTsBundle: string, dataGroups: number[], extendedLength: boolean, gc: () => void, blockBytes = 17): CryptoShare {
  const ts = typedArrayProfile(picoTsBundle, false, dataGroups, extendedLength, blockBytes, gc);
  const blob = typedArrayProfile(deviceBundlePath('pico'), true, dataGroups, extendedLength, blockBytes, gc);
  const picoTs = ts.peak - ts.first;
  const pico = blob.peak - blob.first;
  return { picoTs, pico, tsCryptoVars: picoTs - pico };
}
