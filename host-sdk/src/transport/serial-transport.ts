// The thin adapter between serialport (Node streams, Buffers) and the protocol core
// (Uint8Array in, Uint8Array out). Nothing else in the SDK touches serialport.

import { SerialPortStream } from '@serialport/stream';
import { hangUpAwareBinding } from './hangup-binding.js';
import type { BindingInterface } from './binding.js';
import { ReaderError } from '../reader-error.js';

/** serialport's own binding type; the SDK's BindingInterface (binding.ts) is a narrower view of it. */
type StreamBinding = ConstructorParameters<typeof SerialPortStream>[0]['binding'];

export const DEFAULT_BAUD_RATE = 115200;

export interface ByteTransport {
  readonly path: string;
  readonly isOpen: boolean;
  /** Sends bytes; the transport copies them (callers may reuse their buffer at once). */
  write(bytes: Uint8Array): void;
  onData(listener: (bytes: Uint8Array) => void): void;
  /** The port closed: `error` set when it went away (unplugged, I/O error), not by close(). */
  onClose(listener: (error: Error | null) => void): void;
  close(): Promise<void>;
}

export interface SerialOptions {
  path: string;
  baudRate?: number;
  /** A serialport binding (e.g. @serialport/binding-mock, or a fake device in tests). */
  binding?: BindingInterface;
}

export class SerialTransport implements ByteTransport {
  readonly path: string;
  private port: SerialPortStream;
  private closeListeners: ((error: Error | null) => void)[] = [];
  private closed = false;

  private constructor(port: SerialPortStream, path: string) {
    this.port = port;
    this.path = path;
    port.on('close', (err: Error | null) => this.finish(err ?? null));
    // Errors after open (a failed write) show up here; the close that follows reports them.
    port.on('error', (err: Error) => {
      if (!port.isOpen) this.finish(err);
    });
  }

  static open(options: SerialOptions): Promise<SerialTransport> {
    const settings = { path: options.path, baudRate: options.baudRate ?? DEFAULT_BAUD_RATE, autoOpen: false, lock: true };
    const port: SerialPortStream = options.binding
      ? new SerialPortStream({ ...settings, binding: options.binding as StreamBinding })
      : new SerialPortStream({ ...settings, binding: hangUpAwareBinding() });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) {
          const missing = /ENOENT|No such file|not found|does not exist/i.test(err.message);
          reject(new ReaderError(missing ? 'not-found' : 'port-error', 'cannot open ' + options.path + ': ' + err.message, { cause: err }));
        } else {
          resolve(new SerialTransport(port, options.path));
        }
      });
    });
  }

  get isOpen(): boolean {
    return !this.closed && this.port.isOpen;
  }

  write(bytes: Uint8Array): void {
    if (!this.isOpen) return;
    // ReliableLink hands us a view into a buffer it reuses on the next frame: copy now.
    this.port.write(Buffer.from(bytes));
  }

  onData(listener: (bytes: Uint8Array) => void): void {
    this.port.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  }

  onClose(listener: (error: Error | null) => void): void {
    this.closeListeners.push(listener);
  }

  close(): Promise<void> {
    if (this.closed || !this.port.isOpen) {
      this.finish(null);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.port.close(() => {
        this.finish(null);
        resolve();
      });
    });
  }

  private finish(error: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of this.closeListeners) l(error);
  }
}
