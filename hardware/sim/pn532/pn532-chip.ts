// The PN532's command processor: one command body (TFI D4, command code, parameters) in, one
// response body (TFI D5, code + 1, data) out at the modelled time, like libnfc's chip layer
// (pn53x.c) apart from the drivers that move frames. Power state, SAM mode, parameters, RF
// configuration, registers, the target table and the ISO/IEC 14443-4 link to the card live here.
// Timing: COMMAND_MS of firmware time per command plus the air time of rf-timing.ts.

import { concatBytes } from '../bytes';
import type { Clock, TimerId } from '../clock';
import type { Card, CardReply, TypeAIdentity, TypeBIdentity } from '../card';
import {
  BRTY,
  CIU_REGISTER_DEFAULTS,
  COMMAND,
  DEFAULT_HSU_BAUD,
  DEFAULT_PARAMETERS,
  FIRMWARE_VERSION,
  FSC_TABLE,
  MAX_DATA_EXCHANGE,
  MI,
  PARAM,
  PN532_FSD,
  PSL_BIT_RATES,
  RF_CONFIG_ITEM_LENGTH,
  SERIAL_BAUD_RATES,
  STATUS,
} from './pn532-constants';
import { AirLedger, fwtMs, receiveIBlocks, sendIBlocks, type BitRate, type IsoDepLink } from './rf-timing';
import type { Pn532Faults } from './pn532-faults';
import type { Pn532Stats } from './pn532-stats';

/** Firmware time per command, from the end of the host frame to the response (RF time apart).
 * ASSUMPTION: UM0701-02 gives no processing time and no public measurement was found
 * (docs/pn532-facts.md §6). 1 ms: small against the only published PN532 figure, ~18 ms per
 * DESFire command over SPI + libnfc (StackOverflow q/50622564, facts §6), most of it host I/O. */
export const COMMAND_MS = 1;
/** One unsuccessful passive activation attempt (REQA/REQB, no answer, RF settle). ASSUMPTION,
 * no public figure: a REQA/WUPA + FDT is < 0.2 ms (ISO 14443-3), so 5 ms is mostly the RF
 * field settling (ISO 14443-3 §6.2.1 lets a PICC take 5 ms after the field appears). */
export const POLL_ATTEMPT_MS = 5;

export type PowerState = 'low-vbat' | 'normal' | 'power-down';
export type ChipReply = Uint8Array | 'syntax-error';

/** What a command asks of the host link besides its reply. */
export interface ChipEffects {
  /** PowerDown: sleep once the reply has left. */
  sleep?: boolean;
}

export interface ChipJob {
  cancel(): void;
}

type CardState = 'idle' | 'active' | 'halt';

interface Target {
  tg: number;
  card: Card;
  type: 'A' | 'B';
  /** Set once ISO-DEP is active (ATS received / ATTRIB done). */
  link: IsoDepLink | null;
  /** ATS TA(1) (type A), to check InPSL; 0 when absent. */
  ta: number;
  deselected: boolean;
  /** The card's current block number (ISO 14443-4 §7.5.3), for R(ACK) answers. */
  cardBlock: number;
  /** C-APDU parts received with MI set, waiting for the last part. */
  txChain: Uint8Array[];
  /** Rest of an R-APDU longer than 262 bytes, handed out by `40 Tg` continuations. */
  rxRest: Uint8Array | null;
  /** InCommunicateThru: rest of a chained card answer, handed out on R(ACK). */
  thruRest: Uint8Array | null;
  /** InCommunicateThru: the card's last I-block, sent again on R(ACK) with its own number. */
  thruLast: Uint8Array | null;
}

interface Job {
  cancelled: boolean;
  start: number;
  timers: TimerId[];
  done: (reply: ChipReply, effects?: ChipEffects) => void;
}


function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown })?.then === 'function';
}

/** RFConfiguration 0x02 timeout code n: 100 µs · 2^(n-1); 0 = no timeout. */
export function timeoutCodeMs(code: number): number {
  return code === 0 ? Infinity : 0.1 * Math.pow(2, code - 1);
}

/** ISO-DEP link parameters from a type A ATS (TL T0 [TA] [TB] [TC] ...). */
export function linkFromAts(ats: Uint8Array): { fsc: number; fwi: number; cid: boolean; ta: number } {
  // Defaults when T0/TB are absent: FSCI 2 (32 bytes), FWI 4, CID supported (ISO 14443-4 §5.2);
  // FWI 15 is RFU and read as 4 (§5.2.5).
  let fsci = 2;
  let fwi = 4;
  let tc = 0x02;
  let ta = 0;
  if (ats.length > 1) {
    const t0 = ats[1];
    fsci = t0 & 0x0f;
    let p = 2;
    if (t0 & 0x10) ta = ats[p++];
    if (t0 & 0x20) fwi = ats[p++] >> 4;
    if (t0 & 0x40) tc = ats[p++];
  }
  return { fsc: FSC_TABLE[Math.min(fsci, 8)], fwi: fwi === 15 ? 4 : fwi, cid: (tc & 0x02) !== 0, ta };
}

