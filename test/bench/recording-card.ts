// A Card that passes everything to the virtual passport and writes down each APDU: when the
// PN532 model handed it over (virtual time), the command as sent and the response as answered.
// The bench takes its phase boundaries and its device-CPU estimate from this log.

import type { Card, CardReply } from '@epassport/hardware/sim/card';
import type { Clock } from '@epassport/hardware/sim/clock';

export interface ApduRecord {
  /** Virtual time (ms) at which the chip model passed the command to the card. */
  at: number;
  command: Uint8Array;
  /** The R-APDU as sent (null: no answer). */
  response: Uint8Array | null;
}

export class RecordingCard implements Card {
  readonly log: ApduRecord[] = [];

  constructor(private readonly inner: Card, private readonly clock: Clock) {}

  get identity(): Card['identity'] {
    return this.inner.identity;
  }

  isPresent(): boolean {
    return this.inner.isPresent();
  }

  reset(): void {
    this.inner.reset();
  }

  transceive(apdu: Uint8Array): CardReply | null {
    const reply = this.inner.transceive(apdu) as CardReply | null;
    this.log.push({ at: this.clock.now(), command: apdu.slice(), response: reply ? reply.response.slice() : null });
    return reply;
  }
}
