// Reading one LDS elementary file (JMRTD's DefaultFileSystem, streaming). Reading is apart from
// parsing: the sink gets each block as it arrives and nothing here holds a whole file.
//
// 1. The first READ BINARY uses the short EF identifier (P1 = 80|SFI, offset 0): it selects the
//    file and reads its first HEADER_READ bytes in one exchange. If the chip does not take SFI
//    (or `useShortFileId` is false) the file is SELECTed by identifier (01 SFI) instead.
// 2. The TLV header gives the total length, which is bounded by `maxFileLength` ('too-large':
//    a hostile chip must not make us read or buffer without end).
// 3. The rest is read in blocks of at most `maxBlock` bytes from `startOffset` (resume).
//    Offsets up to 32767 go in P1 P2 (B0); beyond, READ BINARY with odd INS B1 carries the
//    offset in DO'54' and answers in DO'53'.
// 4. Status words adapt the block: 6700 (wrong length) -> smaller block; 6Cxx -> exactly xx
//    bytes; 6282 (end of file before Le bytes) -> the data is the end of the file.
//
// Block size under secure messaging, so that one R-APDU fits the PN532's 262-byte
// InDataExchange limit (n = plain bytes read, c = ciphertext length):
//   c = 8 * (floor(n / 8) + 1)                      padding method 2 always adds 1..8 bytes
//   DO'87' = 87 | 81 L (2, as L >= 128) | 01 | c    = 1 + 2 + 1 + c = c + 4
//   R-APDU = DO'87' + DO'99'(4) + DO'8E'(10) + SW(2) = c + 20 <= 262  =>  c <= 242  =>  c <= 240
//   c = 240 <=> n in 232..239, so n <= 239 (n = 240 gives c = 248 and a 268-byte R-APDU).
// With B1 the plain answer is DO'53' | 81 L | data, 3 bytes more: data <= 236.
// Without SM the limit is Le itself: 256 data + SW = 258 <= 262.

import type { AheadSource, ApduCallback, ApduChannel } from './apdu-channel';
import { fileIdFromSfi, readBinaryApdu, readBinaryOddApdu, readBinarySfiApdu, selectFileApdu } from './commands';
import { equalBytes } from '../crypto/retail-mac';
import { IcaoError, SW, asIcaoError, errorForStatus, statusWord } from './errors';
import { newTlv, peekTlvHeader, readTlv } from './tlv';

export interface FileSink {
  begin(totalLength: number): void;
  chunk(data: Uint8Array, offset: number): void;
  end(): void;
}

export interface ReadOptions {
  /** Largest file accepted (from the TLV header); larger is IcaoError('too-large'). */
  maxFileLength: number;
  /** First byte delivered to the sink (resume after a card loss); the header is still read. */
  startOffset?: number;
  /** Largest READ BINARY Le (default SM_MAX_READ, safe with and without SM). */
  maxBlock?: number;
  /** Use READ BINARY with a short EF identifier for the first read (default true). */
  useShortFileId?: boolean;
  /** Largest block read with an extended-length READ BINARY (Le > 256) when the rest of the file
   * is longer than `maxBlock` (default EXTENDED_READ; 0: never). Tried once per channel: a card
   * that refuses it (any error status) is read in `maxBlock` blocks from then on. */
  extendedBlock?: number;
  /** Send READ BINARY N+1 as soon as answer N arrives, before N is checked (channels with
   * `setAhead`: SM over the PN532; see README "Pipelining"). Default false. */
  pipeline?: boolean;
}

export type ReadCallback = (err: IcaoError | null, length: number) => void;