/** ISO-DEP link parameters from an ATQB (50 PUPI(4) AppData(4) ProtInfo(3)). */
export function linkFromAtqb(atqb: Uint8Array): { fsc: number; fwi: number; cid: boolean } {
  const fsci = atqb[10] >> 4;
  const fwi = atqb[11] >> 4;
  return { fsc: FSC_TABLE[Math.min(fsci, 8)], fwi: fwi === 15 ? 4 : fwi, cid: (atqb[11] & 0x01) !== 0 };
}

export class Pn532Chip {
  power: PowerState = 'low-vbat';
  /** The host interface has been woken (wake-up bytes on HSU, a bus transaction on I2C/SPI). */
  awake = false;
  samMode = 1;
  irqEnabled = true;
  parameters = DEFAULT_PARAMETERS;
  fieldOn = false;
  /** PowerDown WakeUpEnable bits (4 HSU, 5 SPI, 7 I2C). */
  wakeUpEnable = 0xff;
  /** Current HSU speed and the one SetSerialBaudRate asked for (applied on the host's ACK). */
  hsuBaud: number = DEFAULT_HSU_BAUD;
  pendingBaud: number | null = null;
  lastError = 0;
  /** RFConfiguration 0x02: fATR_RES_Timeout and fRetryTimeout codes. */
  atrResTimeoutCode = 0x0b;
  retryTimeoutCode = 0x0a;
  maxRtyCom = 0;
  mxRtyAtr = 0xff;
  mxRtyPsl = 0x01;
  mxRtyPassiveActivation = 0xff;
  registers = new Map<number, number>();
  target: Target | null = null;
  private cardNow: Card | null = null;
  private cardStates = new WeakMap<Card, CardState>();

  constructor(
    private clock: Clock,
    private stats: Pn532Stats,
    private faults: Pn532Faults,
  ) {
    this.powerUp();
  }

  /** Power-on / RSTPD_N state: LowVbat (C106), defaults everywhere, field off, no targets. */
  powerUp(): void {
    this.power = 'low-vbat';
    this.awake = false;
    this.samMode = 1;
    this.irqEnabled = true;
    this.parameters = DEFAULT_PARAMETERS;
    this.wakeUpEnable = 0xff;
    this.hsuBaud = DEFAULT_HSU_BAUD;
    this.pendingBaud = null;
    this.lastError = 0;
    this.atrResTimeoutCode = 0x0b;
    this.retryTimeoutCode = 0x0a;
    this.maxRtyCom = 0;
    this.mxRtyAtr = 0xff;
    this.mxRtyPsl = 0x01;
    this.mxRtyPassiveActivation = 0xff;
    this.registers = new Map(Object.entries(CIU_REGISTER_DEFAULTS).map(([k, v]) => [Number(k), v]));
    this.switchField(false);
  }

  get card(): Card | null {
    return this.cardNow;
  }

  /** A card enters the field (fresh: IDLE) or leaves it (null). */
  setCard(card: Card | null): void {
    if (card && card !== this.cardNow) this.cardStates.set(card, 'idle');
    this.cardNow = card;
  }

  /** Commands the chip takes in its current power state. In LowVbat only SAMConfiguration
   * (C106 appendix, quoted in libnfc pn532_uart_send); anything else is ignored, unACKed. */
  accepts(body: Uint8Array): boolean {
    if (this.power === 'low-vbat') return body.length >= 2 && body[1] === COMMAND.SAMConfiguration;
    return true;
  }

  /** Runs one command; `done` is called once at the modelled time unless the job is cancelled
   * (host ACK, reset, a newer command). */
  execute(body: Uint8Array, done: (reply: ChipReply, effects?: ChipEffects) => void): ChipJob {
    const job: Job = { cancelled: false, start: this.clock.now(), timers: [], done };
    const handle: ChipJob = {
      cancel: () => {
        job.cancelled = true;
        for (const t of job.timers) this.clock.clearTimeout(t);
      },
    };
    if (body[0] !== 0xd4 || body.length < 2) {
      this.finish(job, 'syntax-error', COMMAND_MS);
      return handle;
    }
    const code = body[1];
    const p = body.subarray(2);
    try {
      this.dispatch(job, code, p);
    } catch (e) {
      if (!(e instanceof SyntaxErrorSignal)) throw e;
      this.finish(job, 'syntax-error', COMMAND_MS);
    }
    return handle;
  }

  // ---- plumbing ----

  private later(job: Job, ms: number, fn: () => void): void {
    job.timers.push(
      this.clock.setTimeout(() => {
        if (!job.cancelled) fn();
      }, ms),
    );
  }

