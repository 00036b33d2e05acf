// The virtual reader on a real pseudo-terminal, for the host SDK, the CLI or libnfc-style tools:
//   npx tsx hardware/bin/simulate.ts --document <fixture name|dir|none> --board pico|pico-i2c|pico-spi
//        [--vpcd <port>] [--bundle <firmware.js>]
// First line on stdout: `serial: /dev/pts/N`, second: `pid: N`, the process that takes SIGUSR1
// (under `tsx` that is not the pid you started: tsx relays only SIGINT/SIGTERM to its child).
// Runs until SIGINT, SIGTERM or SIGHUP, or until whoever started it is gone (killed outright:
// parent-watch.ts); then it closes the pty (and socat, where socat made it) and exits 0.
// The passport starts on the reader; 'r' removes it and 'p' places it again (stdin a TTY),
// SIGUSR1 toggles it.
// --vpcd <port>: the card is an external emulator (vicc) connecting to this TCP port instead.

import { existsSync } from 'node:fs';
import { loadBoard } from '../boards/index';
import type { Card } from '../sim/card';
import { RealClock } from '../sim/clock';
import { VirtualPassport } from '../sim/passport/virtual-passport';
import { loadFixture } from '../fixtures/index';
import { VpcdCard } from '../sim/vpcd-card';
import { createVirtualDevice, ensureFirmwareBundle, serveOnPty } from '../sim/virtual-device';
import { watchParent } from './parent-watch';

export interface SimulateArgs {
  document: string;
  board: string;
  vpcd?: number;
  bundle?: string;
}

export function parseSimulateArgs(argv: string[]): SimulateArgs {
  const out: Partial<SimulateArgs> = { board: 'pico' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--document') out.document = value();
    else if (a === '--board') out.board = value();
    else if (a === '--vpcd') {
      const port = Number(value());
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--vpcd needs a TCP port');
      out.vpcd = port;
    } else if (a === '--bundle') out.bundle = value();
    else throw new Error(`unknown option ${a}`);
  }
  if (!out.document && out.vpcd === undefined) throw new Error('--document <fixture|dir|none> or --vpcd <port> is required');
  return { document: out.document ?? 'none', board: out.board!, vpcd: out.vpcd, bundle: out.bundle };
}

/** A committed document fixture (hardware/fixtures) as a virtual passport in the field. */
function documentCard(name: string): Card | null {
  if (name === 'none') return null;
  const fixture = loadFixture(name);
  return new VirtualPassport(fixture.files, fixture.bac, { activeAuthKey: fixture.activeAuthPrivateKey });
}

async function main(): Promise<void> {
  let args: SimulateArgs;
  try {
    args = parseSimulateArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    console.error('usage: simulate --document <fixture|dir|none> [--board pico|pico-i2c|pico-spi|espruino-wifi|file.json] [--vpcd <port>] [--bundle firmware.js]');
    process.exit(2);
  }
  const board = loadBoard(args.board);
  const vpcd = args.vpcd !== undefined ? await VpcdCard.listen({ port: args.vpcd }) : null;
  const card: Card | null = vpcd ?? documentCard(args.document);
  const bundlePath = args.bundle ?? (await ensureFirmwareBundle());
  if (!existsSync(bundlePath)) throw new Error(`no firmware bundle at ${bundlePath}`);

  const device = createVirtualDevice({ clock: new RealClock(), board, card, bundlePath });
  const server = await serveOnPty(device);
  process.stdout.write(`serial: ${server.path}\n`);
  process.stdout.write(`pid: ${process.pid} (kill -USR1 ${process.pid} toggles the passport)\n`);
  if (vpcd) process.stderr.write(`vpcd: waiting for a card emulator on 127.0.0.1:${vpcd.port}\n`);

  let placed = card !== null;
  const place = (on: boolean) => {
    if (!card) return;
    placed = on;
    device.setCard(on ? card : null);
    process.stderr.write(on ? 'card placed\n' : 'card removed\n');
  };
  let reported = 0;
  const errorWatch = setInterval(() => {
    for (; reported < device.errors.length; reported++) {
      const e = device.errors[reported];
      process.stderr.write(`firmware: uncaught ${e.name}: ${e.message}\n`);
    }
  }, 200);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    clearInterval(errorWatch);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
    await server.close();
    await vpcd?.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  watchParent(() => {
    process.stderr.write('simulate: the process that started it is gone; closing\n');
    void shutdown();
  });
  process.on('SIGUSR1', () => place(!placed));
  if (process.stdin.isTTY) {
    process.stdin.setRawMode(true);
    process.stdin.on('data', (d: Buffer) => {
      const key = d.toString('latin1');
      if (key === 'r') place(false);
      else if (key === 'p') place(true);
      else if (key === '\x03' || key === 'q') void shutdown();
    });
  }
}

if (process.argv[1] && /simulate\.ts$/.test(process.argv[1])) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