/** Largest plain block under 3DES SM within the PN532's 262-byte frame (see above). */
export const SM_MAX_READ = 239;
/** Largest block without SM (short Le). */
export const PLAIN_MAX_READ = 256;
/** First read: enough for any LDS tag (1-2 bytes) and length (up to 84 xx xx xx xx). */
export const HEADER_READ = 8;
/** Offsets above this need READ BINARY with odd INS. */
export const MAX_EVEN_OFFSET = 0x7fff;
/** Extended-length block (see README, "Extended length"): the R-APDU is buffered whole (the MAC
 * covers all of it) in the PN532 driver and the SM layer, so this bounds that RAM. */
export const EXTENDED_READ = 2048;
/** Smallest block we fall back to on repeated 6700 before giving up. */
const MIN_BLOCK = 8;
/** Retries (6Cxx, 6700, fall-back to SELECT) allowed without progress. */
const MAX_RETRIES = 6;

const STATE_SELECT = 1;
const STATE_HEADER = 2;
const STATE_BODY = 3;
const STATE_DONE = 4;

class FileReadJob implements AheadSource {
  private _channel: ApduChannel;
  private _sfi: number;
  private _sink: FileSink | null;
  private _maxLength: number;
  private _startOffset: number;
  private _block: number;
  private _useSfi: boolean;
  private _callback: ReadCallback | null;
  private _state!: number;
  private _total: number;
  private _offset: number;
  private _le: number;
  /** Exact Le demanded by a 6Cxx for the next request, or 0. */
  private _exactLe!: number;
  private _retries: number;
  private _lastOdd!: boolean;
  private _extended: number;
  /** The request in flight is an extended-length READ BINARY. */
  private _lastExtended!: boolean;
  private _next!: Uint8Array | null;
  private _looping!: boolean;
  private _onResponse: ApduCallback;
  /** Pipelining: the READ BINARY sent ahead that the reader has not asked for yet. */
  private _aheadCmd!: Uint8Array | null;
  /** The reader asked for the command sent ahead: its answer is the next block. */
  private _claimed!: boolean;
  /** The answer to a command sent ahead is still to come and will be dropped. */
  private _stale!: boolean;
  /** What the reader asked for instead: sent once the stale answer is in. */
  private _deferred!: Uint8Array | null;
  private _result: IcaoError | null;
  onAhead: ApduCallback;

  constructor(channel: ApduChannel, sfi: number, sink: FileSink, options: ReadOptions, callback: ReadCallback) {
    this._channel = channel;
    this._sfi = sfi;
    this._sink = sink;
    this._maxLength = options.maxFileLength;
    this._startOffset = options.startOffset || 0;
    let block = options.maxBlock || SM_MAX_READ;
    if (block > PLAIN_MAX_READ) block = PLAIN_MAX_READ;
    this._block = block;
    this._useSfi = options.useShortFileId !== false && channel.shortIds !== false;
    this._callback = callback;
    this._total = 0;
    this._offset = 0;
    this._le = 0;
    this._retries = 0;
    this._extended = options.extendedBlock === undefined ? EXTENDED_READ : options.extendedBlock;
    this._onResponse = onResponse(this);
    this.onAhead = onAhead(this);
    // Left unset until used, read only as true or false (fewer bytes and variables): _state,
    // _exactLe, _lastOdd, _lastExtended, _next, _looping, _aheadCmd, _claimed, _stale, _deferred.
    this._result = null;
    if (options.pipeline && channel.setAhead) channel.setAhead(this);
  }

  /** AheadSource: the answer to the newest command has arrived; the block after it, if the read
   * goes on in plain even-offset blocks (the same bytes _requestBlock will ask for, else the
   * answer is dropped). */
  nextCommand(): Uint8Array | null {
    if (this._state !== STATE_BODY || this._aheadCmd || this._stale || this._lastOdd || this._exactLe) return null;
    if (this._lastExtended && this._channel.readBlock !== this._le) return null; // not confirmed yet
    const offset = this._offset + this._le;
    const remaining = this._total - offset;
    if (remaining <= 0 || offset > MAX_EVEN_OFFSET) return null;
    return (this._aheadCmd = readBinaryApdu(offset, this._blockLe(remaining)));
  }

