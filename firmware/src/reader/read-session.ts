// One read, from the host's `read` to its `result` or `error`: a small explicit state machine
// driven by callbacks (Espruino has no async/await).
//
//   IDLE --read--> check MRZ (invalid-mrz, no radio) --> WAKING (PN532 begin)
//     --> POLLING (InListPassiveTarget A, then B; 'waiting-for-card' every 500 ms; no-card)
//     --> CONNECTING (InPSL) --> AUTHENTICATING (access-control.ts: EF.CardAccess and PACE, or
//         SELECT eMRTD application and BAC) --> READING (EF.COM, EF.SOD, DG1, requested DGs in
//         EF.COM; Chip Authentication right after DG14 when it holds a key we can use; then
//         INTERNAL AUTHENTICATE when the host sent a challenge and DG15 was read)
//
// Chips that are not ours (READING): a plain error status under SM ends the SM session (its SSC
// is unknown); the next command first runs BAC again (_smSend), so readFile's fall-back from a
// short EF identifier to SELECT goes on. An EF.COM that is missing or does not parse: DG1, DG2
// and the requested groups, and a group the chip does not have (6A82) is skipped. A missing or
// empty EF.SOD: the groups are read unchecked (the host says no-security-object).
//     --> RELEASING (InRelease, field off, PowerDown) --> final message --> IDLE
//
// Resume: a card lost after it was found (CONNECTING, AUTHENTICATING, READING) wipes the SM keys,
// releases the field and goes back to POLLING for at most RESUME_WINDOW_MS ('card-lost'
// heartbeats). When a card answers it must pass BAC with the same K_seed (another passport is
// refused: error card-lost); then 'resumed' and the interrupted file goes on from its last
// delivered (MAC-verified) byte with the same FileStreamer, whose hash/extractor state carries
// on: the host gets every byte once, and finished files are not read again.
//
// Any other failure or a cancel jumps to RELEASING with a typed error. K_seed lives until the
// read ends (a resume needs it); the SM keys are wiped at a loss and in RELEASING.

import { FILE, type DeviceMessage, type ReadMessage } from '@epassport/protocol';
import { createHash } from '../crypto/hash';
import type { AheadSource, ApduCallback, ApduChannel } from '../icao/apdu-channel';
import { internalAuthenticateApdu } from '../icao/commands';
import { MAX_EF_COM, parseEfCom } from '../icao/ef-com';
import { SodHashExtractor } from '../icao/ef-sod';
import { IcaoError, SW, asIcaoError, statusWord } from '../icao/errors';
import { readFile } from '../icao/file-reader';
import { SFI_COM, SFI_SOD } from '../icao/lds';
import { deriveKeySeed } from '../icao/mrz-key';
import { bacAccess, type AccessFactory, type ChipAccess, type SmSession } from './chip-access';
import type { DoneCallback, Target } from '../pn532/pn532';
import type { Timers } from '../timers';
import { FileStreamer } from './file-streamer';
import { GatedChannel } from './gated-channel';
import type { HostOut } from './host-out';

/** What the session needs of the PN532 driver (pn532.ts). */
export interface ReaderChip extends ApduChannel {
  readonly busy: boolean;
  apdus: number;
  begin(callback: DoneCallback): void;
  listPassiveTarget(typeB: boolean, callback: (err: IcaoError | null, target: Target | null) => void): void;
  selectBitRate(callback: DoneCallback): void;
  release(callback: DoneCallback): void;
  powerDown(callback: DoneCallback): void;
  abort(): void;
}

export interface ReadSessionOptions {
  chip: ReaderChip;
  host: HostOut;
  timers: Timers;
  /** n random bytes (the board's hardware RNG) for BAC. */
  random: (n: number) => Uint8Array;
  /** Poll for type B cards too (default true). */
  typeB?: boolean;
  /** Called each time a read has ended and the session is idle again. */
  onIdle?: () => void;
  /** Pipelined READ BINARY (readFile's `pipeline`; BoardConfig.pipeline). Default false. */
  pipeline?: boolean;
  /** Largest READ BINARY block (readFile's `extendedBlock`; BoardConfig.maxRead). Default 2,048. */
  maxRead?: number;
  /** How the chip is opened (chip-access.ts); default BAC only. main-pace.ts passes PACE's. */
  access?: AccessFactory | null;
}

