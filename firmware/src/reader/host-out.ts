// What the read pipeline needs of the host link (host-link.ts implements it): send a message
// (queued, never lost, when the link window is full; progress may be dropped) and wait until the
// window has room, which is the back-pressure that holds card reading back for a slow host.

import type { DeviceMessage } from '@epassport/protocol';

export interface HostOut {
  send(message: DeviceMessage): void;
  /** Sends a progress report only if it can go out now (reports are never queued). */
  report(message: DeviceMessage): void;
  /** Calls `fn` once at least `slots` frames can be sent without waiting: now, or when the
   * host's acknowledgements free them. One waiter at a time. */
  whenRoom(slots: number, fn: () => void): void;
  /** Forgets the waiter (the read was cancelled while waiting). */
  cancelWait(): void;
}
