// PN532 chip logic (libnfc chips/pn53x.c in miniature), independent of the bus: commands go out
// through a Pn532Io, one at a time: command frame, ACK within TIMING.ACK (else a wake-up and one
// resend, then 'pn532-silent'), response within the command's timeout (else a host ACK aborts it),
// a corrupt response is asked again with NACK (RETRIES.NACK times). The card side is an
// ApduChannel over InDataExchange, with MI continuation for long answers.

import { Pn532Error } from './pn532-error';
import type { ApduCallback, ApduChannel } from '../icao/apdu-channel';
import type { Timers } from '../timers';
import {
  ACK_LENGTH, BR_TY, CMD, HSU_BAUDS, HSU_WAKE_UP_LENGTH, MAX_FRAME, MAX_PD, PARAM, PN532_IC, PSL_BR,
  RETRIES, RF_ERRORS, RF_ITEM, STATUS_ERROR_MASK, STATUS_MI, TFI, TIMING, WAKE_ALL_HOST_BUSES,
} from './constants';
import { ACK_FRAME, FRAME, NACK_FRAME, buildFrame, newParsedFrame, parseFrame, type ParsedFrame } from './frames';
import type { Pn532Io } from './pn532-io';

/** A command's answer: the response PD (response code first), a view valid during the call. */
/** Longest R-APDU joined from MI parts: an extended-length READ BINARY of 2,048 bytes under
 * secure messaging is 2,076 bytes (DO'87' header and padding, DO'99', DO'8E', SW). */
export const MAX_R_APDU = 2304;

/** Where a command's PD is written in the frame buffer: after the longest header (00 00 FF FF FF
 * LEN LEN LCS TFI). buildFrame moves it 3 bytes down for a normal frame (a copy towards the start
 * of the same buffer, which Espruino and V8 both do front to back), so no separate PD buffer. */
const PD_AT = 9;

export type ResponseCallback = (err: Pn532Error | null, response: Uint8Array | null) => void;
export type DoneCallback = (err: Pn532Error | null) => void;

/** A card found by InListPassiveTarget. */
export interface Target {
  /** Target number the PN532 gave it. */
  tg: number;
  type: 'A' | 'B';
  /** Type A SEL_RES (SAK); bit 0x20 = ISO/IEC 14443-4. 0x20 for type B. */
  sak: number;
  /** Highest bit rate, kbit/s, that both the card and the PN532 support in both directions. */
  maxBitRate: number;
}

export interface Pn532Options {
  /** HSU: the speed to switch to with SetSerialBaudRate after the handshake (0: stay). */
  fastBaud?: number;
  /** Highest RF bit rate to negotiate (106, 212 or 424; default 424). */
  maxBitRate?: number;
  /** Longest R-APDU joined from MI parts (default MAX_R_APDU): the buffer they are joined in is
   * this long, so a board that reads smaller blocks (BoardConfig.maxRead) holds less. */
  maxResponse?: number;
}

/** The PN532 bus of a per-board device bundle (esbuild define, tools/bundler.ts); '' in the
 * portable bundle, undefined under Node. Only HSU changes speed (SetSerialBaudRate): the I2C
 * and SPI device bundles leave that code out. Written out at each use (esbuild folds the
 * define, not a constant made of it). */
declare const NFC_BUS: string;

const enum STATE {
  IDLE = 0,
  WAIT_ACK = 1,
  WAIT_RESPONSE = 2,
}

/** Configuration after wake-up, in order (PD bytes). */
const SETUP_COMMANDS = [
  // SetParameters: automatic ATR_RES and RATS, so the chip runs ISO-DEP (libnfc sends 0x14).
  [CMD.SET_PARAMETERS, PARAM.AUTOMATIC_ATR_RES | PARAM.AUTOMATIC_RATS],
  // MaxRetries: ATR 0, PSL 1, passive activation 2, so InListPassiveTarget returns promptly
  // when no card is there (libnfc uses 00 01 02 around its polls); we poll repeatedly.
  [CMD.RF_CONFIGURATION, RF_ITEM.MAX_RETRIES, 0x00, 0x01, 0x02],
  // Timings: RFU, ATR_RES 102.4 ms, retry 51.2 ms (the defaults, stated).
  [CMD.RF_CONFIGURATION, RF_ITEM.TIMINGS, 0x00, 0x0b, 0x0a],
  // RF field on.
  [CMD.RF_CONFIGURATION, RF_ITEM.FIELD, 0x01],
];

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16).toUpperCase();
}