export const enum READ_DEFAULTS {
  /** Card timeout when the host gives 0. */
  CARD_TIMEOUT_MS = 30000,
  /** 'waiting-for-card' heartbeat. */
  HEARTBEAT_MS = 500,
  /** Pause between two polling rounds (A and B). */
  POLL_GAP_MS = 50,
  /** Link frames that must be free before a READ BINARY (its chunk, plus a file-begin or end). */
  ROOM_SLOTS = 2,
  /** Largest EF.SOD and data group accepted. */
  MAX_SOD = 32768,
  MAX_DG = 131072,
  /** DG14 kept for Chip Authentication (real ones: 300-1,500 bytes). */
  MAX_DG14 = 2048,
  /** How long a passport lost mid-read may take to come back (resume). */
  RESUME_WINDOW_MS = 10000,
}

const enum STATE {
  IDLE = 0,
  WAKING = 1,
  POLLING = 2,
  CONNECTING = 3,
  AUTHENTICATING = 4,
  READING = 5,
  RELEASING = 6,
}

/** Whether this bundle can run Chip Authentication (esbuild define, tools/bundler.ts): false in
 * the bundles built from main.ts, whose chip access (BAC) has none, so that its code is left out
 * of them (written out at each use: esbuild folds the define, not a constant made of it);
 * undefined under Node. */
declare const WITH_CHIP_AUTH: boolean;

/** EAC-protected groups (fingerprints, iris): a BAC reader is refused them; skipped quietly. */
const EAC_GROUPS = [3, 4];

export class ReadSession {
  private _chip: ReaderChip;
  private _host: HostOut;
  private _timers: Timers;
  private _onIdle: (() => void) | undefined;
  private _random: (n: number) => Uint8Array;
  private _pollTypeB: boolean;
  private _state: STATE;
  private _silent!: boolean;
  private _seed!: Uint8Array | null;
  private _sm!: SmSession | null;
  private _accessFactory: AccessFactory;
  private _access?: ChipAccess;
  /** The Chip Authentication outcome for the result: 'none', 'ok' or 'failed'. */
  private _chipAuth?: string;
  /** DG14 while Chip Authentication is due (it runs again after a resume). */
  private _caDg14?: Uint8Array | null;
  private _plain!: GatedChannel | null;
  private _secure!: GatedChannel | null;
  private _wanted!: number[];
  private _queue!: number[];
  private _timeoutMs!: number;
  private _startedAt!: number;
  private _pollStartedAt!: number;
  private _lastBeat!: number;
  private _nextTypeB!: boolean;
  private _pollTimer: unknown;
  private _chipAwake!: boolean;
  private _file!: FileStreamer | null;
  /** The current file's limit and what follows it (kept for a resume). */
  private _max!: number;
  private _next: () => void;
  /** When the card was lost (waiting for it to come back), else -1. */
  private _lostAt!: number;
  /** The module fell silent once this read and was taken for reset (_fail). */
  private _revived!: boolean;
  private _files!: number[];
  private _bytesRead!: number;
  private _allMatch!: boolean;
  private _firstMismatch!: number;
  private _hashName!: string;
  private _sodHashes!: { [dataGroup: number]: Uint8Array } | null;
  /** The host's Active Authentication challenge (null: none); set while AA is due (resume). */
  private _challenge!: Uint8Array | null;
  private _aaDue!: boolean;
  /** EF.COM was missing or did not parse: groups are guessed, a missing one is skipped. */
  private _guessed!: boolean;
  private _smChannel: ApduChannel;
  private _pipeline: boolean;
  private _maxRead: number | undefined;
  /** The reader's source of commands sent ahead, handed to each SM session it uses. */
  private _ahead: AheadSource | null;
  private _pollBound: () => void;
  private _onTargetBound: (err: IcaoError | null, target: Target | null) => void;
  private _callNextBound: () => void;
  private _deferBound: (fn: () => void) => void;