  /** The answer to a command sent ahead: the next block if claimed; else dropped (its MAC was
   * checked, so the SSC stays in step), then what the reader asked for, or its end. */
  _onAheadAnswer(err: IcaoError | null, response: Uint8Array | null): void {
    if (this._claimed) {
      this._claimed = false;
      this._handle(err, response);
      return;
    }
    this._aheadCmd = null;
    this._stale = false;
    const next = this._deferred;
    this._deferred = null;
    if (this._state === STATE_DONE) this._report();
    else if (err) this._finish(err);
    else if (next) this._send(next);
  }

  _start(): void {
    if (!(this._maxLength > 0) || this._startOffset < 0 || this._sfi < 1 || this._sfi > 0x1e) {
      this._finish(new IcaoError('bad-request', 'bad read options'));
      return;
    }
    if (this._useSfi) this._requestHeader();
    else this._requestSelect();
  }

  /** Sends through the channel without recursing when it answers synchronously. */
  private _send(apdu: Uint8Array): void {
    if (this._aheadCmd) {
      // Already sent ahead: claim its answer; or wait for it (dropped) before this goes out.
      if (apdu.length === this._aheadCmd.length && equalBytes(apdu, 0, this._aheadCmd, 0, apdu.length)) this._claimed = true;
      else {
        this._stale = true;
        this._deferred = apdu;
      }
      this._aheadCmd = null;
      return;
    }
    this._next = apdu;
    if (this._looping) return;
    this._looping = true;
    while (this._next) {
      const a = this._next;
      this._next = null;
      this._channel.transceive(a, this._onResponse);
    }
    this._looping = false;
  }

  private _finish(err: IcaoError | null): void {
    if (this._state === STATE_DONE) return;
    // The error names its step for the host: 'sel ' (SELECT) or '@<offset> ' (READ BINARY).
    const at = (this._state === STATE_SELECT ? 'sel' : '@' + this._offset) + ' ';
    this._state = STATE_DONE;
    this._next = null;
    this._result = err ? new IcaoError(err.code, at + err.message, err.sw) : null;
    if (this._channel.setAhead) this._channel.setAhead(null);
    // A command sent ahead is drained first: the PN532 is idle when the caller goes on.
    this._deferred = null;
    if (this._aheadCmd || this._stale) this._stale = true;
    else this._report();
  }

  /** Calls back once. The finished job lets go of its sink and callback first: on the real
   * interpreter (2v29) every finished job stayed in RAM, unreachable but locked (trace() of
   * EF.COM's job after the read: 15 locks), and with it each file's sink (hash, EF.SOD
   * extractor, EF.COM buffer) and the reader's callback, through the read's peak and after. */
  private _report(): void {
    const err = this._result;
    const cb = this._callback;
    this._sink = null;
    this._callback = null;
    if (cb) cb(err, err ? 0 : this._total);
  }

  private _requestSelect(): void {
    this._state = STATE_SELECT;
    this._send(selectFileApdu(fileIdFromSfi(this._sfi)));
  }

  private _requestHeader(): void {
    this._state = STATE_HEADER;
    // The first read asks for a whole block: the TLV header is in its first bytes, and a small
    // file (EF.COM, DG1) needs no second exchange. A shorter file just answers fewer bytes.
    const le = this._exactLe || this._block;
    this._exactLe = 0;
    this._le = le;
    this._send(this._useSfi ? readBinarySfiApdu(this._sfi, 0, le) : readBinaryApdu(0, le));
  }