  /** Replies `data` (after D5, code+1) `ms` after the job started (or now, if that has passed). */
  private finish(job: Job, reply: ChipReply, ms: number, effects?: ChipEffects): void {
    const due = Math.max(0, job.start + ms - this.clock.now());
    this.later(job, due, () => job.done(reply, effects));
  }

  private reply(job: Job, code: number, data: ArrayLike<number>, ms: number, effects?: ChipEffects): void {
    const body = new Uint8Array(2 + data.length);
    body[0] = 0xd5;
    body[1] = code + 1;
    body.set(data, 2);
    this.finish(job, body, ms, effects);
  }

  private status(job: Job, code: number, status: number, ms: number): void {
    this.lastError = status & 0x3f;
    if ((status & 0x3f) === STATUS.Timeout) this.stats.timeouts++;
    this.reply(job, code, [status], ms);
  }

  private account(ledger: AirLedger): void {
    const c = ledger.counters;
    this.stats.airBytesToCard += c.bytesToCard;
    this.stats.airBytesFromCard += c.bytesFromCard;
    this.stats.airTimeMs += c.micros / 1000;
    this.stats.iBlocksToCard += c.iBlocksToCard;
    this.stats.iBlocksFromCard += c.iBlocksFromCard;
    this.stats.rBlocks += c.rBlocks;
    this.stats.wtx += c.wtx;
  }

  private cardState(card: Card): CardState {
    return this.cardStates.get(card) ?? 'idle';
  }

  /** The target's card is still in the field and listening. */
  private reachable(t: Target): boolean {
    return this.fieldOn && this.cardNow === t.card && t.card.isPresent() && this.cardState(t.card) === 'active';
  }

  private switchField(on: boolean): void {
    this.fieldOn = on;
    if (!on) {
      // Cards lose power: back to IDLE; the chip's targets are gone with them.
      if (this.cardNow) this.cardStates.set(this.cardNow, 'idle');
      if (this.target) this.cardStates.set(this.target.card, 'idle');
      this.target = null;
    }
  }

  /** Calls the card, sync or async, guarding against cancellation and exceptions. */
  private askCard(job: Job, card: Card, apdu: Uint8Array, cont: (reply: CardReply | null) => void): void {
    let r: CardReply | null | Promise<CardReply | null>;
    try {
      r = card.transceive(apdu);
    } catch {
      r = null;
    }
    if (isPromise(r)) {
      r.then(
        (v) => {
          if (!job.cancelled) cont(v);
        },
        () => {
          if (!job.cancelled) cont(null);
        },
      );
    } else cont(r);
  }

  private dispatch(job: Job, code: number, p: Uint8Array): void {
    switch (code) {
      case COMMAND.Diagnose:
        return this.diagnose(job, p);
      case COMMAND.GetFirmwareVersion:
        return this.reply(job, code, FIRMWARE_VERSION, COMMAND_MS);
      case COMMAND.GetGeneralStatus:
        return this.generalStatus(job);
      case COMMAND.ReadRegister: {
        if (p.length === 0 || p.length % 2) throw SYNTAX;
        const out: number[] = [];
        for (let i = 0; i < p.length; i += 2) out.push(this.registers.get((p[i] << 8) | p[i + 1]) ?? 0);
        return this.reply(job, code, out, COMMAND_MS);
      }
      case COMMAND.WriteRegister: {
        if (p.length === 0 || p.length % 3) throw SYNTAX;
        for (let i = 0; i < p.length; i += 3) this.registers.set((p[i] << 8) | p[i + 1], p[i + 2]);
        return this.reply(job, code, [], COMMAND_MS);
      }
      case COMMAND.SetSerialBaudRate: {
        if (p.length !== 1 || p[0] >= SERIAL_BAUD_RATES.length) throw SYNTAX;
        this.pendingBaud = SERIAL_BAUD_RATES[p[0]];
        return this.reply(job, code, [], COMMAND_MS);
      }
      case COMMAND.SetParameters:
        if (p.length !== 1) throw SYNTAX;
        this.parameters = p[0];
        return this.reply(job, code, [], COMMAND_MS);
      case COMMAND.SAMConfiguration:
        return this.samConfiguration(job, p);
      case COMMAND.PowerDown:
        if (p.length < 1 || p.length > 2) throw SYNTAX;
        this.wakeUpEnable = p[0];
        this.switchField(false);
        return this.reply(job, code, [STATUS.Ok], COMMAND_MS, { sleep: true });
      case COMMAND.RFConfiguration:
        return this.rfConfiguration(job, p);
      case COMMAND.InListPassiveTarget:
        return this.inListPassiveTarget(job, p);
      case COMMAND.InAutoPoll:
        return this.inAutoPoll(job, p);
      case COMMAND.InDataExchange:
        return this.inDataExchange(job, p);
      case COMMAND.InCommunicateThru:
        return this.inCommunicateThru(job, p);
      case COMMAND.InDeselect:
      case COMMAND.InRelease:
        return this.deselectOrRelease(job, code, p);
      case COMMAND.InSelect:
        return this.inSelect(job, p);
      case COMMAND.InPSL:
        return this.inPsl(job, p);
      default:
        throw SYNTAX;
    }
  }