  constructor(options: ReadSessionOptions) {
    // A read's own fields are set by start() (or the step that first needs them), not here: each
    // initialiser is flash (issue #14).
    this._chip = options.chip;
    this._host = options.host;
    this._timers = options.timers;
    this._onIdle = options.onIdle;
    this._random = options.random;
    this._pollTypeB = options.typeB !== false;
    this._state = STATE.IDLE;
    this._accessFactory = options.access || bacAccess;
    this._pollTimer = null;
    this._pollBound = () => this._poll();
    this._next = this._pollBound;
    this._pipeline = options.pipeline === true;
    this._maxRead = options.maxRead;
    this._ahead = null;
    this._smChannel = { transceive: (apdu, cb) => this._smSend(apdu, cb) };
    if (this._pipeline) this._smChannel.setAhead = (source) => {
      this._ahead = source;
      if (this._sm) this._sm.setAhead(source);
    };
    this._onTargetBound = (err, target) => this._onTarget(err, target);
    this._callNextBound = () => this._callNext();
    this._deferBound = (fn) => this._timers.setTimeout(fn, 0);
  }

  /** A read is running (until its final message has been sent). */
  get busy(): boolean {
    return this._state !== STATE.IDLE;
  }

  /** The host's `read`. A second one while busy is answered 'busy' and changes nothing. */
  start(request: ReadMessage): void {
    if (this._state !== STATE.IDLE) {
      this._host.send({ type: 'error', code: 'busy', sw: 0, fileId: 0, message: '' });
      return;
    }
    let seed: Uint8Array;
    let access: ChipAccess;
    try {
      const mrz = {
        documentNumber: request.documentNumber,
        dateOfBirth: request.dateOfBirth,
        dateOfExpiry: request.dateOfExpiry,
        checkDigits: request.checkDigits || undefined,
      };
      seed = deriveKeySeed(mrz);
      this._plain = new GatedChannel(this._chip, this._host, 0);
      access = this._accessFactory(this._plain, seed, mrz, this._random);
    } catch (e) {
      const err = asIcaoError(e);
      this._host.send({ type: 'error', code: err.code === 'internal' ? 'invalid-mrz' : err.code, sw: 0, fileId: 0, message: err.message });
      return;
    }
    this._seed = seed;
    this._silent = false;
    this._sm = null;
    this._access = access;
    this._chipAuth = ''; // absent on the result: 'none'
    this._caDg14 = null;
    this._secure = null;
    this._wanted = request.dataGroups.slice();
    const c = request.challenge;
    // A copy as a Uint8Array: on Espruino a typed array's slice() is a plain Array.
    this._challenge = c && c.length === 8 ? new Uint8Array(c) : null;
    this._aaDue = false;
    this._guessed = false;
    this._queue = [];
    this._timeoutMs = request.cardTimeoutMs > 0 ? request.cardTimeoutMs : READ_DEFAULTS.CARD_TIMEOUT_MS;
    this._startedAt = this._timers.now();
    this._files = [];
    this._bytesRead = 0;
    this._allMatch = true;
    this._firstMismatch = 0;
    this._sodHashes = null;
    this._file = null;
    this._lostAt = -1;
    this._revived = false;
    this._chip.apdus = 0;
    this._state = STATE.WAKING;
    this._chip.begin((err) => {
      if (this._state !== STATE.WAKING) return;
      this._chipAwake = !err;
      if (err) this._end(err);
      else this._startPolling();
    });
  }

  /** The host's `cancel`: the read ends after the APDU in flight with error{cancelled}. */
  cancel(): void {
    this._stop(false);
  }

