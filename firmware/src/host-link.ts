// The device end of the host conversation (protocol/README.md): USB CDC as a raw binary channel
// under the protocol's ReliableLink (window 4, resend after 300 ms). Answers hello itself and
// hands read / cancel / reset to its handlers. Implements HostOut for the read pipeline: messages
// that do not fit the window wait in a short queue (in order), progress reports are dropped
// instead, and whenRoom() is the back-pressure the pipeline waits on before each READ BINARY.

import {
  MAX_PAYLOAD, PROTOCOL_VERSION, ReliableLink, type DeviceMessage, type Message, type ReadMessage,
} from '@epassport/protocol';
import type { HostOut } from './reader/host-out';
import type { Timers } from './timers';

export interface HostLinkInfo {
  firmwareVersion: string;
  board: string;
  capabilities: number;
  /** The PN532's GetFirmwareVersion word now (0 while it has not answered). */
  nfcFirmware(): number;
  /** Calls `fn` once the start-up probe of the PN532 is over (so hello-reply has its word). */
  whenReady(fn: () => void): void;
}

export interface HostLinkHandlers {
  onRead(request: ReadMessage): void;
  onCancel(): void;
  /** reset{toConsole}, and also a new hello (toConsole false): abort whatever runs. */
  onReset(toConsole: boolean): void;
}

export const LINK_WINDOW = 4;
export const LINK_RETRANSMIT_MS = 300;
/** Rounds without an acknowledgement before the host counts as gone: 200 x 300 ms = 60 s. A
 * stalled host (busy, swapping, suspended) only holds the read back meanwhile; a host that went
 * away for good and comes back says hello, which ends the old read at once. */
export const LINK_MAX_RETRANSMITS = 200;
/** Largest payload the device takes from the host: a read is at most 57 bytes with fields the
 * firmware accepts (document number of 22, dates, check digits, an 8-byte challenge); hello,
 * cancel, reset and ack are 0-2. A larger frame is dropped as damaged, so the frame decoder holds
 * 134 bytes instead of 519. */
export const LINK_MAX_RECEIVE = 128;
/** Messages waiting for window space at most (the pipeline's whenRoom keeps this short). */
const MAX_QUEUE = 8;

export class HostLink implements HostOut {
  readonly link: ReliableLink;
  private _info: HostLinkInfo;
  private _handlers: HostLinkHandlers;
  private _queue: DeviceMessage[];
  private _versionMismatch: boolean;
  private _waitSlots: number;
  private _waiter: (() => void) | null;

  /** `write` sends bytes to the host (USB.write); call `receive` with the bytes from it. */
  constructor(write: (bytes: Uint8Array) => void, timers: Timers, info: HostLinkInfo, handlers: HostLinkHandlers) {
    this._info = info;
    this._handlers = handlers;
    this._queue = [];
    this._versionMismatch = false;
    this._waitSlots = 0;
    this._waiter = null;
    this.link = new ReliableLink(write, timers, {
      onMessage: (m) => this._onMessage(m),
      onDrain: () => this._drain(),
      // The host stopped acknowledging for maxRetransmits rounds (unplugged, closed, hung): the
      // link has reset itself; end the read too, so the device is idle when a host says hello.
      onFail: () => {
        this._queue = [];
        this._waiter = null;
        this._handlers.onReset(false);
      },
    }, {
      window: LINK_WINDOW, retransmitMs: LINK_RETRANSMIT_MS, maxRetransmits: LINK_MAX_RETRANSMITS, maxReceivePayload: LINK_MAX_RECEIVE,
    });
  }

  /** Bytes from the host. */
  receive(bytes: Uint8Array): void {
    this.link.receive(bytes);
    this._drain(); // acknowledgements may have freed the window
  }

  send(message: DeviceMessage): void {
    if (this._queue.length === 0 && this.link.send(message)) return;
    if (this._queue.length >= MAX_QUEUE) return; // the host is gone; the link will reset
    if (message.type === 'file-chunk') message = { type: 'file-chunk', fileId: message.fileId, offset: message.offset, data: new Uint8Array(message.data) };
    this._queue.push(message);
  }

  report(message: DeviceMessage): void {
    if (this._queue.length === 0 && this.link.freeSlots > 0) this.link.send(message);
  }

  whenRoom(slots: number, fn: () => void): void {
    if (this._queue.length === 0 && this.link.freeSlots >= slots) {
      fn();
      return;
    }
    this._waitSlots = slots;
    this._waiter = fn;
  }

  cancelWait(): void {
    this._waiter = null;
  }

  /** Drops everything in flight and queued (reset to console). */
  clear(): void {
    this._queue = [];
    this._waiter = null;
    this.link.reset();
  }

  private _drain(): void {
    while (this._queue.length > 0 && this.link.send(this._queue[0])) this._queue.shift();
    const fn = this._waiter;
    if (fn && this._queue.length === 0 && this.link.freeSlots >= this._waitSlots) {
      this._waiter = null;
      fn();
    }
  }

  private _onMessage(m: Message): void {
    if (m.type === 'hello') {
      this._versionMismatch = m.protocolVersion !== PROTOCOL_VERSION;
      this._queue = [];
      this._waiter = null;
      this._handlers.onReset(false);
      const info = this._info;
      info.whenReady(() => this.link.send({
        type: 'hello-reply', protocolVersion: PROTOCOL_VERSION, firmwareVersion: info.firmwareVersion,
        board: info.board, capabilities: info.capabilities, maxPayload: MAX_PAYLOAD, nfcFirmware: info.nfcFirmware(),
      }));
      return;
    }
    if (m.type !== 'read' && m.type !== 'cancel' && m.type !== 'reset') return;
    if (this._versionMismatch) {
      this.send({ type: 'error', code: 'protocol-version', sw: 0, fileId: 0, message: 'v' + PROTOCOL_VERSION });
      return;
    }
    if (m.type === 'read') this._handlers.onRead(m);
    else if (m.type === 'cancel') this._handlers.onCancel();
    else this._handlers.onReset(m.toConsole);
  }
}