  // ---- commands ----

  private diagnose(job: Job, p: Uint8Array): void {
    if (p.length < 1) throw SYNTAX;
    switch (p[0]) {
      case 0x00: // communication line test: echo NumTst and InParam
        return this.reply(job, COMMAND.Diagnose, p, COMMAND_MS);
      case 0x01: // ROM test
      case 0x02: // RAM test
      case 0x07: // antenna test
        return this.reply(job, COMMAND.Diagnose, [0x00], COMMAND_MS);
      case 0x06: {
        // card presence: an R(NAK) to the ISO-DEP target
        const t = this.target;
        if (!t || !t.link) return this.reply(job, COMMAND.Diagnose, [STATUS.WrongContext], COMMAND_MS);
        const ledger = new AirLedger(t.type, t.link.txRate, t.link.rxRate);
        const header = 1 + (t.link.cid ? 1 : 0);
        ledger.pcd(header + 2);
        let status: number = STATUS.Ok;
        if (this.reachable(t)) ledger.card(header + 2);
        else {
          ledger.wait(t.link.fwtMs);
          status = STATUS.Timeout;
        }
        this.account(ledger);
        return this.reply(job, COMMAND.Diagnose, [status], COMMAND_MS + ledger.ms);
      }
      default:
        throw SYNTAX;
    }
  }

  private generalStatus(job: Job): void {
    const out = [this.lastError, 0x00 /* no external field */];
    const t = this.target;
    if (t && !t.deselected) {
      const code = (br: BitRate) => PSL_BIT_RATES.indexOf(br as 106 | 212 | 424);
      out.push(1, t.tg, t.link ? code(t.link.rxRate) : 0, t.link ? code(t.link.txRate) : 0, t.type === 'A' ? 0x00 : BRTY.TypeB106);
    } else out.push(0);
    out.push(0x00); // SAM status
    this.reply(job, COMMAND.GetGeneralStatus, out, COMMAND_MS);
  }

  private samConfiguration(job: Job, p: Uint8Array): void {
    if (p.length < 1 || p.length > 3 || p[0] < 1 || p[0] > 4) throw SYNTAX;
    if (p[0] === 2 && p.length < 2) throw SYNTAX; // virtual card mode needs its timeout
    this.samMode = p[0];
    this.irqEnabled = p.length < 3 || p[2] !== 0;
    this.power = 'normal';
    this.reply(job, COMMAND.SAMConfiguration, [], COMMAND_MS);
  }

  private rfConfiguration(job: Job, p: Uint8Array): void {
    if (p.length < 1) throw SYNTAX;
    const want = RF_CONFIG_ITEM_LENGTH[p[0]];
    if (want === undefined || p.length - 1 !== want) throw SYNTAX;
    switch (p[0]) {
      case 0x01:
        this.switchField((p[1] & 0x01) !== 0);
        break;
      case 0x02:
        this.atrResTimeoutCode = p[2];
        this.retryTimeoutCode = p[3];
        break;
      case 0x04:
        this.maxRtyCom = p[1];
        break;
      case 0x05:
        this.mxRtyAtr = p[1];
        this.mxRtyPsl = p[2];
        this.mxRtyPassiveActivation = p[3];
        break;
    }
    this.reply(job, COMMAND.RFConfiguration, [], COMMAND_MS);
  }

  private inListPassiveTarget(job: Job, p: Uint8Array): void {
    if (p.length < 2 || p[0] < 1 || p[0] > 2 || p[1] > BRTY.Jewel106) throw SYNTAX;
    const brTy = p[1];
    const initiatorData = p.subarray(2);
    if (brTy === BRTY.TypeB106 && initiatorData.length < 1) throw SYNTAX;
    if ((brTy === BRTY.Felica212 || brTy === BRTY.Felica424) && initiatorData.length !== 5) throw SYNTAX;
    // The chip forgets earlier targets. A card the host never released is not left ACTIVE (which
    // per ISO 14443-3 would ignore REQA): hosts that poll in a loop (Adafruit) re-detect it.
    if (this.target) {
      if (this.cardState(this.target.card) === 'active') this.cardStates.set(this.target.card, 'idle');
      this.target = null;
    }
    this.fieldOn = true;
    const retries = this.mxRtyPassiveActivation;
    let attempts = 0;
    const attempt = () => {
      const found = this.tryActivate(brTy, initiatorData);
      if (found) {
        this.account(found.ledger);
        this.target = found.target;
        return this.reply(job, COMMAND.InListPassiveTarget, [1, ...found.data], COMMAND_MS + found.ledger.ms + (this.clock.now() - job.start));
      }
      attempts++;
      if (retries !== 0xff && attempts > retries) {
        return this.finish(job, Uint8Array.of(0xd5, COMMAND.InListPassiveTarget + 1, 0), COMMAND_MS + (this.clock.now() - job.start) + POLL_ATTEMPT_MS);
      }
      this.later(job, POLL_ATTEMPT_MS, attempt);
    };
    attempt();
  }