  /** The host's `reset` (or a new hello): the read ends without a final message. */
  abort(): void {
    this._stop(true);
  }

  private _stop(silent: boolean): void {
    if (this._state === STATE.IDLE) return;
    if (silent) this._silent = true;
    if (this._state === STATE.RELEASING) return;
    const reason = new IcaoError('cancelled', '');
    if (this._plain) this._plain.stop(reason);
    if (this._secure) this._secure.stop(reason);
    if (this._state === STATE.POLLING || this._state === STATE.WAKING) {
      if (this._pollTimer !== null) this._timers.clearTimeout(this._pollTimer);
      this._pollTimer = null;
      if (this._chip.busy) this._chip.abort(); // its callback ends the read
      else this._end(reason);
    }
  }

  // ---- waiting for a card ------------------------------------------------------------------------

  private _startPolling(): void {
    this._state = STATE.POLLING;
    this._pollStartedAt = this._timers.now();
    this._lastBeat = this._pollStartedAt;
    this._nextTypeB = false;
    this._host.report({ type: 'progress', phase: 'waiting-for-card', fileId: 0, done: 0, total: this._timeoutMs });
    this._poll();
  }

  private _poll(): void {
    this._pollTimer = null;
    if (this._state !== STATE.POLLING) return;
    const stopped = this._plain!.stopped;
    if (stopped) {
      this._end(stopped); // cancelled while the field was being released
      return;
    }
    const now = this._timers.now();
    const lost = this._lostAt;
    const elapsed = now - (lost < 0 ? this._pollStartedAt : lost);
    if (elapsed >= (lost < 0 ? this._timeoutMs : READ_DEFAULTS.RESUME_WINDOW_MS)) {
      this._end(new IcaoError(lost < 0 ? 'no-card' : 'card-lost', ''));
      return;
    }
    if (now - this._lastBeat >= READ_DEFAULTS.HEARTBEAT_MS) {
      this._lastBeat = now;
      this._host.report(lost < 0 ? { type: 'progress', phase: 'waiting-for-card', fileId: 0, done: Math.floor(elapsed), total: this._timeoutMs } : this._at('card-lost'));
    }
    this._chip.listPassiveTarget(this._nextTypeB, this._onTargetBound);
  }

  private _onTarget(err: IcaoError | null, target: Target | null): void {
    if (this._state !== STATE.POLLING) return;
    if (err) {
      this._end(err);
      return;
    }
    if (!target) {
      const wasB = this._nextTypeB;
      this._nextTypeB = this._pollTypeB && !wasB;
      this._pollTimer = this._timers.setTimeout(this._pollBound, wasB || !this._pollTypeB ? READ_DEFAULTS.POLL_GAP_MS : 0);
      return;
    }
    if (!(target.sak & 0x20)) {
      this._fail(new IcaoError('unsupported', 'not ISO 14443-4'));
      return;
    }
    this._connect();
  }

  // ---- connecting and BAC -----------------------------------------------------------------------

  private _connect(): void {
    this._state = STATE.CONNECTING;
    this._host.report({ type: 'progress', phase: 'connecting', fileId: 0, done: 0, total: 0 });
    this._chip.selectBitRate((err) => {
      if (this._state !== STATE.CONNECTING) return;
      if (err) this._fail(err);
      else this._authenticate();
    });
  }

  private _authenticate(): void {
    this._state = STATE.AUTHENTICATING;
    this._host.report({ type: 'progress', phase: 'authenticating', fileId: 0, done: 0, total: 0 });
    this._access!.open((err, sm) => {
      if (this._state !== STATE.AUTHENTICATING) {
        if (sm) sm.wipe();
        return;
      }
      if (err || !sm) {
        this._fail(err || new IcaoError('internal', 'BAC'));
        return;
      }
      this._sm = sm;
      this._secure = new GatedChannel(this._smChannel, this._host, READ_DEFAULTS.ROOM_SLOTS, this._deferBound);
      this._state = STATE.READING;
      if (this._lostAt >= 0) {
        this._lostAt = -1;
        this._host.send(this._at('resumed'));
      }
      if (this._file) this._readOn();
      else if ((typeof WITH_CHIP_AUTH === 'undefined' || WITH_CHIP_AUTH) && this._caDg14) this._runChipAuth();
      else if (this._aaDue) this._activeAuth();
      else this._readCom();
    });
  }