/** The Pn532Error for an InDataExchange / InPSL / InRelease status byte. */
export function statusError(status: number): Pn532Error {
  const code = status & STATUS_ERROR_MASK;
  const text = 'PN532 status 0x' + hex2(code);
  return new Pn532Error(RF_ERRORS.indexOf(code) >= 0 ? 'card-lost' : 'pn532-error', text);
}

/** Highest bit-rate index (0 = 106, 1 = 212, 2 = 424) a type A card offers both ways (ATS TA(1)). */
export function atsBitRateIndex(ats: Uint8Array, offset: number, length: number, limit: number): number {
  if (length < 3) return 0; // TL T0 TA
  const t0 = ats[offset + 1];
  if (!(t0 & 0x10)) return 0;
  const ta = ats[offset + 2];
  for (let k = limit; k > 0; k--) {
    // DR (PCD -> PICC) bit k-1, DS (PICC -> PCD) bit k+3.
    if ((ta & (1 << (k - 1))) && (ta & (0x10 << (k - 1)))) return k;
  }
  return 0;
}

export class Pn532 implements ApduChannel {
  /** GetFirmwareVersion as IC<<24 | Ver<<16 | Rev<<8 | Support; 0 until the chip answered. */
  firmware: number;
  /** The card InListPassiveTarget found last (null: none). */
  target: Target | null;
  /** APDUs exchanged since the counter was last cleared. */
  apdus: number;
  private _io: Pn532Io;
  private _timers: Timers;
  private _fastBaud: number;
  private _baseBaud: number;
  private _bitRateLimit: number;
  /** The command frame; its PD is written at PD_AT and framed in place (buildFrame). */
  private _tx: Uint8Array;
  /** The command code of the frame in _tx. */
  private _code: number;
  private _frameLength: number;
  private _parsed: ParsedFrame;
  private _state: STATE;
  private _expectCode: number;
  private _responseTimeout: number;
  private _tries: number;
  private _nacks: number;
  private _timer: unknown;
  private _callback: ResponseCallback | null;
  private _asleep: boolean;
  /** The last failure was a response timeout after the ACK (the chip is alive). */
  private _ackSeen: boolean;
  /** The last frame never left (the bus refused it), so resending cannot replay anything. */
  private _undelivered: boolean;
  private _apduCallback: ApduCallback | null;
  /** MI parts joined so far, in one buffer of _maxResponse made at the first part with MI: a
   * 2 KB answer never holds its parts twice (growing a copy per part held ~3.9 KB at the last). */
  private _apduParts: Uint8Array | null;
  private _apduLength: number;
  private _maxResponse: number;
  private _onExchangeBound: ResponseCallback;

  constructor(io: Pn532Io, timers: Timers, options?: Pn532Options) {
    const o = options || {};
    this._io = io;
    this._timers = timers;
    this._fastBaud = o.fastBaud || 0;
    this._baseBaud = io.baud || 0;
    const limit = PSL_BR.indexOf(o.maxBitRate || 424);
    this._bitRateLimit = limit < 0 ? PSL_BR.length - 1 : limit;
    this._tx = new Uint8Array(MAX_FRAME); // PD_AT + MAX_PD + DCS + postamble
    this._code = 0;
    this._frameLength = 0;
    this._parsed = newParsedFrame();
    this._state = STATE.IDLE;
    this._expectCode = 0;
    this._responseTimeout = 0;
    this._tries = 0;
    this._nacks = 0;
    this._timer = null;
    this._callback = null;
    this._asleep = true; // C106 starts in LowVbat
    this._ackSeen = false;
    this._undelivered = false;
    this.firmware = 0;
    this.target = null;
    this.apdus = 0;
    this._apduCallback = null;
    this._apduParts = null;
    this._apduLength = 0;
    this._maxResponse = o.maxResponse || MAX_R_APDU;
    this._onExchangeBound = (err, r) => this._onExchange(err, r);
    io.onFrame = (buf, start, end) => this._onFrame(buf, start, end);
  }

  /** A command is running. */
  get busy(): boolean {
    return this._state !== STATE.IDLE;
  }

  // ---- one command --------------------------------------------------------------------------

