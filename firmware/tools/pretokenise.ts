// Espruino's pretokenised form of a script: keywords and operators as one byte each, string
// literals and integers as a byte plus their length or value (token numbers: LEX_TYPES in
// Espruino's src/jslex.h; raw strings since 2v20.48, raw integers since 2v25.396). The Web IDE
// and the espruino CLI store code this way with "Pretokenise code before upload"
// (PRETOKENISE=2); Espruino parses it directly, and string literals longer than one variable stay
// in flash instead of being copied to RAM (jslGetRawString in src/jslex.c).
//
// We run the CLI's own tokeniser (espruino/plugins/pretokenise.js, a devDependency) in a sandbox
// rather than writing another: the bytes stored are the ones the CLI would make.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createContext, runInContext } from 'node:vm';

const require = createRequire(import.meta.url);

type Tokeniser = (code: string) => string;
let tokeniser: Tokeniser | null = null;

function load(): Tokeniser {
  const plugins: { Pretokenise?: { tokenise: Tokeniser } } = {};
  const sandbox = {
    acorn: require('acorn'),
    console,
    Espruino: {
      Core: { Config: { add() {} }, Env: { getBoardData: () => null } },
      // 2: raw strings and raw integers whatever the board reports (the firmware needs 2v26+).
      Config: { PRETOKENISE: 2 },
      addProcessor() {},
      Plugins: plugins,
    },
  };
  createContext(sandbox);
  runInContext(readFileSync(require.resolve('espruino/plugins/pretokenise.js'), 'utf8'), sandbox);
  if (!plugins.Pretokenise) throw new Error('espruino/plugins/pretokenise.js did not register its tokeniser');
  return plugins.Pretokenise.tokenise;
}

/** `code` pretokenised: a string of chars 0..255, one per stored byte. */
export function pretokenise(code: string): string {
  tokeniser ??= load();
  return tokeniser(code);
}