  /** InAutoPoll (UM0701-02 §7.3.13): `60 PollNr Period Type1..n`; PollNr 0xFF = endless,
   * Period in 150 ms units. Each round tries the types in order; the answer is
   * `61 NbTg Type Len TargetData` (TargetData as InListPassiveTarget: Tg first), or `61 00`.
   * Types served: 0x00/0x10/0x20 (106 kbps type A; 0x20 needs an ISO 14443-4 card), 0x03/0x23
   * (106 kbps type B). FeliCa and Jewel types are never found. docs/pn532-facts.md §3. */
  private inAutoPoll(job: Job, p: Uint8Array): void {
    if (p.length < 3 || p.length > 17 || p[0] === 0 || p[1] < 1 || p[1] > 0x0f) throw SYNTAX;
    const pollNr = p[0];
    const periodMs = p[1] * 150;
    const types = Array.from(p.subarray(2));
    if (this.target) {
      if (this.cardState(this.target.card) === 'active') this.cardStates.set(this.target.card, 'idle');
      this.target = null;
    }
    this.fieldOn = true;
    let rounds = 0;
    const round = () => {
      for (const type of types) {
        const card = this.cardNow;
        const isoA = type === 0x20;
        if (isoA && !(card && card.identity.type === 'A' && card.identity.sak & 0x20)) continue;
        const brTy = type === 0x00 || type === 0x10 || isoA ? BRTY.TypeA106 : type === 0x03 || type === 0x23 ? BRTY.TypeB106 : -1;
        if (brTy < 0) continue;
        const found = this.tryActivate(brTy, brTy === BRTY.TypeB106 ? Uint8Array.of(0) : new Uint8Array(0));
        if (!found) continue;
        this.account(found.ledger);
        this.target = found.target;
        return this.reply(job, COMMAND.InAutoPoll, [1, type, found.data.length, ...found.data], COMMAND_MS + found.ledger.ms + (this.clock.now() - job.start));
      }
      rounds++;
      if (pollNr !== 0xff && rounds >= pollNr) {
        return this.finish(job, Uint8Array.of(0xd5, COMMAND.InAutoPoll + 1, 0), COMMAND_MS + (this.clock.now() - job.start) + types.length * POLL_ATTEMPT_MS);
      }
      this.later(job, types.length * POLL_ATTEMPT_MS + periodMs, round);
    };
    round();
  }

  /** One activation attempt at the current instant: REQA..RATS or REQB..ATTRIB. */
  private tryActivate(brTy: number, initiatorData: Uint8Array): { target: Target; data: number[]; ledger: AirLedger } | null {
    const card = this.cardNow;
    if (!card || !card.isPresent() || this.cardState(card) === 'halt') return null;
    const id = card.identity;
    if (brTy === BRTY.TypeA106 && id.type === 'A') return this.activateA(card, id, initiatorData);
    if (brTy === BRTY.TypeB106 && id.type === 'B') return this.activateB(card, id, initiatorData);
    return null;
  }

  private activateA(card: Card, id: TypeAIdentity, uidFilter: Uint8Array): { target: Target; data: number[]; ledger: AirLedger } | null {
    if (uidFilter.length) {
      // nfcpy prefixes the cascade tag 88 to 7/10-byte UIDs; compare without it.
      const want = Array.from(uidFilter).filter((b, i) => !(b === 0x88 && (i === 0 || i === 4)));
      if (want.length !== id.uid.length || want.some((b, i) => b !== id.uid[i])) return null;
    }
    const ledger = new AirLedger('A');
    ledger.short().card(2); // REQA -> ATQA
    const levels = id.uid.length <= 4 ? 1 : id.uid.length <= 7 ? 2 : 3;
    for (let l = 0; l < levels; l++) {
      ledger.guard().pcd(2).card(5); // ANTICOLLISION: SEL NVB -> UID CLn + BCC
      ledger.guard().pcd(9).card(3); // SELECT -> SAK + CRC_A
    }
    const data = [1, ...id.atqa, id.sak, id.uid.length, ...id.uid];
    const target: Target = { tg: 1, card, type: 'A', link: null, ta: 0, deselected: false, cardBlock: 1, txChain: [], rxRest: null, thruRest: null, thruLast: null };
    if (id.sak & 0x20 && this.parameters & PARAM.AutomaticRats) {
      ledger.guard().pcd(4).card(id.ats.length + 2); // RATS E0 50 -> ATS
      const l = linkFromAts(id.ats);
      target.link = { type: 'A', txRate: 106, rxRate: 106, fsc: l.fsc, fsd: PN532_FSD, cid: l.cid, fwtMs: fwtMs(l.fwi) };
      target.ta = l.ta;
      data.push(...id.ats);
    }
    this.cardStates.set(card, 'active');
    card.reset();
    return { target, data, ledger };
  }

