// Command-line parsing for `passport-reader`, with node:util parseArgs. Usage errors never
// echo personal values back.

import { parseArgs } from 'node:util';
import { ReaderError } from '../reader-error.js';
import type { MrzInput } from '../mrz/mrz-input.js';

export type Command =
  | { command: 'help'; topic?: string }
  | { command: 'version' }
  | { command: 'list'; json: boolean }
  | { command: 'info'; port?: string; json: boolean }
  | {
      command: 'read';
      /** From the command line (warned about), else read later from mrzFile, env or stdin. */
      mrz?: MrzInput;
      mrzFile?: string;
      port?: string;
      force: boolean;
      groups?: number[];
      trust?: string;
      out?: string;
      json: boolean;
      quiet: boolean;
      cardTimeoutMs?: number;
    }
  | { command: 'verify'; dir: string; trust?: string; json: boolean; quiet: boolean }
  | { command: 'trust-import'; file: string; trust?: string; json: boolean }
  | { command: 'trust-list'; trust?: string; json: boolean }
  | { command: 'trust-remove'; what: string; trust?: string; json: boolean };

export class UsageError extends ReaderError {
  constructor(message: string) {
    super('invalid-argument', message);
  }
}

const OPTIONS = {
  mrz: { type: 'string' },
  'mrz-lines': { type: 'string' },
  'mrz-file': { type: 'string' },
  force: { type: 'boolean', short: 'f' },
  'document-number': { type: 'string' },
  birth: { type: 'string' },
  expiry: { type: 'string' },
  port: { type: 'string', short: 'p' },
  groups: { type: 'string', short: 'g' },
  trust: { type: 'string', short: 't' },
  out: { type: 'string', short: 'o' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  'card-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const ALLOWED: Record<string, string[]> = {
  list: ['json'],
  info: ['port', 'json'],
  read: ['mrz', 'mrz-lines', 'mrz-file', 'force', 'document-number', 'birth', 'expiry', 'port', 'groups', 'trust', 'out', 'json', 'quiet', 'card-timeout'],
  verify: ['trust', 'json', 'quiet'],
  'trust-import': ['trust', 'json'],
  'trust-list': ['trust', 'json'],
  'trust-remove': ['trust', 'json'],
};

function parseGroups(text: string): number[] {
  const groups = text.split(/[,\s]+/).filter(Boolean).map((g) => g.replace(/^dg/i, ''));
  const out = groups.map(Number);
  if (out.length === 0 || out.some((g) => !Number.isInteger(g) || g < 1 || g > 16)) throw new UsageError('--groups takes data group numbers 1..16, e.g. --groups 1,2,15');
  return [...new Set(out)].sort((a, b) => a - b);
}

/** The MRZ given on the command line, or undefined (then it comes from a file, env or stdin). */
function mrzInput(v: Record<string, string | boolean | undefined>): MrzInput | undefined {
  const fields = ['document-number', 'birth', 'expiry'].filter((k) => v[k] !== undefined);
  const forms = [v.mrz !== undefined, v['mrz-lines'] !== undefined, fields.length > 0, v['mrz-file'] !== undefined].filter(Boolean).length;
  if (forms === 0) return undefined;
  if (forms > 1) throw new UsageError('give the MRZ one way only: --mrz-file, --mrz, --mrz-lines, or --document-number/--birth/--expiry');
  if (v['mrz-file'] !== undefined) return undefined;
  if (v.mrz !== undefined) return { mrz: v.mrz as string };
  if (v['mrz-lines'] !== undefined) return { mrz: (v['mrz-lines'] as string).split(/[|\n]/).map((l) => l.trim()).filter(Boolean) };
  const missing = ['document-number', 'birth', 'expiry'].filter((k) => v[k] === undefined);
  if (missing.length) throw new UsageError('missing --' + missing.join(', --'));
  return { documentNumber: v['document-number'] as string, dateOfBirth: v.birth as string, dateOfExpiry: v.expiry as string };
}

export function parseCommandLine(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs names the option, never a value.
    // One line: "argument is ambiguous" comes as three.
    throw new UsageError((e as Error).message.replace(/\. To specify a positional.*$/s, '').replace(/\s*\n\s*/g, ' '));
  }
  const { values: v, positionals } = parsed;
  if (v.version) return { command: 'version' };
  let name = positionals[0];
  if (name === undefined && !v.help) throw new UsageError('no command given (commands: list, info, read, verify, trust import, trust list, trust remove)');
  if (v.help || name === undefined || name === 'help') return { command: 'help', topic: name === 'help' ? positionals[1] : name };
  let rest = positionals.slice(1);
  if (name === 'trust') {
    if (rest[0] !== 'import' && rest[0] !== 'list' && rest[0] !== 'remove') {
      throw new UsageError('trust has three subcommands: trust import <file.ml|certificate|file.crl>, trust list, trust remove <fingerprint|subject text> (each takes --trust DIR)');
    }
    name = 'trust-' + rest[0];
    rest = rest.slice(1);
  }
  const allowed = ALLOWED[name];
  // Named back only when it looks like a command word: never an MRZ typed in the wrong place.
  if (!allowed) throw new UsageError('unknown command' + (/^[a-z][a-z-]{0,19}$/.test(name) ? ' "' + name + '"' : '') + ' (commands: list, info, read, verify, trust import, trust list, trust remove)');
  for (const key of Object.keys(v)) {
    if (v[key as keyof typeof v] !== undefined && !allowed.includes(key)) throw new UsageError('--' + key + ' does not apply to ' + name.replace('-', ' '));
  }
  const json = Boolean(v.json);
  switch (name) {
    case 'list':
      if (rest.length) throw new UsageError('list takes no arguments');
      return { command: 'list', json };
    case 'info':
      if (rest.length) throw new UsageError('info takes no arguments');
      return { command: 'info', port: v.port, json };
    case 'read': {
      if (rest.length) throw new UsageError('read takes no positional arguments: pipe the MRZ on standard input, set PASSPORT_MRZ, or use --mrz-file FILE');
      let cardTimeoutMs: number | undefined;
      if (v['card-timeout'] !== undefined) {
        const s = Number(v['card-timeout']);
        if (!Number.isFinite(s) || s <= 0 || s > 3600) throw new UsageError('--card-timeout takes seconds, e.g. --card-timeout 30');
        cardTimeoutMs = Math.round(s * 1000);
      }
      return {
        command: 'read', mrz: mrzInput(v), mrzFile: v['mrz-file'], force: Boolean(v.force), port: v.port, groups: v.groups === undefined ? undefined : parseGroups(v.groups),
        trust: v.trust, out: v.out, json, quiet: Boolean(v.quiet), cardTimeoutMs,
      };
    }
    case 'verify':
      if (rest.length !== 1) throw new UsageError('verify takes one folder: the one "read --out DIR" wrote');
      return { command: 'verify', dir: rest[0], trust: v.trust, json, quiet: Boolean(v.quiet) };
    case 'trust-list':
      if (rest.length) throw new UsageError('trust list takes no arguments');
      return { command: 'trust-list', trust: v.trust, json };
    case 'trust-remove':
      if (rest.length !== 1 || !rest[0].trim()) throw new UsageError('trust remove takes one certificate: its SHA-256 fingerprint (at least 8 hex digits, as "trust list" shows it) or text of its subject');
      return { command: 'trust-remove', what: rest[0], trust: v.trust, json };
    default:
      if (rest.length !== 1) throw new UsageError('trust import takes one file: a master list (.ml) or a certificate (DER/PEM)');
      return { command: 'trust-import', file: rest[0], trust: v.trust, json };
  }
}
