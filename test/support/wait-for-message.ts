// The virtual-time wait of the hosts that drive the bundled firmware (firmware/test/device-host.ts,
// test/faults/fault-host.ts): runs the clock until a message received after index `from`
// satisfies `pred`. Undefined when none came within `maxMs` of virtual time.

import type { VirtualClock } from '@epassport/hardware/sim/clock';
import type { Message } from '@epassport/protocol';

export function waitForMessage(clock: VirtualClock, messages: readonly Message[], pred: (m: Message) => boolean, from: number, maxMs: number): Message | undefined {
  let found: Message | undefined;
  clock.runUntil(() => {
    for (let i = from; i < messages.length; i++) if (pred(messages[i])) return !!(found = messages[i]);
    return false;
  }, maxMs);
  return found;
}