  private activateB(card: Card, id: TypeBIdentity, init: Uint8Array): { target: Target; data: number[]; ledger: AirLedger } | null {
    const afi = init[0];
    const ledger = new AirLedger('B');
    ledger.pcd(5); // REQB: 05 AFI PARAM CRC_B
    if (afi !== 0 && (afi & 0xf0) !== (id.atqb[5] & 0xf0)) return null;
    ledger.card(id.atqb.length + 2); // ATQB
    ledger.guard().pcd(11).card(id.attribRes.length + 2); // ATTRIB (1D PUPI Param1..4 CRC) -> answer
    const l = linkFromAtqb(id.atqb);
    const target: Target = {
      tg: 1,
      card,
      type: 'B',
      link: { type: 'B', txRate: 106, rxRate: 106, fsc: l.fsc, fsd: PN532_FSD, cid: l.cid, fwtMs: fwtMs(l.fwi) },
      ta: 0,
      deselected: false,
      cardBlock: 1,
      txChain: [],
      rxRest: null,
      thruRest: null,
      thruLast: null,
    };
    this.cardStates.set(card, 'active');
    card.reset();
    return { target, data: [1, ...id.atqb, id.attribRes.length, ...id.attribRes], ledger };
  }

  private findTarget(tg: number): Target | null {
    const t = this.target;
    return t && t.tg === tg ? t : null;
  }

  private inDataExchange(job: Job, p: Uint8Array): void {
    if (p.length < 1 || p.length - 1 > MAX_DATA_EXCHANGE) throw SYNTAX;
    const code = COMMAND.InDataExchange;
    const more = (p[0] & MI) !== 0;
    const t = this.findTarget(p[0] & 0x0f);
    if (!t || t.deselected) return this.status(job, code, STATUS.WrongContext, COMMAND_MS);
    const dataOut = p.slice(1);

    // `40 Tg` with nothing to send: the next part of a long R-APDU.
    if (!more && dataOut.length === 0 && t.rxRest) return this.handOut(job, t, t.rxRest, COMMAND_MS);
    t.rxRest = null;

    const injected = this.faults.exchangeErrors.shift();
    const link = t.link;
    if (!link || !this.reachable(t)) {
      // Nobody answers (card gone, mute, or not in ISO-DEP): FWT per try, MaxRtyCOM retries.
      const wait = (link ? link.fwtMs : timeoutCodeMs(this.retryTimeoutCode)) * (1 + this.maxRtyCom);
      const ledger = new AirLedger(t.type).pcd(dataOut.length + 3).wait(wait);
      this.account(ledger);
      t.txChain = [];
      return this.status(job, code, STATUS.Timeout, COMMAND_MS + ledger.ms);
    }
    const ledger = new AirLedger(t.type, link.txRate, link.rxRate);
    sendIBlocks(ledger, link, dataOut.length, more);
    if (more) {
      t.txChain.push(dataOut);
      this.account(ledger);
      return this.status(job, code, STATUS.Ok, COMMAND_MS + ledger.ms);
    }
    const apdu = concatBytes(...[...t.txChain, dataOut]);
    t.txChain = [];
    if (injected !== undefined) {
      receiveIBlocks(ledger, link, 2, 0);
      this.account(ledger);
      return this.status(job, code, injected, COMMAND_MS + ledger.ms);
    }
    this.stats.apdus++;
    const card = t.card;
    this.askCard(job, card, apdu, (r) => {
      // The card may have left while it was working.
      if (!r || !this.reachable(t) || t.card !== card) {
        ledger.wait(link.fwtMs * (1 + this.maxRtyCom));
        this.account(ledger);
        return this.status(job, code, STATUS.Timeout, COMMAND_MS + ledger.ms);
      }
      t.cardBlock ^= 1;
      this.stats.cardProcessingMs += r.processingMs;
      receiveIBlocks(ledger, link, r.response.length, r.processingMs);
      this.account(ledger);
      const total = COMMAND_MS + ledger.ms;
      // Taken away before its answer was complete: the chip waits FWT, then gives up.
      this.later(job, Math.max(0, job.start + total - this.clock.now()), () => {
        if (!this.reachable(t)) return this.status(job, code, STATUS.Timeout, total + link.fwtMs);
        this.handOut(job, t, r.response, total);
      });
    });
  }