  private _requestBlock(): void {
    this._state = STATE_BODY;
    const remaining = this._total - this._offset;
    if (remaining <= 0) {
      this._complete();
      return;
    }
    const odd = this._offset > MAX_EVEN_OFFSET;
    this._lastOdd = odd;
    if (odd) {
      // Room for the DO'53' header (53 81 L) inside the block.
      let le = this._block - 3;
      if (le > remaining) le = remaining;
      let wrapped = le + (le < 128 ? 2 : 3);
      if (this._exactLe) {
        // A 6Cxx names the length of the whole answer, DO'53' header included.
        wrapped = this._exactLe;
        le = wrapped;
      }
      this._exactLe = 0;
      this._le = le;
      this._send(readBinaryOddApdu(this._offset, wrapped));
    } else {
      let le = this._blockLe(remaining);
      if (this._exactLe) le = this._exactLe;
      this._exactLe = 0;
      this._le = le;
      this._lastExtended = le > PLAIN_MAX_READ;
      this._send(readBinaryApdu(this._offset, le));
    }
  }

  /** Le of an even-offset block: extended when the card has not refused it and it saves exchanges. */
  private _blockLe(remaining: number): number {
    const le = this._block > remaining ? remaining : this._block;
    const x = this._channel.readBlock === -1 ? 0 : this._extended;
    if (x > PLAIN_MAX_READ && remaining > le) return x > remaining ? remaining : x;
    return le;
  }

  private _complete(): void {
    try {
      this._sink!.end();
    } catch (e) {
      this._finish(asIcaoError(e));
      return;
    }
    this._finish(null);
  }

  private _retry(): boolean {
    return ++this._retries <= MAX_RETRIES;
  }

  _handle(err: IcaoError | null, response: Uint8Array | null): void {
    if (this._state === STATE_DONE) return;
    if (err || !response) {
      this._finish(err || new IcaoError('card-error', 'no response'));
      return;
    }
    try {
      if (response.length < 2) throw new IcaoError('malformed-data', 'response without status word');
      const sw = statusWord(response);
      if (this._state === STATE_SELECT) this._onSelect(sw);
      else if (this._state === STATE_HEADER) this._onHeader(sw, response);
      else this._onBlock(sw, response);
    } catch (e) {
      this._finish(asIcaoError(e));
    }
  }

  private _onSelect(sw: number): void {
    if (sw !== SW.OK) throw errorForStatus(sw, 'SELECT file');
    if (this._retries) this._channel.shortIds = false; // a fall-back: SFI refused, SELECT found it
    this._useSfi = false;
    this._requestHeader();
  }

  /** 6Cxx: the chip names the exact Le. */
  private _exactLength(sw: number): boolean {
    if ((sw & 0xff00) !== 0x6c00) return false;
    const xx = sw & 0xff;
    if (!this._retry()) throw errorForStatus(sw, 'READ BINARY (Le retries exhausted)');
    this._exactLe = xx === 0 ? 256 : xx;
    return true;
  }

  private _onHeader(sw: number, response: Uint8Array): void {
    if (sw !== SW.OK && sw !== SW.END_OF_FILE) {
      if (this._exactLength(sw)) {
        this._requestHeader();
        return;
      }
      if (sw === SW.WRONG_LENGTH && this._retry()) {
        this._exactLe = 4;
        this._requestHeader();
        return;
      }
      if (this._useSfi && sw !== SW.SECURITY_STATUS && (sw >> 8) !== 0x69 && this._retry()) {
        // The chip may not take a short EF identifier: SELECT the file instead.
        this._useSfi = false;
        this._requestSelect();
        return;
      }
      throw errorForStatus(sw, 'READ BINARY header');
    }
    const n = response.length - 2;
    if (n > this._le) throw new IcaoError('malformed-data', 'chip returned more than requested');
    if (n === 0 && !this._startOffset) {
      // An empty file (a chip answers its READ BINARY 6282 or 9000 with no data).
      this._sink!.begin(0);
      this._complete();
      return;
    }
    const h = peekTlvHeader(response, n);
    if (h.headerLength < 0) throw new IcaoError('malformed-data', 'file too short for its TLV header');
    const total = h.headerLength + h.valueLength;
    if (total > this._maxLength) throw new IcaoError('too-large', 'file length ' + total + ' exceeds ' + this._maxLength);
    if (this._startOffset > total) throw new IcaoError('bad-request', 'start offset beyond the end of the file');
    this._total = total;
    this._retries = 0;
    this._sink!.begin(total);
    const have = n < total ? n : total;
    if (this._startOffset < have) this._sink!.chunk(response.subarray(this._startOffset, have), this._startOffset);
    this._offset = this._startOffset > have ? this._startOffset : have;
    if (sw === SW.END_OF_FILE && this._offset < total) throw new IcaoError('malformed-data', 'file ends before its TLV length');
    this._requestBlock();
  }

