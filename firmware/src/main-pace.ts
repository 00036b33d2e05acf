// The firmware with PACE and Chip Authentication (issue #18): main.ts, with the reader opening
// chips through PaceAccess when the board can run PACE (the PACE blob in Storage, or a bundle
// with the TypeScript crypto). A separate entry so that main.ts's bundles (the Pico's) store no
// PACE code; the Espruino WiFi's device bundle is built from it (boards/espruino-wifi.json
// "pace": true). Same exports as main.ts (start, nfcChip).
// A device bundle (NATIVE_ONLY) on a board without Storage file `pace` falls back to BAC only:
// hello-reply leaves CAP.PACE out, a BAC chip reads as on the Pico, and a PACE-only chip (BAC
// refused) ends the read with the typed error BAC gives it ('unsupported', its status word).
// A chip with both gets BAC there; the host can tell from the missing CAP.PACE.

import type { BoardConfig } from './board-config';
import { start as startReader } from './main';
import { paceCryptoIfAvailable } from './pace/device-crypto';
import { paceAccess } from './reader/access-control';

export { nfcChip } from './main';

/** Boots the reader on a board wired as `config`, with PACE where it can run. */
export function start(config: BoardConfig): void {
  startReader(config, (random) => {
    const crypto = paceCryptoIfAvailable(random);
    return crypto ? paceAccess(crypto) : null;
  });
}
