// Whether the real interpreter runs here, through the project's one rule for tools
// (test/support/requires-tool.ts): under CI a missing or broken binary fails the file; elsewhere
// one counted skip line. The binary is also run once: present but unable to run is missing.

import { requireTool, type Tool } from '../../../test/support/requires-tool';
import { interpreterProblem, type Build } from './espruino-runner';

const TOOLS: Record<Build, Tool> = {
  pico64: { name: 'Espruino interpreter (espruino)', install: 'see ../shared/espruino/README.md (build.sh)', problem: () => interpreterProblem('pico64') },
  pico32: { name: 'Espruino interpreter (espruino-pico32 under qemu-i386)', install: 'apt-get install qemu-user libc6-i386; ../shared/espruino/README.md', problem: () => interpreterProblem('pico32') },
  'pico64-measure': { name: 'Espruino measurement interpreter (8,191 variables)', install: 'firmware/test/real-interpreter/build-measure-interpreter.sh', problem: () => interpreterProblem('pico64-measure') },
  'pico32-measure': { name: 'Espruino measurement interpreter, 13-byte blocks (8,191 variables, qemu-i386)', install: 'firmware/test/real-interpreter/build-measure-interpreter.sh (gcc-multilib)', problem: () => interpreterProblem('pico32-measure') },
};

/** True when the interpreter of `build` runs; call at module level (see requires-tool.ts). */
export function interpreterRuns(what: string, build: Build = 'pico64'): boolean {
  return requireTool(TOOLS[build], what);
}
