// `passport-reader`: list readers, show a reader's info, read a passport, import CSCA trust.
// `run(argv, io)` does everything and returns the exit code; the bin launcher calls it.

import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, EXIT_CODE_TABLE, exitCodeFor } from './cli/exit-codes.js';
import { parseCommandLine, type Command } from './cli/args.js';
import { documentJson, formatDocument, formatInfo, formatPorts, verdictLine } from './cli/format.js';
import { createProgress } from './cli/progress.js';
import { ReaderError } from './reader-error.js';
import { UnverifiedDocumentError } from './unverified-document-error.js';
import { toBacKey } from './mrz/mrz-input.js';
import { defaultTrustDir, importIntoTrustDir, loadTrustStore, type TrustStore } from './pa/trust-store.js';
import { PassportReader } from './passport-reader.js';
import { fileBaseName, type PassportDocument } from './passport-document.js';
import type { BindingInterface } from './transport/binding.js';

export const VERSION = '0.1.0';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: NodeJS.WritableStream;
  /** stderr is a terminal: progress bars instead of lines. */
  tty: boolean;
  /** serialport binding (tests). */
  binding?: BindingInterface;
  sysfsRoot?: string | null;
  /** Cancels a read (tests); by default Ctrl-C (SIGINT) does. */
  signal?: AbortSignal;
  handshakeTimeoutMs?: number;
}

export const HELP = `passport-reader ${VERSION}: read and verify ePassports with the USB reader

Usage:
  passport-reader list [--json]                 serial ports, readers marked
  passport-reader info [--port PATH] [--json]   firmware, board, capabilities, NFC module
  passport-reader read MRZ [options]            read a passport and verify it
  passport-reader trust import FILE [--trust DIR]
                                                add a CSCA master list (.ml, its signature is
                                                checked first) or certificate to the trust folder

MRZ (one of):
  --mrz "L898902C3 740812 120415"               document number, birth and expiry date (YYMMDD)
  --mrz-lines "P<UTO...|L898902C36UTO..."        the full MRZ lines (TD1, TD2 or TD3), '|' between
  --document-number X --birth YYMMDD --expiry YYMMDD

Read options:
  --port, -p PATH      the reader's serial port (default: the first reader found)
  --groups, -g LIST    data groups, e.g. 1,2,15 (default 1,2)
  --trust, -t PATH     CSCA trust: a folder, certificate or master list
                       (default ${'~/.config/passport-reader/trust'} when it exists)
  --out, -o DIR        save every file (EF.COM.bin, EF.SOD.bin, DG1.bin, ...), the face
                       (face.jpg or face.jp2, plus face.png for JPEG 2000) and report.json
  --card-timeout SEC   how long the reader waits for a passport
  --json               machine-readable output on stdout
  --quiet, -q          print only the verdict

Exit codes:
${EXIT_CODE_TABLE.map(([code, text]) => '  ' + String(code).padEnd(5) + text).join('\n')}
`;

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, tty: Boolean(process.stderr.isTTY) };
}

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v instanceof Map ? Object.fromEntries(v) : v), 2) + '\n';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function openReader(io: CliIo, port?: string): Promise<PassportReader> {
  return PassportReader.open({ path: port, binding: io.binding, sysfsRoot: io.sysfsRoot, handshakeTimeoutMs: io.handshakeTimeoutMs });
}

/** Writes the files, faces and report of a document into `dir`; returns the names written. */
export async function saveDocument(doc: PassportDocument, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const put = async (name: string, data: Uint8Array | string) => {
    await writeFile(join(dir, name), data);
    written.push(name);
  };
  for (const f of doc.files.values()) await put(fileBaseName(f.fileId), f.bytes);
  for (let i = 0; i < doc.faces.length; i++) {
    const face = doc.faces[i];
    const base = i === 0 ? 'face' : 'face-' + (i + 1);
    const ext = face.mime === 'image/jpeg' ? '.jpg' : face.mime === 'image/jp2' ? '.jp2' : face.mime === 'image/j2k' ? '.j2k' : '.bin';
    await put(base + ext, face.bytes);
    if (face.viewable && face.viewable.mime === 'image/png') await put(base + '.png', face.viewable.bytes);
  }
  // The passive authentication report, with the document's verdict (verified, reasons) over it.
  const report = { ...doc.passiveAuthentication, verified: doc.verified, reasons: doc.verdict.reasons, chipAuthenticity: doc.chipAuthenticity, activeAuthentication: doc.activeAuthentication, missingGroups: doc.missingGroups };
  await put('report.json', json(report));
  return written;
}

