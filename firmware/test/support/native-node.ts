// The firmware's native seams in plain Node tests: installs E.getAddressOf, E.nativeCall and
// espruinoModule('Storage') as the shim offers them (hardware/shim/native-call-api.js, the
// Storage file `native` holding the committed blob), every call run on the emulated Cortex-M4.
// Install it BEFORE the firmware modules are loaded (native/blob.ts probes once per module
// instance): dynamic imports after `installNativeSeams()`, or `vi.resetModules()` first.

import vm from 'node:vm';
import { emulatorMissing, nativeCallsFor } from '@epassport/hardware/shim/native-emulator';
import type { NativeCalls } from '@epassport/hardware/shim/native-call';
import { requireTool, TOOLS } from '../../../test/support/requires-tool';

/** Whether the emulator runs here (skips with the usual line, fails under CI when missing). */
export function nativeEmulatorAvailable(what: string): boolean {
  return requireTool({ name: 'Cortex-M4 emulator', install: TOOLS['python3-unicorn'].install, problem: () => emulatorMissing() ?? TOOLS['python3-unicorn'].problem() }, what);
}

/** Puts the blob behind this realm's globals; returns the call counts (per entry name). */
export function installNativeSeams(): NativeCalls {
  const calls = nativeCallsFor('emulator');
  const context = vm.createContext({ E: {}, require: (name: string) => { throw new Error('no module ' + name); } });
  calls.install(context);
  const g = globalThis as Record<string, unknown>;
  g.E = vm.runInContext('E', context);
  g.espruinoModule = vm.runInContext('require', context);
  return calls;
}
