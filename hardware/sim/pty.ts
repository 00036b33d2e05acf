// A real pseudo-terminal (/dev/pts/N) whose master end is this process. Programs that open the
// device (serialport, libnfc) see an ordinary serial device.
//
// Made by openpty() from node-pty (@lydell/node-pty: prebuilt binaries in registry packages, so
// `npm ci` needs no compiler and no system tool), then set raw by serialport's own binding (the
// termios a serial port gets: no echo, no \n -> \r\n) before anyone else sees the path. Where
// node-pty has no binary for the platform, Debian's socat makes the pty instead (optional).

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReadStream } from 'node:tty';
import { autoDetect } from '@serialport/bindings-cpp';

export interface PseudoTerminal {
  /** The device path, e.g. /dev/pts/3. */
  readonly path: string;
  /** What made it: node-pty's openpty, or socat. */
  readonly via: 'openpty' | 'socat';
  write(data: Uint8Array): void;
  onData(listener: (data: Uint8Array) => void): void;
  close(): Promise<void>;
}

export interface PseudoTerminalOptions {
  /** Also reachable at this path (a symlink, replaced if present). */
  link?: string;
  /** Force one way of making it (tests); default: openpty, else socat. */
  via?: 'openpty' | 'socat';
}

interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
}

let nativePty: NativePty | null | undefined;

/** node-pty's native module, or null when it has no binary for this platform. */
function loadNativePty(): NativePty | null {
  if (nativePty !== undefined) return nativePty;
  try {
    const require = createRequire(import.meta.url);
    // The binary lives in a per-platform package; node-pty's own loader finds it.
    const { requireBinary } = require('@lydell/node-pty/requireBinary.js') as { requireBinary(file: string): NativePty };
    nativePty = requireBinary('pty.node');
  } catch {
    nativePty = null;
  }
  return nativePty;
}

/** True when socat is installed. */
export function hasSocat(): boolean {
  const paths = (process.env.PATH ?? '').split(':');
  return paths.some((p) => {
    try {
      return statSync(p + '/socat').isFile();
    } catch {
      return false;
    }
  });
}

/** True when this machine can make a pseudo-terminal (node-pty loads, or socat is installed). */
export function canOpenPseudoTerminal(): boolean {
  return process.platform !== 'win32' && (loadNativePty() !== null || hasSocat());
}

export function openPseudoTerminal(options: PseudoTerminalOptions = {}): Promise<PseudoTerminal> {
  const native = process.platform === 'win32' || options.via === 'socat' ? null : loadNativePty();
  if (native) return openWithNodePty(native, options);
  if (options.via !== 'openpty' && hasSocat()) return openWithSocat(options);
  return Promise.reject(new Error(`no pseudo-terminal on ${process.platform}-${process.arch}: node-pty has no binary for it and socat is not installed`));
}

async function openWithNodePty(native: NativePty, options: PseudoTerminalOptions): Promise<PseudoTerminal> {
  const { master, slave, pty: path } = native.open(80, 24);
  // Raw termios on the pty, set once through serialport's binding (termios is the device's, so it
  // holds for every later open). Our slave fd stays open, unread: without any open slave the
  // master reads EIO whenever a client closes the device.
  try {
    const port = await autoDetect().open({ path, baudRate: 115200, lock: false });
    await port.close();
  } catch (e) {
    closeSync(master);
    closeSync(slave);
    throw e;
  }
  if (options.link) {
    rmSync(options.link, { force: true });
    symlinkSync(path, options.link);
  }
  const stream = new ReadStream(master);
  const listeners: Array<(data: Uint8Array) => void> = [];
  stream.on('data', (chunk: Buffer) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length).slice();
    for (const l of listeners) l(bytes);
  });
  // EIO when the last client side goes away on some kernels; the pty itself lives on.
  stream.on('error', () => {});
  let closed: Promise<void> | null = null;
  return {
    path,
    via: 'openpty',
    write: (data) => {
      if (!stream.destroyed) stream.write(data);
    },
    onData: (l) => {
      listeners.push(l);
    },
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.destroy(); // closes the master: clients see the line hang up
        closeSync(slave);
        if (options.link) rmSync(options.link, { force: true });
      });
      return closed;
    },
  };
}

/** socat copies between the pty master and its stdin/stdout, which are pipes to us. */
function openWithSocat(options: PseudoTerminalOptions): Promise<PseudoTerminal> {
  const address = 'PTY,raw,echo=0' + (options.link ? ',link=' + options.link : '');
  const child: ChildProcess = spawn('socat', ['-d', '-d', address, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const listeners: Array<(data: Uint8Array) => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length).slice();
    for (const l of listeners) l(bytes);
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const onStderr = (chunk: Buffer) => {
      stderr += chunk.toString();
      // Resolve only once socat has configured the pty (raw, no echo) and entered its transfer
      // loop: a client that opens the device earlier may still see line discipline (\n -> \r\n).
      const m = /PTY is (\S+)/.exec(stderr);
      if (!m || !/starting data transfer loop/.test(stderr)) return;
      child.stderr!.off('data', onStderr);
      child.stderr!.resume();
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      resolve({
        path: m[1],
        via: 'socat',
        write: (data) => {
          child.stdin!.write(data);
        },
        onData: (l) => {
          listeners.push(l);
        },
        close: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stderr!.on('data', onStderr);
    child.once('error', (e) => reject(new Error('cannot start socat for a pseudo-terminal: ' + e.message)));
    child.once('exit', (code) => reject(new Error('socat exited (' + code + ') before making a pty: ' + stderr.trim())));
  });
}