  /** Sends `length` PD bytes already in `this._tx` at PD_AT (command code first). */
  private _exec(length: number, timeoutMs: number, callback: ResponseCallback): void {
    if (this._state !== STATE.IDLE) {
      callback(new Pn532Error('internal', 'PN532 busy'), null);
      return;
    }
    this._callback = callback;
    this._code = this._tx[PD_AT];
    this._expectCode = (this._code + 1) & 0xff;
    this._responseTimeout = timeoutMs;
    this._tries = 0;
    this._nacks = 0;
    this._ackSeen = false;
    this._frameLength = buildFrame(this._tx, TFI.HOST, this._tx, PD_AT, length);
    this._transmit();
  }

  /** Runs a command given as a list of PD bytes. */
  command(pd: number[], timeoutMs: number, callback: ResponseCallback): void {
    for (let i = 0; i < pd.length; i++) this._tx[PD_AT + i] = pd[i];
    this._exec(pd.length, timeoutMs, callback);
  }

  private _transmit(): void {
    const wake = this._asleep;
    this._asleep = false;
    this._state = STATE.WAIT_ACK;
    // The frame's time on the wire counts on HSU only (txMillis is 0 on I2C and SPI).
    const tx = typeof NFC_BUS === 'undefined' || !NFC_BUS || NFC_BUS === 'hsu' ? this._io.txMillis(this._frameLength + (wake ? HSU_WAKE_UP_LENGTH : 0)) : 0;
    this._arm(TIMING.ACK + (wake ? TIMING.SPI_WAKE : 0) + tx, () => this._onAckTimeout());
    this._undelivered = false;
    try {
      this._io.send(this._tx.subarray(0, this._frameLength), wake);
    } catch (e) { // eslint-disable-line @typescript-eslint/no-unused-vars -- Espruino needs the binding
      // The bus refused the frame (an I2C address nobody acknowledges: a dead or unpowered
      // chip). Nothing reached the PN532; the ACK timeout retries and then says pn532-silent.
      this._undelivered = true;
      return;
    }
    this._io.receive(ACK_LENGTH);
  }

  private _arm(ms: number, fn: () => void): void {
    this._disarm();
    this._timer = this._timers.setTimeout(() => {
      this._timer = null;
      fn();
    }, ms);
  }

  private _disarm(): void {
    if (this._timer !== null) this._timers.clearTimeout(this._timer);
    this._timer = null;
  }

  private _onAckTimeout(): void {
    if (this._code === CMD.IN_DATA_EXCHANGE && !this._undelivered) {
      // The chip is awake (a card was listed) and the ACK may be what got lost while the command
      // runs: a resend would make the card execute the APDU twice, and under secure messaging
      // the replay breaks the session. Wait for the answer instead; if none comes, the response
      // timeout fails the exchange and the read session recovers (re-authentication).
      this._state = STATE.WAIT_RESPONSE;
      this._arm(this._responseTimeout, () => this._onResponseTimeout());
      this._io.receive(MAX_FRAME);
      return;
    }
    this._io.stop();
    if (this._tries < RETRIES.COMMAND) {
      // Asleep (PowerDown, or a chip that was reset): wake it and say it again.
      this._tries++;
      this._asleep = true;
      this._transmit();
      return;
    }
    this._asleep = true;
    this._finish(this._failure('pn532-silent', 'no ACK'), null);
  }

  private _onResponseTimeout(): void {
    this._io.stop();
    this._io.send(ACK_FRAME, false); // abort the command
    this._ackSeen = true;
    this._finish(this._failure('pn532-silent', 'no answer'), null);
  }

