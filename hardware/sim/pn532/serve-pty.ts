// The simulated PN532's HSU on a real pseudo-terminal, in wall-clock time, so a person (or
// libnfc) can talk to it:  npx tsx hardware/sim/pn532/serve-pty.ts
// then, in another shell:  LIBNFC_DEVICE="pn532_uart:/dev/pts/N" nfc-list
// The pty itself carries no baud timing; the simulator still times each byte at the HSU speed.

import { RealClock, type Clock } from '../clock';
import type { Card } from '../card';
import { openPseudoTerminal, type PseudoTerminal } from '../pty';
import { EmrtdStubCard } from '../test-cards';
import { HsuTransport } from './hsu-transport';
import { Pn532Simulator } from './pn532-simulator';

export interface PtyPn532 {
  readonly path: string;
  readonly sim: Pn532Simulator;
  readonly pty: PseudoTerminal;
  close(): Promise<void>;
}

export async function servePn532OnPty(options: { card?: Card | null; clock?: Clock; link?: string } = {}): Promise<PtyPn532> {
  const sim = new Pn532Simulator({ clock: options.clock ?? new RealClock(), card: options.card ?? null });
  const hsu = new HsuTransport(sim);
  const pty = await openPseudoTerminal({ link: options.link });
  pty.onData((d) => hsu.write(d));
  hsu.onData((d) => pty.write(d));
  return { path: pty.path, sim, pty, close: () => pty.close() };
}

const isMain = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('serve-pty.ts');
if (isMain) {
  const served = await servePn532OnPty({ card: new EmrtdStubCard() });
  console.log(`serial: ${served.path}`);
  console.log('card: eMRTD stub (SELECT A0000002471001 -> 90 00). Ctrl-C to stop.');
  const stop = () => {
    const s = served.sim.stats;
    console.log(`\ncommands ${s.commands}, APDUs ${s.apdus}, UART ${s.linkBytesToChip}/${s.linkBytesFromChip} bytes, air ${s.airBytesToCard}/${s.airBytesFromCard} bytes in ${s.airTimeMs.toFixed(1)} ms`);
    void served.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
