// Fault injection for the PN532 simulator (used by reliability tests). Each fault is armed by a
// method and consumed by the simulator when it applies.

import type { Clock } from '../clock';

export class Pn532Faults {
  /** Upcoming ACK frames the chip leaves out. */
  dropAcks = 0;
  /** Upcoming response frames sent with a wrong DCS (a NACK gets the good frame again). */
  corruptResponses = 0;
  /** Status codes the next InDataExchange commands end with instead of talking to the card
   * (e.g. 0x02 CRC error, 0x13 data format error, 0x01 timeout). */
  exchangeErrors: number[] = [];
  /** The chip is reset (RSTPD_N pulse) this many ms after ACKing the next command. */
  resetAfterAckMs: number | null = null;
  /** Bumped by cancelResets(): a reset scheduled under an older epoch does not happen. */
  resetEpoch = 0;
  /** Upcoming InDataExchange answers that say "more information" (MI) and then repeat the same
   * part, never reaching the end while this is above 0 (Infinity: a card that never finishes). */
  endlessMoreParts = 0;
  private silentUntil = -Infinity;
  private clock: Clock | null = null;

  /** Called by the simulator that owns these faults. */
  attach(clock: Clock): void {
    this.clock = clock;
  }

  dropNextAck(count = 1): this {
    this.dropAcks += count;
    return this;
  }

  corruptNextResponse(count = 1): this {
    this.corruptResponses += count;
    return this;
  }

  failNextExchange(status: number, count = 1): this {
    for (let i = 0; i < count; i++) this.exchangeErrors.push(status);
    return this;
  }

  /** The chip hears nothing and says nothing for `ms` (or until `speak()`). Responses that fall
   * due meanwhile are lost. */
  silence(ms = Infinity): this {
    this.silentUntil = (this.clock ? this.clock.now() : 0) + ms;
    return this;
  }

  speak(): this {
    this.silentUntil = -Infinity;
    return this;
  }

  /** The card's answers never end: each part comes with MI set, `parts` times (default forever). */
  moreInformationForever(parts = Infinity): this {
    this.endlessMoreParts = parts;
    return this;
  }

  resetDuringNextCommand(afterAckMs = 0.5): this {
    this.resetAfterAckMs = afterAckMs;
    return this;
  }

  /** No reset armed, and none of those already scheduled (after an ACK) happens. */
  cancelResets(): this {
    this.resetAfterAckMs = null;
    this.resetEpoch++;
    return this;
  }

  isSilent(): boolean {
    return this.clock !== null && this.clock.now() < this.silentUntil;
  }
}
