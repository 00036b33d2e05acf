// Where the CLI gets the MRZ when it is not on the command line (a command line is visible to
// every user in `ps` and lands in shell history): --mrz-file, $PASSPORT_MRZ, standard input, or
// a prompt without echo on a terminal.

import { stat, readFile } from 'node:fs/promises';
import { ReaderError } from '../reader-error.js';
import type { MrzInput } from '../mrz/mrz-input.js';

export const MRZ_ENV = 'PASSPORT_MRZ';

export interface MrzSourceIo {
  env: Record<string, string | undefined>;
  /** Standard input, read whole when it is not a terminal. */
  stdin: AsyncIterable<string | Buffer> | Iterable<string | Buffer> | null;
  stdinTty: boolean;
  /** Asks on the terminal without echo; returns the line typed. */
  prompt(question: string): Promise<string>;
}

/** "NUMBER YYMMDD YYMMDD" on one line, or the full MRZ lines (one per line, or '|' between). */
export function mrzFromText(text: string): MrzInput {
  const lines = text.split(/[|\r\n]+/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) throw new ReaderError('invalid-mrz', 'the MRZ given is empty: give "NUMBER YYMMDD YYMMDD" or the MRZ lines');
  return lines.length === 1 ? { mrz: lines[0] } : { mrz: lines };
}

/** Reads an MRZ file; refuses one other users can read (it holds personal data). */
export async function readMrzFile(path: string): Promise<MrzInput> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (e) {
    throw new ReaderError('invalid-argument', '--mrz-file: cannot read the file (' + (e as NodeJS.ErrnoException).code + '); check the path');
  }
  if (mode & 0o044) throw new ReaderError('invalid-argument', '--mrz-file: the file is readable by other users; it holds personal data: run "chmod 600" on it and try again');
  return mrzFromText(await readFile(path, 'utf8'));
}

async function readAll(stream: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** The MRZ from $PASSPORT_MRZ, else the prompt on a terminal, else standard input. */
export async function mrzFromEnvironment(io: MrzSourceIo): Promise<MrzInput> {
  const fromEnv = io.env[MRZ_ENV];
  if (fromEnv !== undefined && fromEnv.trim()) return mrzFromText(fromEnv);
  if (io.stdinTty) return mrzFromText(await io.prompt('MRZ (document number, birth and expiry date, or the MRZ lines; not shown): '));
  if (!io.stdin) throw noMrz();
  const text = await readAll(io.stdin);
  if (!text.trim()) throw noMrz();
  return mrzFromText(text);
}

function noMrz(): ReaderError {
  return new ReaderError('invalid-argument', 'read needs the MRZ and got none: pipe it on standard input, set ' + MRZ_ENV + ', or use --mrz-file FILE (mode 600)');
}

/** A line from the terminal with echo off (raw mode): the MRZ never shows on screen. */
export function promptNoEcho(question: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let line = '';
    stdin.setRawMode(true);
    stdin.resume();
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new ReaderError('cancelled', 'cancelled at the MRZ prompt'));
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.on('data', onData);
  });
}
