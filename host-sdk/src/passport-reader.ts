// The SDK's front door.
//
//   const reader = await PassportReader.open();              // finds the reader, says hello
//   const doc = await reader.read({ mrz: 'L898902C3 740812 120415' }, { trust: '~/csca' });
//
// One read at a time per reader; a port that went away is reopened by the next operation.

import { CAP } from '@epassport/protocol';
import { drawChallenge } from './aa/active-authentication.js';
import type { BindingInterface } from './transport/binding.js';
import { isReaderError, ReaderError } from './reader-error.js';
import { toBacKey, type MrzInput } from './mrz/mrz-input.js';
import { loadTrustStore, TrustStore } from './pa/trust-store.js';
import { HANDSHAKE_TIMEOUT_MS, LinkSession, type DeviceInfo } from './session/link-session.js';
import { ReadOperation, SILENCE_TIMEOUT_MS } from './session/read-operation.js';
import { ReadStream, type ReadEvent } from './session/read-stream.js';
import { findReaders, listPorts, type DiscoveryOptions, type ReaderPortInfo } from './transport/discovery.js';
import { SerialTransport } from './transport/serial-transport.js';
import type { PassportDocument } from './passport-document.js';

/** Every data group readable after BAC: all but DG3 (fingerprints) and DG4 (iris), which need
 * Extended Access Control. The device skips those EF.COM does not list. */
export const DEFAULT_DATA_GROUPS = [1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

export interface OpenOptions {
  /** Serial port path; default: the first port that looks like a reader. */
  path?: string;
  baudRate?: number;
  /** serialport binding (tests: @serialport/binding-mock or a fake device). */
  binding?: BindingInterface;
  handshakeTimeoutMs?: number;
  /** Where discovery looks in sysfs (tests). */
  sysfsRoot?: string | null;
}

export interface ReadOptions {
  /** Data groups wanted besides EF.COM and EF.SOD (DG1 is always read); default: every group
   * readable after BAC that EF.COM lists (DEFAULT_DATA_GROUPS). */
  dataGroups?: number[];
  /** CSCA trust: a TrustStore, or a folder / certificate / master list path. None: the chain
   * is reported as 'no-trust-store'. */
  trust?: TrustStore | string | null;
  /** Reject with 'untrusted' (the document attached) when passive authentication fails. */
  requireVerified?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: ReadEvent) => void;
  /** How long the device waits for a passport; 0: the device default. */
  cardTimeoutMs?: number;
  /** Silence from the device that ends a read with 'timeout'; default 5000 ms. */
  silenceTimeoutMs?: number;
  /** Validity checks as of this time (default now). */
  now?: Date;
  /** Active Authentication (default true, when the reader can): the host draws the challenge,
   * the chip signs it with its DG15 key. DG14 and DG15 are then read too. */
  activeAuthentication?: boolean;
  /** The relying party's random source for the 8-byte challenge (default node:crypto). */
  random?: (n: number) => Uint8Array;
}

export class PassportReader {
  private options: OpenOptions;
  private session: LinkSession | null = null;
  private path: string;
  private current: ReadStream | null = null;
  private opening: Promise<DeviceInfo> | null = null;
  private lastInfo: DeviceInfo | null = null;

  private constructor(options: OpenOptions, path: string) {
    this.options = options;
    this.path = path;
  }

  /** Serial ports, readers first. */
  static list(options: DiscoveryOptions = {}): Promise<ReaderPortInfo[]> {
    return listPorts(options);
  }

  /** Opens the reader at `path` (or the first one found) and performs the handshake. */
  static async open(options: OpenOptions = {}): Promise<PassportReader> {
    const path = options.path ?? (await findReaders({ binding: options.binding, sysfsRoot: options.sysfsRoot }))[0].path;
    const reader = new PassportReader(options, path);
    await reader.reconnect();
    return reader;
  }

  /** What the device said in its hello-reply. */
  get info(): DeviceInfo {
    if (!this.lastInfo) throw new ReaderError('disconnected', 'the reader is not open');
    return this.lastInfo;
  }