  /** Replies up to 262 bytes of `data`, with MI set and the rest kept when there is more. */
  private handOut(job: Job, t: Target, data: Uint8Array, ms: number): void {
    if (this.faults.endlessMoreParts > 0) {
      // Fault: MI on every part, the same part again on the next `40 Tg`.
      this.faults.endlessMoreParts--;
      t.rxRest = data;
      return this.reply(job, COMMAND.InDataExchange, [MI, ...data.subarray(0, MAX_DATA_EXCHANGE)], ms);
    }
    if (data.length > MAX_DATA_EXCHANGE) {
      t.rxRest = data.slice(MAX_DATA_EXCHANGE);
      return this.reply(job, COMMAND.InDataExchange, [MI, ...data.subarray(0, MAX_DATA_EXCHANGE)], ms);
    }
    t.rxRest = null;
    this.lastError = 0;
    this.reply(job, COMMAND.InDataExchange, [STATUS.Ok, ...data], ms);
  }

  /**
   * Raw frames to the card (the chip adds CRC). The card model understands what an ISO-DEP
   * card in the field would: RATS after a selection without automatic RATS, R(NAK)/R(ACK)
   * (libnfc's presence check `42 B2`), unchained I-blocks and S(DESELECT). Anything else goes
   * unanswered: status 0x01 after fRetryTimeout.
   */
  private inCommunicateThru(job: Job, p: Uint8Array): void {
    const code = COMMAND.InCommunicateThru;
    const t = this.target;
    const timeoutMs = timeoutCodeMs(this.retryTimeoutCode);
    const type = t ? t.type : 'A';
    const ledger = new AirLedger(type, t?.link?.txRate ?? 106, t?.link?.rxRate ?? 106);
    ledger.pcd(p.length + 2);
    const silent = () => {
      if (timeoutMs === Infinity) return; // no timeout configured: only a host ACK ends this
      ledger.wait(timeoutMs);
      this.account(ledger);
      this.status(job, code, STATUS.Timeout, COMMAND_MS + ledger.ms);
    };
    const answer = (bytes: number[]) => {
      ledger.card(bytes.length + 2);
      this.account(ledger);
      this.lastError = 0;
      this.reply(job, code, [STATUS.Ok, ...bytes], COMMAND_MS + ledger.ms);
    };
    if (!t || t.deselected || !this.reachable(t) || p.length === 0) return silent();
    const pcb = p[0];
    // RATS, when the selection left the card at layer 3.
    if (t.type === 'A' && !t.link && pcb === 0xe0 && p.length === 2) {
      const id = t.card.identity as TypeAIdentity;
      if (!(id.sak & 0x20)) return silent();
      const l = linkFromAts(id.ats);
      const fsdi = p[1] >> 4;
      t.link = { type: 'A', txRate: 106, rxRate: 106, fsc: l.fsc, fsd: FSC_TABLE[Math.min(fsdi, 8)], cid: l.cid, fwtMs: fwtMs(l.fwi) };
      t.ta = l.ta;
      return answer(Array.from(id.ats));
    }
    if (!t.link) return silent();
    const hasCid = (pcb & 0x08) !== 0;
    const cidBytes = hasCid ? [p[1] ?? 0] : [];
    const inf = p.subarray(1 + cidBytes.length);
    if ((pcb & 0xe6) === 0xa2) {
      // R-block. R(NAK) with another block number, or R(ACK) while chaining an answer.
      // ISO 14443-4 rules 6 and 11-13: R(ACK) with the other block number while chaining gets
      // the next block; with ours, the last block again; R(NAK) with the other gets R(ACK).
      const isNak = (pcb & 0x10) !== 0;
      const other = (pcb & 0x01) !== t.cardBlock;
      if (!isNak && other && t.thruRest) {
        t.cardBlock ^= 1;
        return answer(this.nextThruBlock(t, cidBytes));
      }
      if (!isNak && !other && t.thruLast) return answer(Array.from(t.thruLast));
      return answer([0xa2 | (hasCid ? 0x08 : 0) | t.cardBlock, ...cidBytes]);
    }
    if ((pcb & 0xf7) === 0xc2) {
      // S(DESELECT)
      this.cardStates.set(t.card, 'halt');
      t.deselected = true;
      return answer([pcb, ...cidBytes]);
    }
    if ((pcb & 0xe2) === 0x02 && (pcb & 0x10) === 0) {
      // An unchained I-block: one APDU.
      this.stats.apdus++;
      const card = t.card;
      const link = t.link;
      return this.askCard(job, card, inf.slice(), (r) => {
        if (!r || !this.reachable(t)) return silent();
        t.cardBlock = pcb & 0x01;
        this.stats.cardProcessingMs += r.processingMs;
        ledger.wait(r.processingMs);
        t.thruRest = r.response.slice();
        answer(this.nextThruBlock(t, cidBytes, link));
      });
    }
    return silent();
  }

