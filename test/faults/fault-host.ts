// The host end of the conversation for the fault matrix: the protocol's ReliableLink on the
// virtual clock (as the SDK uses it), with the host misbehaviours the matrix needs: deaf for a
// while (acknowledges nothing, a slow reader), and closed (the port went away: it neither sends
// nor hears anything again; a new FaultHost is a new host session).

import type { VirtualClock } from '@epassport/hardware/sim/clock';
import type { VirtualDevice } from '@epassport/hardware/sim/virtual-device';
import { PROTOCOL_VERSION, ReliableLink, type Message, type ReadMessage } from '@epassport/protocol';
import { waitForMessage } from '../support/wait-for-message';

export type BacFields = Pick<ReadMessage, 'documentNumber' | 'dateOfBirth' | 'dateOfExpiry'>;

export class FaultHost {
  readonly link: ReliableLink;
  readonly messages: Message[] = [];
  /** Called for every message as it arrives (triggers). */
  onMessage: ((m: Message) => void) | null = null;
  private deafUntil = -Infinity;
  private closed = false;

  constructor(readonly device: VirtualDevice, readonly clock: VirtualClock) {
    this.link = new ReliableLink((b) => {
      if (!this.closed) device.usb.write(b.slice());
    }, clock, {
      onMessage: (m) => {
        this.messages.push(m);
        if (this.onMessage) this.onMessage(m);
      },
    }, { window: 4, retransmitMs: 300 });
    device.usb.onData((b) => {
      if (!this.closed && clock.now() >= this.deafUntil) this.link.receive(b);
    });
  }

  /** Ignores every frame for `ms` (nothing is acknowledged; the device must hold back). */
  deaf(ms: number): void {
    this.deafUntil = this.clock.now() + ms;
  }

  /** The port is closed: this host is gone for good. */
  close(): void {
    this.closed = true;
    this.link.reset();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(m: Message): void {
    if (!this.link.send(m)) throw new Error('host window full');
  }

  /** Runs the clock until a message after index `from` satisfies `pred` (undefined when none came). */
  waitFor(pred: (m: Message) => boolean, from = 0, maxMs = 120_000): Message {
    return waitForMessage(this.clock, this.messages, pred, from, maxMs)!;
  }

  hello(maxMs = 10_000): Extract<Message, { type: 'hello-reply' }> {
    const from = this.messages.length;
    this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    return this.waitFor((m) => m.type === 'hello-reply', from, maxMs) as Extract<Message, { type: 'hello-reply' }>;
  }

  startRead(bac: BacFields, dataGroups = [1, 2, 15], cardTimeoutMs = 5000): number {
    const from = this.messages.length;
    this.send({ type: 'read', checkDigits: '', dataGroups, cardTimeoutMs, ...bac });
    return from;
  }

  /** A read from start to its final message; returns its messages. */
  read(bac: BacFields, dataGroups = [1, 2, 15], maxMs = 120_000): Message[] {
    const from = this.startRead(bac, dataGroups);
    this.waitFor(isFinal, from, maxMs);
    return this.messages.slice(from);
  }
}

export function isFinal(m: Message): boolean {
  return m.type === 'result' || (m.type === 'error' && m.code !== 'busy');
}