async function readCommand(cmd: Extract<Command, { command: 'read' }>, io: CliIo): Promise<number> {
  toBacKey(cmd.mrz); // invalid-mrz now, before the port is even opened
  let trust: TrustStore | null = null;
  const trustPath = cmd.trust ?? ((await exists(defaultTrustDir())) ? defaultTrustDir() : undefined);
  if (trustPath) trust = await loadTrustStore(trustPath);

  const reader = await openReader(io, cmd.port);
  const progress = cmd.quiet ? null : createProgress(io.stderr, io.tty);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  const signal = io.signal ?? abort.signal;
  if (!io.signal) process.once('SIGINT', onSigint);
  let doc: PassportDocument;
  try {
    doc = await reader.read(cmd.mrz, { dataGroups: cmd.groups, trust, signal, onProgress: progress ?? undefined, cardTimeoutMs: cmd.cardTimeoutMs });
  } catch (e) {
    if (!(e instanceof UnverifiedDocumentError)) throw e;
    doc = e.document; // hash mismatch: show and save what was read, exit NOT_VERIFIED
  } finally {
    progress?.stop();
    if (!io.signal) process.off('SIGINT', onSigint);
    await reader.close().catch(() => {});
  }
  const written = cmd.out ? await saveDocument(doc, cmd.out) : [];
  if (cmd.json) io.stdout.write(json(documentJson(doc, written)));
  else if (cmd.quiet) io.stdout.write(verdictLine(doc.verdict) + '\n');
  else {
    io.stdout.write(formatDocument(doc));
    if (written.length) io.stdout.write('Saved ' + written.length + ' files in ' + cmd.out + '\n');
  }
  return doc.verified ? EXIT.VERIFIED : EXIT.NOT_VERIFIED;
}

async function execute(cmd: Command, io: CliIo): Promise<number> {
  switch (cmd.command) {
    case 'help':
      io.stdout.write(HELP);
      return cmd.topic && !['list', 'info', 'read', 'trust', 'help'].includes(cmd.topic) ? EXIT.USAGE : EXIT.VERIFIED;
    case 'version':
      io.stdout.write(VERSION + '\n');
      return EXIT.VERIFIED;
    case 'list': {
      const ports = await PassportReader.list({ binding: io.binding, sysfsRoot: io.sysfsRoot });
      io.stdout.write(cmd.json ? json(ports) : formatPorts(ports));
      return EXIT.VERIFIED;
    }
    case 'info': {
      const reader = await openReader(io, cmd.port);
      try {
        io.stdout.write(cmd.json ? json(reader.info) : formatInfo(reader.info));
      } finally {
        await reader.close();
      }
      return EXIT.VERIFIED;
    }
    case 'read':
      return readCommand(cmd, io);
    case 'trust-import': {
      const result = await importIntoTrustDir(cmd.file, cmd.trust ?? defaultTrustDir());
      if (cmd.json) io.stdout.write(json(result));
      else {
        io.stdout.write('Imported ' + result.added.length + ' certificate(s) into ' + result.dir + (result.skipped ? ' (' + result.skipped + ' already there)' : '') + '\n');
        for (const c of result.added) io.stdout.write('  ' + c.subject + '  until ' + c.notAfter.slice(0, 10) + '\n');
      }
      return EXIT.VERIFIED;
    }
  }
}

/** Runs the CLI; returns the exit code. Errors go to stderr as one line (and as JSON on stdout
 * with --json); they never hold personal data. */
export async function run(argv: string[], partialIo: Partial<CliIo> = {}): Promise<number> {
  const io = { ...defaultIo(), ...partialIo };
  let wantsJson = argv.includes('--json');
  try {
    const cmd = parseCommandLine(argv);
    wantsJson = 'json' in cmd && cmd.json;
    return await execute(cmd, io);
  } catch (e) {
    const error = e instanceof ReaderError ? e : new ReaderError('internal', 'unexpected failure: ' + (e instanceof Error ? e.message : String(e)), { cause: e });
    const exitCode = exitCodeFor(error.code);
    io.stderr.write('passport-reader: ' + error.message + ' [' + error.code + ']\n');
    if (exitCode === EXIT.USAGE && error.code === 'invalid-argument') io.stderr.write('Try "passport-reader --help".\n');
    if (wantsJson) io.stdout.write(json({ error: { code: error.code, message: error.message, field: error.field }, exitCode }));
    return exitCode;
  }
}