  private _onFrame(buf: Uint8Array, start: number, end: number): void {
    if (this._state === STATE.IDLE) return;
    const p = this._parsed;
    const kind = parseFrame(buf, start, end, p);
    if (this._state === STATE.WAIT_ACK) {
      if (kind === FRAME.ACK || kind === FRAME.CORRUPT) {
        // A damaged frame where the ACK belongs is taken for the ACK: the response follows.
        this._state = STATE.WAIT_RESPONSE;
        this._arm(this._responseTimeout, () => this._onResponseTimeout());
        this._io.receive(MAX_FRAME);
      } else if (kind === FRAME.ERROR) {
        this._finish(this._failure('pn532-error', 'rejected'), null);
      } else if (kind === FRAME.DATA && p.tfi === TFI.CHIP && p.pdLength > 0 && buf[p.pd] === this._expectCode) {
        // The answer with its ACK lost on the way.
        this._finish(null, buf.subarray(p.pd, p.pd + p.pdLength));
      } else if ((typeof NFC_BUS === 'undefined' || NFC_BUS !== 'hsu') && kind === FRAME.INCOMPLETE) {
        // I2C read an ACK's worth of an answer whose ACK was lost, and a read takes the frame off the
        // chip: ask for it again, whole (SPI reads frames whole, see spi.ts; HSU hands up only
        // whole frames, so its device bundle leaves this out).
        this._state = STATE.WAIT_RESPONSE;
        this._arm(this._responseTimeout, () => this._onResponseTimeout());
        this._io.send(NACK_FRAME, false);
        this._io.receive(MAX_FRAME);
      } else {
        // A stale response to an earlier command (resent after our NACK): not ours.
        this._io.receive(ACK_LENGTH);
      }
      return;
    }
    // WAIT_RESPONSE
    if (kind === FRAME.DATA && p.tfi === TFI.CHIP && p.pdLength > 0 && buf[p.pd] === this._expectCode) {
      this._finish(null, buf.subarray(p.pd, p.pd + p.pdLength));
    } else if (kind === FRAME.ERROR) {
      this._finish(this._failure('pn532-error', 'rejected'), null);
    } else if (kind === FRAME.ACK || kind === FRAME.DATA) {
      this._io.receive(MAX_FRAME); // a repeated ACK or a stray frame: keep waiting
    } else if (this._nacks < RETRIES.NACK) {
      this._nacks++;
      this._io.send(NACK_FRAME, false);
      this._io.receive(MAX_FRAME);
    } else {
      this._io.send(ACK_FRAME, false);
      this._finish(this._failure('pn532-error', 'corrupt'), null);
    }
  }

  /** An error naming the running command: 'PN532 4A: no ACK'. */
  private _failure(code: string, what: string): Pn532Error {
    return new Pn532Error(code, 'PN532 ' + hex2(this._expectCode - 1) + ': ' + what);
  }

  private _finish(err: Pn532Error | null, response: Uint8Array | null): void {
    this._disarm();
    this._io.stop();
    this._state = STATE.IDLE;
    const cb = this._callback;
    this._callback = null;
    if (cb) cb(err, response);
  }

  /** Aborts the running command (a host ACK; used to stop a pending InListPassiveTarget). Its
   * callback gets 'cancelled'. Nothing happens when idle. */
  abort(): void {
    if (this._state === STATE.IDLE) return;
    this._disarm();
    this._io.stop();
    this._io.send(ACK_FRAME, false);
    this._finish(new Pn532Error('cancelled', 'aborted'), null);
  }

  // ---- set-up ----------------------------------------------------------------------------------

  /**
   * Wakes the chip and brings it to a known state: SAMConfiguration (normal mode), firmware check
   * (IC 0x32), ISO-DEP parameters, RF retries and timings, field on; on HSU then the fast baud.
   * When the chip stays silent, the set-up starts over once (at the other speed on HSU).
   */
  begin(callback: DoneCallback): void {
    this._asleep = true;
    this.target = null;
    this._setup(0, (err) => {
      if (!err || err.code !== 'pn532-silent') {
        callback(err);
        return;
      }
      // Silent at some step: the chip may have been reset on the way (RSTPD_N, a brown-out). It
      // is then in LowVbat, where it takes nothing but SAMConfiguration, so resending the step
      // cannot help: the set-up starts over once, woken. On HSU a reset also means the base
      // speed, and a chip silent from the start may be at the other one: that speed is tried.
      const io = this._io;
      if ((typeof NFC_BUS === 'undefined' || !NFC_BUS || NFC_BUS === 'hsu') && io.setBaud && this._fastBaud && this._baseBaud && this._fastBaud !== this._baseBaud) {
        io.setBaud(io.baud === this._baseBaud ? this._fastBaud : this._baseBaud);
      }
      this._asleep = true;
      this._setup(0, callback);
    });
  }