  /** Through the SM session; when a plain error has ended it, PACE or BAC again first. */
  private _smSend(apdu: Uint8Array, callback: ApduCallback): void {
    const sm = this._sm;
    if (sm && sm.isOpen()) {
      sm.setAhead(this._ahead);
      sm.transceive(apdu, callback);
      return;
    }
    this._access!.reopen((err, fresh) => {
      if (this._state !== STATE.READING || err || !fresh) {
        if (fresh) fresh.wipe();
        callback(err || new IcaoError('cancelled', ''), null);
        return;
      }
      this._sm = fresh;
      fresh.transceive(apdu, callback);
    });
  }

  // ---- losing the card, and getting it back ----------------------------------------------------

  /** A failure while talking to the card. A lost card is waited for (resume); during a resume,
   * a card that is not the same passport (BAC refused, not an eMRTD) ends the read card-lost.
   * A module silent mid-read has most likely been reset (RSTPD_N, a brown-out): its field went
   * down, so the passport restarted too. Once per read that is a lost card as well: the poll sets
   * the module up again (Pn532.listPassiveTarget), then BAC, and the file goes on. */
  private _fail(err: IcaoError): void {
    const code = err.code;
    const revive = code === 'pn532-silent' && !this._revived;
    if ((code === 'card-lost' || revive) && !this._plain!.stopped) {
      if (revive) this._revived = true;
      this._lose();
      return;
    }
    this._end(this._lostAt >= 0 && (code === 'access-denied' || code === 'unsupported') ? new IcaoError('card-lost', 'another document') : err);
  }

  private _lose(): void {
    if (this._sm) this._sm.wipe();
    this._sm = null;
    this._secure = null;
    const now = this._timers.now();
    this._lostAt = now;
    this._lastBeat = now;
    this._nextTypeB = false;
    this._state = STATE.POLLING;
    this._host.send(this._at('card-lost'));
    // InRelease and field off: the passport restarts when it is back; then poll.
    this._chip.release(this._pollBound);
  }

  /** progress{phase} at the current file's last delivered byte. */
  private _at(phase: string): DeviceMessage {
    const f = this._file;
    return { type: 'progress', phase, fileId: f ? f.fileId : 0, done: f ? f.received : 0, total: f && f.total > 0 ? f.total : 0 };
  }

  // ---- reading ------------------------------------------------------------------------------------

  private _readCom(): void {
    // EF.COM's buffer lives while EF.COM is read (a resume keeps it through the sink), not the
    // whole session: on the Pico every variable counts at the peak, in DG2.
    const sink = new FileStreamer(this._host, SFI_COM).captureInto(new Uint8Array(MAX_EF_COM));
    this._read(sink, MAX_EF_COM, () => {
      let listed: number[] = [1, 2];
      try {
        listed = parseEfCom(sink.captured()).dataGroups;
      } catch {
        this._guessed = true; // missing or unparsable: DG1, DG2 and the requested ones
      }
      // DG1, then the other requested groups EF.COM lists, ascending.
      const queue: number[] = [];
      if (listed.indexOf(1) >= 0) queue.push(1);
      for (let g = 2; g <= 16; g++) if ((listed.indexOf(g) >= 0 || this._guessed) && (this._wanted.indexOf(g) >= 0 || (g === 2 && this._guessed))) queue.push(g);
      this._queue = queue;
      this._readSod();
    });
  }