  private _onBlock(sw: number, response: Uint8Array): void {
    if (this._lastExtended && sw !== SW.OK && sw !== SW.END_OF_FILE && (sw & 0xff00) !== 0x6c00 && this._retry()) {
      // No extended length here (6700, 6D00, 6A86, ...): short blocks from now on.
      this._channel.readBlock = -1;
      this._requestBlock();
      return;
    }
    if (this._lastExtended && (sw === SW.OK || sw === SW.END_OF_FILE)) this._channel.readBlock = this._le;
    if (sw !== SW.OK && sw !== SW.END_OF_FILE) {
      if (this._exactLength(sw)) {
        this._requestBlock();
        return;
      }
      if (sw === SW.WRONG_LENGTH) {
        const smaller = this._block > 0xdf ? 0xdf : this._block >> 1;
        if (smaller < MIN_BLOCK || !this._retry()) throw errorForStatus(sw, 'READ BINARY (no block size accepted)');
        this._block = smaller;
        this._requestBlock();
        return;
      }
      throw errorForStatus(sw, 'READ BINARY at ' + this._offset);
    }
    let start = 0;
    let n = response.length - 2;
    if (this._lastOdd && n > 0) {
      const t = readTlv(response, 0, n, newTlv());
      if (t.tag !== 0x53 || t.end !== n) throw new IcaoError('malformed-data', 'odd READ BINARY answer is not one DO53');
      start = t.valueOffset;
      n = t.length;
    }
    if (n > this._le) throw new IcaoError('malformed-data', 'chip returned more than requested');
    // After a 6Cxx the answer may run past the TLV's end (padding): only the file's bytes count.
    if (n > this._total - this._offset) n = this._total - this._offset;
    if (n > 0) {
      this._retries = 0;
      this._sink!.chunk(response.subarray(start, start + n), this._offset);
      this._offset += n;
    }
    if (this._offset >= this._total) {
      this._complete();
      return;
    }
    if (sw === SW.END_OF_FILE) throw new IcaoError('malformed-data', 'file ends before its TLV length');
    if (n === 0) throw new IcaoError('malformed-data', 'READ BINARY returned no data');
    this._requestBlock();
  }
}

// A job's two callbacks, made where their scope holds the job alone (a closure keeps its whole
// scope: made in the constructor, they held the sink, the callback and the options).
function onResponse(job: FileReadJob): ApduCallback {
  return (err, response) => job._handle(err, response);
}

function onAhead(job: FileReadJob): ApduCallback {
  return (err, response) => job._onAheadAnswer(err, response);
}

/**
 * Reads the EF with short identifier `fileId` (0x1E EF.COM, 0x1D EF.SOD, 1..16 DGn) through
 * `channel` (plain or SecureMessagingChannel) into `sink`. The callback gets the file's total
 * length (its TLV), or an IcaoError: 'file-not-found' (6A82), 'access-denied' (6982),
 * 'too-large', 'malformed-data', 'card-error', or the channel's own error. Called exactly once.
 */
export function readFile(channel: ApduChannel, fileId: number, sink: FileSink, options: ReadOptions, callback: ReadCallback): void {
  new FileReadJob(channel, fileId, sink, options, callback)._start();
}
