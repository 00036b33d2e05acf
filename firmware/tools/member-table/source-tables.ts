// Reads, from a checkout of Espruino's source, what each board's build registers: Espruino's own
// build (`make BOARD=<id> gen/jswrapper.c`, i.e. scripts/build_jswrapper.py with the board's
// defines) writes one symbol table per object; we parse the names out of the generated C. Board
// facts (pins, LEDs, peripheral counts, saved-code flash) come from the board file through
// Espruino's scripts/pinutils.py. Nothing of Espruino's code is kept: only these names.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface SourceBoard {
  /** Espruino board file name (boards/<id>.py). */
  id: string;
  name: string;
  /** Wrapper table name -> names: 'global', 'Object' (statics), 'Object_proto', 'crypto', ... */
  tables: Record<string, string[]>;
  /** Built-in modules for require(), as the build lists them. */
  modules: string[];
  pins: string[];
  /** Named on-board devices: LED1 -> 'B2'. */
  devices: Record<string, string>;
  usart: number;
  spi: number;
  i2c: number;
  libraries: string[];
  variables: number;
  /** Flash for saved code and Storage, bytes (chip.saved_code pages x page size). */
  savedCodeBytes: number;
}

/** Parses `FLASH_STR(jswSymbols_<table>_str, "a\0b\0")` lines of a generated jswrapper.c. */
export function parseWrapperTables(c: string): Record<string, string[]> {
  const tables: Record<string, string[]> = {};
  for (const m of c.matchAll(/FLASH_STR\(jswSymbols_(\w+?)_str, "((?:[^"\\]|\\.)*)"\)/g)) {
    tables[m[1]] = m[2].split('\\0').filter((n) => n.length > 0);
  }
  const libs = /jswGetBuiltInLibraryNames\(\) \{\s*return "([^"]*)"/.exec(c);
  tables['(modules)'] = libs ? libs[1].split(',').filter(Boolean) : [];
  return tables;
}

const BOARD_FACTS_PY = `
import sys, json, importlib
sys.path[:0] = ['scripts', 'boards']
b = importlib.import_module(sys.argv[1])
sc = b.chip.get('saved_code', {})
print(json.dumps({
  'name': b.info['name'],
  'pins': [p['name'][1:] for p in b.get_pins()],
  'devices': {k: v['pin'] for k, v in b.devices.items() if isinstance(v, dict) and 'pin' in v},
  'usart': b.chip['usart'], 'spi': b.chip['spi'], 'i2c': b.chip['i2c'],
  'libraries': b.info['build']['libraries'], 'variables': b.info['variables'],
  'savedCodeBytes': sc.get('page_size', 0) * sc.get('pages', 0),
}))
`;

/** Runs Espruino's wrapper generator for one board in `checkout` (python3 and make needed). */
export function readSourceBoard(checkout: string, id: string, extraBoardDirs: string[] = []): SourceBoard {
  for (const dir of extraBoardDirs) {
    const file = join(dir, id + '.py');
    if (existsSync(file)) copyFileSync(file, join(checkout, 'boards', id + '.py'));
  }
  const gen = join(checkout, 'gen');
  mkdirSync(gen, { recursive: true });
  for (const f of ['platform_config.h', 'jswrapper.c', 'CURRENT_BOARD.make']) rmSync(join(gen, f), { force: true });
  execFileSync('make', ['BOARD=' + id, 'gen/jswrapper.c'], { cwd: checkout, stdio: ['ignore', 'ignore', 'inherit'] });
  const tables = parseWrapperTables(readFileSync(join(gen, 'jswrapper.c'), 'utf8'));
  const facts = JSON.parse(execFileSync('python3', ['-c', BOARD_FACTS_PY, id], { cwd: checkout, encoding: 'utf8' }));
  const modules = tables['(modules)'];
  delete tables['(modules)'];
  return { id, ...facts, tables, modules };
}

export function sourceCommit(checkout: string): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: checkout, encoding: 'utf8' }).trim();
}
