// The same script text in the Node runtime shim (hardware/shim), for side-by-side comparison with
// the real interpreter: the lines printed with LINE_PREFIX, in order.

import { VirtualClock } from '@epassport/hardware/sim/clock';
import { EspruinoRuntime } from '@epassport/hardware/shim/espruino-runtime';
import { LINE_PREFIX } from './espruino-runner';

export function runInShim(script: string, board = 'PICO'): string[] {
  const clock = new VirtualClock();
  const runtime = new EspruinoRuntime({ clock, board });
  runtime.load(script, 'script.js');
  clock.advance(1000);
  if (runtime.errors.length) throw new Error(`shim: ${runtime.errors.map((e) => e.message).join('; ')}`);
  return runtime.consoleLines.filter((l) => l.startsWith(LINE_PREFIX)).map((l) => l.slice(LINE_PREFIX.length));
}