  private _readSod(): void {
    const extractor = new SodHashExtractor();
    const sink = new FileStreamer(this._host, SFI_SOD).extractTo(extractor);
    this._read(sink, READ_DEFAULTS.MAX_SOD, () => {
      // Missing or empty: the groups are read unchecked.
      if (sink.total > 0) {
        const sod = extractor.finish();
        createHash(sod.hashAlgorithm); // throws 'unsupported' for an algorithm we lack
        this._hashName = sod.hashAlgorithm;
        this._sodHashes = sod.hashes;
      }
      this._nextGroup();
    });
  }

  private _nextGroup(): void {
    const g = this._queue.shift();
    if (g === undefined) {
      this._aaDue = this._challenge !== null && this._files.indexOf(15) >= 0;
      if (this._aaDue) this._activeAuth();
      else this._end(null);
      return;
    }
    const sink = new FileStreamer(this._host, g);
    const expected = this._sodHashes ? this._sodHashes[g] : undefined;
    if (expected) sink.checkHash(createHash(this._hashName), expected);
    // DG14 is kept for Chip Authentication, which runs before the next group.
    if ((typeof WITH_CHIP_AUTH === 'undefined' || WITH_CHIP_AUTH) && g === 14 && this._access!.chipAuth) {
      sink.captureInto(new Uint8Array(READ_DEFAULTS.MAX_DG14));
      this._read(sink, READ_DEFAULTS.MAX_DG, () => {
        this._caDg14 = sink.captured();
        this._next = () => this._nextGroup();
        this._runChipAuth();
      });
    } else this._read(sink, READ_DEFAULTS.MAX_DG, () => this._nextGroup());
  }

  /** Chip Authentication with DG14's key, then the next group under the new keys. Refused or a
   * clone: 'failed', and the read goes on (PACE or BAC again when the chip has left the old
   * keys); the host decides what the outcome is worth. Runs again after a resume. */
  private _runChipAuth(): void {
    this._access!.chipAuth!(this._sm!, this._caDg14!, (outcome, fresh, lost) => {
      if (this._state !== STATE.READING) {
        if (fresh) fresh.wipe();
      } else if (lost) {
        this._fail(lost);
      } else {
        this._caDg14 = null;
        this._chipAuth = outcome;
        if (fresh) this._sm = fresh; // the old session was wiped by chip-auth.ts
        this._callNext();
      }
    });
  }

  /** Reads one file through SM into `sink`, sends its file-end, then `next` (which may throw). */
  private _read(sink: FileStreamer, maxFileLength: number, next: () => void): void {
    this._file = sink;
    this._max = maxFileLength;
    this._next = next;
    this._readOn();
  }

  /** Reads the current file from its first byte not yet delivered (0, or where the card left). */
  private _readOn(): void {
    // No local for the sink: the callback's scope is this function's, and would keep it.
    readFile(this._secure!, this._file!.fileId, this._file!, { maxFileLength: this._max, startOffset: this._file!.received, pipeline: this._pipeline, extendedBlock: this._maxRead }, (err, length) => {
      if (this._state !== STATE.READING) return;
      const sink = this._file!;
      if (err) {
        const id = sink.fileId;
        // Refused before any byte and not essential: skipped (EAC groups; EF.COM, EF.SOD, and
        // any group when EF.COM gave no list). The host names what is missing.
        if (sink.total < 0 && (err.code === 'access-denied' ? EAC_GROUPS.indexOf(id) >= 0
          : err.code === 'file-not-found' && (id > 16 || (this._guessed && id > 1)))) {
          this._file = null;
          this._callNext();
          return;
        }
        this._fail(err);
        return;
      }
      let verdict = sink.verdict();
      if (sink.fileId >= 1 && sink.fileId <= 16 && verdict === 'not-checked') verdict = 'not-in-sod';
      if (verdict !== 'match' && sink.fileId >= 1 && sink.fileId <= 16) {
        this._allMatch = false;
        if (verdict === 'mismatch' && !this._firstMismatch) this._firstMismatch = sink.fileId;
      }
      this._files.push(sink.fileId);
      this._bytesRead += length;
      this._host.send({ type: 'file-end', fileId: sink.fileId, length, verdict, digest: sink.digest() });
      this._file = null;
      // The next file starts from a fresh stack: called here, it would run inside this reader's
      // last callback, and the finished reader, its sink and its hash would stay in RAM (on the
      // interpreter the read's peak was here, at DG2's end).
      this._timers.setTimeout(this._callNextBound, 0);
    });
  }

