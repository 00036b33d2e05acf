// The host end of the link: a ByteTransport under a ReliableLink, the hello handshake, and one
// listener for device messages at a time. Knows nothing of passports.

import { CAP, PROTOCOL_VERSION, ReliableLink, type DeviceMessage, type HostMessage, type LinkTimers, type Message } from '@epassport/protocol';
import { ReaderError } from '../reader-error.js';
import type { ByteTransport } from '../transport/serial-transport.js';

export const HANDSHAKE_TIMEOUT_MS = 3000;
export const LINK_WINDOW = 4;
export const LINK_RETRANSMIT_MS = 300;

export interface DeviceInfo {
  protocolVersion: number;
  firmware: string;
  board: string;
  /** Capability bits (CAP) and their names. */
  capabilities: number;
  capabilityNames: string[];
  maxPayload: number;
  /** PN532 GetFirmwareVersion word; 0 when the module is silent. */
  nfcFirmware: number;
  /** e.g. 'PN532 v1.6', or 'silent'. */
  nfcModule: string;
  path: string;
}

const NODE_TIMERS: LinkTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};

export function capabilityNames(bits: number): string[] {
  return Object.entries(CAP).filter(([, bit]) => (bits & bit) !== 0).map(([name]) => name.toLowerCase().replace(/_/g, '-'));
}

export function describeNfcFirmware(word: number): string {
  if (!word) return 'silent';
  const ic = (word >>> 24) & 0xff;
  const name = ic === 0x32 ? 'PN532' : 'IC 0x' + ic.toString(16).padStart(2, '0');
  return name + ' v' + ((word >>> 16) & 0xff) + '.' + ((word >>> 8) & 0xff);
}

export type MessageListener = (message: DeviceMessage) => void;

export class LinkSession {
  readonly transport: ByteTransport;
  info!: DeviceInfo;
  private link: ReliableLink;
  private listener: MessageListener | null = null;
  private closeListeners: ((error: ReaderError) => void)[] = [];
  private queue: HostMessage[] = [];
  private dead: ReaderError | null = null;
  /** Frames damaged on the line, as the link counted them. */
  get damagedFrames(): number {
    return this.link.damagedFrames;
  }

  constructor(transport: ByteTransport, timers: LinkTimers = NODE_TIMERS) {
    this.transport = transport;
    this.link = new ReliableLink((bytes) => transport.write(bytes), timers, {
      onMessage: (m: Message) => this.listener?.(m as DeviceMessage),
      onDrain: () => this.flush(),
      onFail: () => this.fail(new ReaderError('link-error', 'the reader stopped acknowledging frames (link lost)')),
    }, { window: LINK_WINDOW, retransmitMs: LINK_RETRANSMIT_MS });
    transport.onData((bytes) => this.link.receive(bytes));
    transport.onClose((error) => {
      this.fail(error
        ? new ReaderError('disconnected', 'the reader went away (' + transport.path + ' closed: ' + error.message + ')', { cause: error })
        : new ReaderError('disconnected', 'the port ' + transport.path + ' was closed'));
    });
  }

  get alive(): boolean {
    return this.dead === null && this.transport.isOpen;
  }

  /** Routes device messages to `listener` (null: drop them). */
  setListener(listener: MessageListener | null): void {
    this.listener = listener;
  }

  /** Called once when the session dies (port closed, link lost); returns an unsubscribe. */
  onClose(listener: (error: ReaderError) => void): () => void {
    this.closeListeners.push(listener);
    return () => {
      this.closeListeners = this.closeListeners.filter((l) => l !== listener);
    };
  }

  /** Sends a message, queueing it while the window is full. */
  send(message: HostMessage): void {
    if (this.dead) throw this.dead;
    if (this.queue.length > 0 || !this.link.send(message)) this.queue.push(message);
  }

  /** hello → hello-reply within `timeoutMs`; refuses a different protocol version. */
  async handshake(timeoutMs = HANDSHAKE_TIMEOUT_MS): Promise<DeviceInfo> {
    const reply = await new Promise<DeviceMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        this.setListener(null);
        reject(new ReaderError('timeout', 'no answer to hello from ' + this.transport.path + ' within ' + timeoutMs / 1000 + ' s (is it a reader running the firmware?)'));
      }, timeoutMs);
      const unsubscribe = this.onClose((e) => {
        clearTimeout(timer);
        reject(e);
      });
      this.setListener((m) => {
        if (m.type !== 'hello-reply') return;
        clearTimeout(timer);
        unsubscribe();
        this.setListener(null);
        resolve(m);
      });
      this.send({ type: 'hello', protocolVersion: PROTOCOL_VERSION });
    });
    if (reply.type !== 'hello-reply') throw new Error('unreachable');
    if (reply.protocolVersion !== PROTOCOL_VERSION) {
      throw new ReaderError('protocol-version', 'the reader speaks protocol version ' + reply.protocolVersion + ', this SDK speaks version ' + PROTOCOL_VERSION + ': update the ' + (reply.protocolVersion < PROTOCOL_VERSION ? 'firmware' : 'SDK'));
    }
    this.info = {
      protocolVersion: reply.protocolVersion,
      firmware: reply.firmwareVersion,
      board: reply.board,
      capabilities: reply.capabilities,
      capabilityNames: capabilityNames(reply.capabilities),
      maxPayload: reply.maxPayload,
      nfcFirmware: reply.nfcFirmware,
      nfcModule: describeNfcFirmware(reply.nfcFirmware),
      path: this.transport.path,
    };
    return this.info;
  }

  async close(): Promise<void> {
    this.link.reset();
    this.dead ??= new ReaderError('disconnected', 'the reader was closed');
    await this.transport.close();
  }

  private flush(): void {
    while (this.queue.length > 0 && this.link.send(this.queue[0])) this.queue.shift();
  }

  private fail(error: ReaderError): void {
    if (this.dead) return;
    this.dead = error;
    this.link.reset();
    this.queue = [];
    for (const l of this.closeListeners) l(error);
    if (this.transport.isOpen) void this.transport.close();
  }
}