  private _setup(step: number, callback: DoneCallback): void {
    if (step === 0) {
      // SAMConfiguration: normal mode, timeout 1 s (virtual card only), IRQ line on.
      this.command([CMD.SAM_CONFIGURATION, 0x01, 0x14, 0x01], TIMING.RESPONSE, (err) => {
        if (err) callback(err);
        else this._setup(1, callback);
      });
    } else if (step === 1) {
      this.command([CMD.GET_FIRMWARE_VERSION], TIMING.RESPONSE, (err, r) => {
        if (err || !r) {
          callback(err);
          return;
        }
        if (r.length < 5) {
          callback(this._failure('pn532-error', 'short'));
          return;
        }
        this.firmware = ((r[1] << 24) | (r[2] << 16) | (r[3] << 8) | r[4]) >>> 0;
        if (r[1] !== PN532_IC) callback(new Pn532Error('unsupported', 'NFC chip IC 0x' + hex2(r[1]) + ' is not a PN532'));
        else this._setup(2, callback);
      });
    } else if (step - 2 < SETUP_COMMANDS.length) {
      this.command(SETUP_COMMANDS[step - 2], TIMING.RESPONSE, (err) => {
        if (err) callback(err);
        else this._setup(step + 1, callback);
      });
    } else if (typeof NFC_BUS === 'undefined' || !NFC_BUS || NFC_BUS === 'hsu') {
      this._switchBaud(callback);
    } else callback(null);
  }

  /** HSU: SetSerialBaudRate to the fast speed. The reply comes at the old speed; our ACK ends
   * the command, then both sides switch (nfcpy set_serial_baudrate). */
  private _switchBaud(callback: DoneCallback): void {
    const io = this._io;
    const br = HSU_BAUDS.indexOf(this._fastBaud);
    if (!io.setBaud || br < 0 || io.baud === this._fastBaud) {
      callback(null);
      return;
    }
    this.command([CMD.SET_SERIAL_BAUD_RATE, br], TIMING.RESPONSE, (err) => {
      if (err) {
        callback(err);
        return;
      }
      io.send(ACK_FRAME, false);
      this._timers.setTimeout(() => {
        if (io.setBaud) io.setBaud(this._fastBaud);
        callback(null);
      }, io.txMillis(ACK_FRAME.length) + 1);
    });
  }

  // ---- targets ------------------------------------------------------------------------------------

  /** One InListPassiveTarget for a type A (or B) card. Calls back with null when none answered
   * within the chip's retries. */
  listPassiveTarget(typeB: boolean, callback: (err: Pn532Error | null, target: Target | null) => void, again?: boolean): void {
    const pd = typeB ? [CMD.IN_LIST_PASSIVE_TARGET, 0x01, BR_TY.TYPE_B_106, 0x00] : [CMD.IN_LIST_PASSIVE_TARGET, 0x01, BR_TY.TYPE_A_106];
    this.target = null;
    this.command(pd, TIMING.RESPONSE, (err, r) => {
      if (err) {
        // No answer after the ACK: the chip is still polling; our ACK stopped it. No card.
        if (err.code === 'pn532-silent' && this._ackSeen) callback(null, null);
        // No ACK, woken and asked twice: the chip may have been reset since the set-up (RSTPD_N,
        // a brown-out), and is then in LowVbat, where it takes nothing but SAMConfiguration (on
        // HSU at the base speed). The set-up once more, then the poll again.
        else if (err.code === 'pn532-silent' && !again) this.begin((e) => (e ? callback(e, null) : this.listPassiveTarget(typeB, callback, true)));
        else callback(err, null);
        return;
      }
      if (!r || r.length < 2 || r[1] === 0) {
        callback(null, null);
        return;
      }
      const t: Target = { tg: r[2], type: typeB ? 'B' : 'A', sak: 0x20, maxBitRate: 106 };
      if (!typeB) {
        // Tg SENS_RES(2) SEL_RES NFCIDLength NFCID1 [ATS]
        if (r.length < 7 || r.length < 7 + r[6]) {
          callback(this._failure('pn532-error', 'short'), null);
          return;
        }
        t.sak = r[5];
        const atsAt = 7 + r[6];
        const atsLength = r.length - atsAt;
        if (atsLength > 0) t.maxBitRate = PSL_BR[atsBitRateIndex(r, atsAt, Math.min(atsLength, r[atsAt]), this._bitRateLimit)];
      }
      this.target = t;
      callback(null, t);
    });
  }