  get connected(): boolean {
    return this.session?.alive ?? false;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Closes the port if open, opens it again and says hello. */
  reconnect(): Promise<DeviceInfo> {
    if (!this.opening) {
      this.opening = this.connect().finally(() => {
        this.opening = null;
      });
    }
    return this.opening;
  }

  private async connect(): Promise<DeviceInfo> {
    if (this.session) await this.session.close().catch(() => {});
    this.session = null;
    let transport: SerialTransport;
    try {
      transport = await SerialTransport.open({ path: this.path, baudRate: this.options.baudRate, binding: this.options.binding });
    } catch (e) {
      // The board may come back under another name after a replug: look again.
      if (this.options.path === undefined && e instanceof ReaderError && e.code === 'not-found') {
        this.path = (await findReaders({ binding: this.options.binding, sysfsRoot: this.options.sysfsRoot }))[0].path;
        transport = await SerialTransport.open({ path: this.path, baudRate: this.options.baudRate, binding: this.options.binding });
      } else {
        throw e;
      }
    }
    const session = new LinkSession(transport);
    try {
      this.lastInfo = await session.handshake(this.options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);
    } catch (e) {
      await session.close().catch(() => {});
      throw e;
    }
    this.session = session;
    return this.lastInfo;
  }

  private async ensureSession(): Promise<LinkSession> {
    if (!this.session?.alive) await this.reconnect();
    return this.session!;
  }

  /** Reads a passport: resolves with the document (verified or not: see `verified`), rejects
   * with a ReaderError. */
  async read(input: MrzInput, options: ReadOptions = {}): Promise<PassportDocument> {
    const stream = this.stream(input, options);
    for await (const event of stream) options.onProgress?.(event);
    return stream.document;
  }

  /** The same read as a stream of events (async iterator, or `on('progress' | 'file-begin' |
   * 'chunk' | 'file-end' | 'dg1' | 'face' | 'result', ...)`), with `document` at the end. */
  stream(input: MrzInput, options: ReadOptions = {}): ReadStream {
    const out = new ReadStream();
    if (this.current) {
      out.fail(new ReaderError('busy', 'a read is already running on this reader'));
      return out;
    }
    this.current = out;
    const release = () => {
      if (this.current === out) this.current = null;
    };
    out.document.then(release, (e) => {
      release();
      // A device that went silent or stopped acknowledging may be wedged: drop the session so
      // the next operation reopens the port and says hello again.
      if (isReaderError(e, 'timeout') || isReaderError(e, 'link-error')) void this.session?.close().catch(() => {});
    });
    void this.startRead(input, options, out).catch((e) => out.fail(e));
    return out;
  }

  private async startRead(input: MrzInput, options: ReadOptions, out: ReadStream): Promise<void> {
    const key = toBacKey(input); // invalid-mrz before any traffic
    const requestedGroups = options.dataGroups ? [...new Set([1, ...options.dataGroups])].sort((a, b) => a - b) : null;
    let dataGroups = requestedGroups ?? DEFAULT_DATA_GROUPS;
    for (const g of dataGroups) {
      if (!Number.isInteger(g) || g < 1 || g > 16) throw new ReaderError('invalid-argument', 'data group ' + g + ' is not 1..16');
    }
    let trustStore: TrustStore | null = null;
    if (typeof options.trust === 'string') trustStore = await loadTrustStore(options.trust);
    else if (options.trust instanceof TrustStore) trustStore = options.trust;
    if (options.signal?.aborted) throw new ReaderError('cancelled', 'the read was cancelled before it started');
    const session = await this.ensureSession();
    if (out.settled) return;
    let challenge: Uint8Array | null = null;
    let noActiveAuthWhy: string | undefined;
    if (options.activeAuthentication === false) noActiveAuthWhy = 'Active Authentication was turned off';
    else if (!(this.info.capabilities & CAP.ACTIVE_AUTH)) noActiveAuthWhy = 'the reader firmware does not do Active Authentication';
    else {
      challenge = drawChallenge(options.random);
      dataGroups = [...new Set([...dataGroups, 14, 15])].sort((a, b) => a - b);
    }
    const op = new ReadOperation(session, key, {
      dataGroups,
      requestedGroups,
      defaultGroups: DEFAULT_DATA_GROUPS,
      challenge,
      noActiveAuthWhy,
      cardTimeoutMs: options.cardTimeoutMs ?? 0,
      silenceTimeoutMs: options.silenceTimeoutMs ?? SILENCE_TIMEOUT_MS,
      trustStore,
      requireVerified: options.requireVerified ?? false,
      signal: options.signal,
      now: options.now,
    }, out);
    out.cancel = () => op.cancel();
    op.start();
  }

  /** Aborts any read on the device and returns it to idle; `toConsole` also hands the USB port
   * back to the Espruino REPL (for flashing), after which the reader is closed. */
  async reset(toConsole = false): Promise<void> {
    const session = await this.ensureSession();
    session.send({ type: 'reset', toConsole });
    this.current?.fail(new ReaderError('cancelled', 'the reader was reset'));
    if (toConsole) await this.close();
  }

  async close(): Promise<void> {
    this.current?.fail(new ReaderError('disconnected', 'the reader was closed during the read'));
    const s = this.session;
    this.session = null;
    if (s) await s.close();
  }
}