  /** The next I-block of a card answer given over InCommunicateThru, chained by FSD. */
  private nextThruBlock(t: Target, cidBytes: number[], link = t.link!): number[] {
    const rest = t.thruRest!;
    const per = link.fsd - 1 - cidBytes.length - 2;
    const chunk = rest.subarray(0, per);
    const chained = rest.length > per;
    t.thruRest = chained ? rest.slice(per) : null;
    const pcb = 0x02 | (cidBytes.length ? 0x08 : 0) | (chained ? 0x10 : 0) | t.cardBlock;
    const block = [pcb, ...cidBytes, ...chunk];
    t.thruLast = Uint8Array.from(block);
    return block;
  }

  private deselectOrRelease(job: Job, code: number, p: Uint8Array): void {
    if (p.length !== 1) throw SYNTAX;
    const t = this.target;
    const release = code === COMMAND.InRelease;
    if (p[0] !== 0 && (!t || t.tg !== p[0])) return this.status(job, code, STATUS.WrongContext, COMMAND_MS);
    if (!t) return this.status(job, code, STATUS.Ok, COMMAND_MS);
    let status: number = STATUS.Ok;
    let ms = COMMAND_MS;
    if (!t.deselected && t.link) {
      // S(DESELECT) and its answer; the card goes to HALT.
      const ledger = new AirLedger(t.type, t.link.txRate, t.link.rxRate);
      const n = 1 + (t.link.cid ? 1 : 0) + 2;
      ledger.pcd(n);
      if (this.reachable(t)) ledger.card(n);
      else {
        ledger.wait(t.link.fwtMs);
        status = STATUS.Timeout;
      }
      this.account(ledger);
      ms += ledger.ms;
    }
    if (this.cardState(t.card) === 'active') this.cardStates.set(t.card, 'halt');
    t.deselected = true;
    if (release) this.target = null;
    this.status(job, code, status, ms);
  }

  private inSelect(job: Job, p: Uint8Array): void {
    if (p.length !== 1) throw SYNTAX;
    const code = COMMAND.InSelect;
    const t = this.findTarget(p[0]);
    if (!t) return this.status(job, code, STATUS.WrongContext, COMMAND_MS);
    if (!t.deselected) return this.status(job, code, STATUS.Ok, COMMAND_MS);
    const card = t.card;
    if (this.cardNow !== card || !card.isPresent() || !this.fieldOn) {
      const ledger = new AirLedger(t.type).short().wait(timeoutCodeMs(this.retryTimeoutCode));
      this.account(ledger);
      return this.status(job, code, STATUS.Timeout, COMMAND_MS + ledger.ms);
    }
    // WUPA (or WUPB) wakes the halted card; then selection and RATS/ATTRIB again.
    this.cardStates.set(card, 'idle');
    const again = t.type === 'A' ? this.activateA(card, card.identity as TypeAIdentity, new Uint8Array(0)) : this.activateB(card, card.identity as TypeBIdentity, Uint8Array.of(0));
    if (!again) return this.status(job, code, STATUS.Timeout, COMMAND_MS);
    this.account(again.ledger);
    this.target = again.target;
    this.status(job, code, STATUS.Ok, COMMAND_MS + again.ledger.ms);
  }

  private inPsl(job: Job, p: Uint8Array): void {
    if (p.length !== 3 || p[1] > 2 || p[2] > 2) throw SYNTAX;
    const code = COMMAND.InPSL;
    const t = this.findTarget(p[0]);
    if (!t || t.deselected) return this.status(job, code, STATUS.WrongContext, COMMAND_MS);
    const link = t.link;
    if (!link || t.type !== 'A') return this.status(job, code, STATUS.NotAllowedInConfiguration, COMMAND_MS);
    const brIt = p[1]; // initiator -> target: DRI (ATS TA bits 1..3)
    const brTi = p[2]; // target -> initiator: DSI (ATS TA bits 5..7)
    const ta = t.ta;
    const allowed = (br: number, shift: number) => br === 0 || (ta & (1 << (br - 1 + shift))) !== 0;
    const sameOnly = (ta & 0x80) !== 0;
    if (!allowed(brIt, 0) || !allowed(brTi, 4) || (sameOnly && brIt !== brTi)) {
      return this.status(job, code, STATUS.NotAllowedInConfiguration, COMMAND_MS);
    }
    // PPS: PPSS PPS0 PPS1 + CRC -> PPSS + CRC, at the old rate.
    const ledger = new AirLedger('A', link.txRate, link.rxRate);
    ledger.pcd(5);
    if (!this.reachable(t)) {
      ledger.wait(link.fwtMs);
      this.account(ledger);
      return this.status(job, code, STATUS.Timeout, COMMAND_MS + ledger.ms);
    }
    ledger.card(3);
    this.account(ledger);
    link.txRate = PSL_BIT_RATES[brIt];
    link.rxRate = PSL_BIT_RATES[brTi];
    this.status(job, code, STATUS.Ok, COMMAND_MS + ledger.ms);
  }
}

class SyntaxErrorSignal {}
const SYNTAX = new SyntaxErrorSignal();