  /** InPSL to the target's highest common bit rate; nothing to do at 106 kbit/s. A refused PSL
   * leaves the link at 106, which still works. */
  selectBitRate(callback: DoneCallback): void {
    const t = this.target;
    const br = t ? PSL_BR.indexOf(t.maxBitRate) : 0;
    if (!t || br <= 0 || t.type !== 'A') {
      callback(null);
      return;
    }
    this.command([CMD.IN_PSL, t.tg, br, br], TIMING.RESPONSE, (err, r) => {
      if (err) callback(err);
      else {
        if (!r || r.length < 2 || (r[1] & STATUS_ERROR_MASK) !== 0) t.maxBitRate = 106;
        callback(null);
      }
    });
  }

  /** InRelease of every target, then the RF field off. Errors are reported, state is cleared. */
  release(callback: DoneCallback): void {
    this.target = null;
    this.command([CMD.IN_RELEASE, 0x00], TIMING.RESPONSE, (err) => {
      if (err) {
        callback(err);
        return;
      }
      this.command([CMD.RF_CONFIGURATION, RF_ITEM.FIELD, 0x00], TIMING.RESPONSE, (e2) => callback(e2));
    });
  }

  /** PowerDown, woken by any host bus; the next command wakes the chip first. */
  powerDown(callback: DoneCallback): void {
    this.command([CMD.POWER_DOWN, WAKE_ALL_HOST_BUSES], TIMING.RESPONSE, (err) => {
      this._asleep = true;
      callback(err);
    });
  }

  // ---- the card: ApduChannel over InDataExchange -------------------------------------------------

  /** Sends a C-APDU (at most 262 bytes) to the activated target; the R-APDU (a fresh array)
   * arrives whole, however many MI parts the chip delivered it in. */
  transceive(apdu: Uint8Array, callback: ApduCallback): void {
    const t = this.target;
    if (!t) {
      callback(new Pn532Error('card-lost', 'no card activated'), null);
      return;
    }
    if (apdu.length > MAX_PD - 2) {
      callback(new Pn532Error('internal', 'C-APDU over 262 bytes'), null);
      return;
    }
    const tx = this._tx;
    tx[PD_AT] = CMD.IN_DATA_EXCHANGE;
    tx[PD_AT + 1] = t.tg;
    tx.set(apdu, PD_AT + 2);
    this._apduCallback = callback;
    this._apduParts = null;
    this.apdus++;
    this._exec(apdu.length + 2, TIMING.DATA_EXCHANGE, this._onExchangeBound);
  }

  private _onExchange(err: Pn532Error | null, r: Uint8Array | null): void {
    const cb = this._apduCallback;
    if (!cb) return;
    if (err || !r || r.length < 2) {
      this._apduCallback = null;
      this._apduParts = null;
      cb(err || this._failure('pn532-error', 'short'), null);
      return;
    }
    const status = r[1];
    if (status & STATUS_ERROR_MASK) {
      this._apduCallback = null;
      this._apduParts = null;
      cb(statusError(status), null);
      return;
    }
    const part = r.subarray(2);
    let parts = this._apduParts;
    if (!parts && !(status & STATUS_MI)) {
      // One part: a copy (Espruino's typed-array slice() gives an Array), and only the callee
      // holds it: this frame keeps no name for it while secure messaging and the file reader work.
      this._apduCallback = null;
      cb(null, new Uint8Array(part));
      return;
    }
    const at = parts ? this._apduLength : 0;
    const max = this._maxResponse;
    if (at + part.length > max) {
      // A card that keeps saying "more" (or answers far beyond any Le we send) must not take
      // the device's memory: no READ BINARY answer we ask for is longer than this.
      this._apduCallback = null;
      this._apduParts = null;
      cb(new Pn532Error('too-large', 'R-APDU over ' + max + ' bytes'), null);
      return;
    }
    if (!parts) parts = this._apduParts = new Uint8Array(max);
    parts.set(part, at);
    this._apduLength = at + part.length;
    parts = null;
    if (status & STATUS_MI) {
      // The card has more: an empty InDataExchange fetches the next part.
      this._tx[PD_AT] = CMD.IN_DATA_EXCHANGE;
      this._tx[PD_AT + 1] = this.target ? this.target.tg : 1;
      this._exec(2, TIMING.DATA_EXCHANGE, this._onExchangeBound);
      return;
    }
    // The answer is a view of the joined parts; only the callee holds it (as above).
    this._apduCallback = null;
    cb(null, this._takeParts());
  }

  private _takeParts(): Uint8Array {
    const whole = this._apduParts!.subarray(0, this._apduLength);
    this._apduParts = null;
    return whole;
  }
}