  private _callNext(): void {
    if (this._state !== STATE.READING) return;
    try {
      this._next();
    } catch (e) {
      this._end(asIcaoError(e));
    }
  }

  /** INTERNAL AUTHENTICATE under SM; the answer (empty when the chip refuses) goes to the host
   * as file AA_SIGNATURE, which the host checks against DG15. A lost card repeats it on resume.
   * Extended when the chip has shown it reads extended, or after a short one was refused 6700
   * (an RSA-2048 answer does not fit a short Le under SM). */
  private _activeAuth(extended?: boolean): void {
    const ext = extended || (this._secure!.readBlock || 0) > 0;
    this._secure!.transceive(internalAuthenticateApdu(this._challenge!, ext), (err, response) => {
      if (this._state !== STATE.READING) return;
      if (err || !response) {
        this._fail(err || new IcaoError('card-error', ''));
        return;
      }
      const sw = statusWord(response);
      if (sw === SW.WRONG_LENGTH && !ext) {
        this._activeAuth(true);
        return;
      }
      this._aaDue = false;
      const n = sw === SW.OK ? response.length - 2 : 0;
      const sink = new FileStreamer(this._host, FILE.AA_SIGNATURE);
      sink.begin(n);
      if (n) sink.chunk(response.subarray(0, n), 0);
      this._host.send({ type: 'file-end', fileId: FILE.AA_SIGNATURE, length: n, verdict: 'not-checked', digest: sink.digest() });
      this._end(null);
    });
  }

  // ---- the end ------------------------------------------------------------------------------------

  private _wipeSeed(): void {
    if (this._seed) this._seed.fill(0);
    this._seed = null;
  }

  /** Ends the read: wipes keys, releases the card, powers the chip down, then tells the host. */
  private _end(err: IcaoError | null): void {
    if (this._state === STATE.RELEASING || this._state === STATE.IDLE) return;
    this._state = STATE.RELEASING;
    if (this._pollTimer !== null) this._timers.clearTimeout(this._pollTimer);
    this._pollTimer = null;
    this._wipeSeed();
    if (this._sm) this._sm.wipe();
    this._sm = null;
    const fileId = this._file ? this._file.fileId : 0;
    this._file = null;
    const finish = (): void => this._finish(err, fileId);
    if (!this._chipAwake) {
      finish();
      return;
    }
    this._chipAwake = false;
    this._chip.release(() => this._chip.powerDown(finish));
  }

  private _finish(err: IcaoError | null, fileId: number): void {
    this._state = STATE.IDLE;
    this._plain = null;
    this._secure = null;
    if (!this._silent) this._sendFinal(err, fileId);
    if (this._onIdle) this._onIdle();
  }

  private _sendFinal(err: IcaoError | null, fileId: number): void {
    const host = this._host;
    if (err) {
      host.send({ type: 'error', code: err.code, sw: err.sw, fileId, message: err.message });
    } else if (this._firstMismatch) {
      host.send({ type: 'error', code: 'hash-mismatch', sw: 0, fileId: this._firstMismatch, message: '' });
    } else {
      host.send({
        type: 'result', ok: this._allMatch, files: this._files, bytesRead: this._bytesRead, apdus: this._chip.apdus,
        elapsedMs: Math.round(this._timers.now() - this._startedAt), chipAuth: typeof WITH_CHIP_AUTH === 'undefined' || WITH_CHIP_AUTH ? this._chipAuth : undefined,
      });
    }
  }
}
