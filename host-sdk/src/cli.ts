// `passport-reader`: list readers, show a reader's info, read a passport, import CSCA trust.
// `run(argv, io)` does everything and returns the exit code; the bin launcher calls it.

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, EXIT_CODE_TABLE, exitCodeFor } from './cli/exit-codes.js';
import { parseCommandLine, UsageError, type Command } from './cli/args.js';
import { documentJson, formatDocument, formatInfo, formatPorts, verdictLine } from './cli/format.js';
import { createProgress } from './cli/progress.js';
import { MRZ_ENV, mrzFromEnvironment, promptNoEcho, readMrzFile, type MrzSourceIo } from './cli/mrz-source.js';
import { prepareOutputDir, removeIfCreatedAndEmpty } from './cli/output-dir.js';
import { formatTrustListing, listTrust } from './cli/trust-list.js';
import { removeFromTrustDir } from './cli/trust-remove.js';
import { toJson as json } from './cli/json.js';
import { faceFileNames, saveDocument } from './cli/save-document.js';
import { ReaderError } from './reader-error.js';
import { UnverifiedDocumentError } from './unverified-document-error.js';
import { toBacKey, type MrzInput } from './mrz/mrz-input.js';
import { defaultTrustDir, importIntoTrustDir, loadTrustStore, type TrustStore } from './pa/trust-store.js';
import { DEFAULT_DATA_GROUPS, PassportReader } from './passport-reader.js';
import { loadSavedRead } from './document/saved-files.js';
import type { PassportDocument } from './passport-document.js';
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
  /** Where the MRZ comes from when not on the command line (tests replace it). */
  mrzSource: MrzSourceIo;
}

export const HELP = `passport-reader ${VERSION}: read and verify ePassports with the USB reader

Usage:
  passport-reader list [--json]                 serial ports, readers marked
  passport-reader info [--port PATH] [--json]   firmware, board, capabilities, NFC module
  passport-reader read [options] < mrz.txt      read a passport and verify it
  passport-reader verify DIR [--trust PATH] [--json] [--quiet]
                                                verify a read saved with --out again, offline:
                                                passive and Active Authentication on its files
  passport-reader trust import FILE [--trust DIR]
                                                add a CSCA master list (.ml, its signature is
                                                checked first), certificate or CRL to the trust folder
  passport-reader trust list [--trust DIR]      the trust folder's certificates and CRLs
  passport-reader trust remove FINGERPRINT|TEXT [--trust DIR]
                                                take one CSCA (and CRLs only it issued) out

MRZ: the document number, birth and expiry date (YYMMDD) on one line
("L898902C3 740812 120415"), or the full MRZ lines (TD1, TD2 or TD3), from:
  standard input       e.g. passport-reader read < mrz.txt
  --mrz-file FILE      a file only you can read (chmod 600; refused otherwise)
  ${MRZ_ENV}         the environment variable
  a prompt             on a terminal, typed without echo
  (--mrz, --mrz-lines, --document-number/--birth/--expiry still work but put the MRZ
  where other users see it (ps, shell history): a warning says so)

Read options:
  --port, -p PATH      the reader's serial port (default: the first reader found)
  --groups, -g LIST    data groups, e.g. 1,2,15 (default: every group EF.COM lists)
  --trust, -t PATH     CSCA trust: a folder, certificate or master list
                       (default ${'~/.config/passport-reader/trust'} when it exists)
  --out, -o DIR        save every file (EF.COM.bin, EF.SOD.bin, DG1.bin, ...), the Active
                       Authentication exchange (AA-challenge.bin, AA-response.bin), the face
                       (face.jpg or face.jp2, plus face.png for JPEG 2000) and report.json;
                       checked before the read, created 0700, files 0600
  --force, -f          write into a non-empty --out folder
  --card-timeout SEC   how long the reader waits for a passport
  --json               the document as JSON on stdout: an enrolment record, every
                       file (base64), the parsed groups and the reports
  --quiet, -q          print only the verdict

Exit codes:
${EXIT_CODE_TABLE.map(([code, text]) => '  ' + String(code).padEnd(5) + text).join('\n')}
`;

function defaultIo(): CliIo {
  return {
    stdout: process.stdout, stderr: process.stderr, tty: Boolean(process.stderr.isTTY),
    mrzSource: { env: process.env, stdin: process.stdin, stdinTty: Boolean(process.stdin.isTTY), prompt: promptNoEcho },
  };
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

/** A trust file that fails to parse is a trust-store error (exit 1), not an internal one. */
async function loadTrust(path: string): Promise<TrustStore> {
  try {
    return await loadTrustStore(path);
  } catch (e) {
    if (e instanceof ReaderError && e.code === 'trust-store') throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new ReaderError('trust-store', 'trust store ' + path + ': ' + why + '; it takes CSCA certificates (DER/PEM), master lists and CRLs: remove the file or give another --trust', { cause: e });
  }
}

/** --trust, else the default folder when it exists, else none (the verdict says no-trust-store). */
async function trustFor(path: string | undefined): Promise<TrustStore | null> {
  const trustPath = path ?? ((await exists(defaultTrustDir())) ? defaultTrustDir() : undefined);
  return trustPath ? loadTrust(trustPath) : null;
}

/** The document's lines, verdict, or JSON, as `read` and `verify` print them. */
function printDocument(cmd: { json: boolean; quiet: boolean }, io: CliIo, doc: PassportDocument, written: string[], facePath: string | null): void {
  if (cmd.json) io.stdout.write(json(documentJson(doc, written, facePath)));
  else if (cmd.quiet) io.stdout.write(verdictLine(doc.verdict) + '\n');
  else io.stdout.write(formatDocument(doc));
}

/** `verify DIR`: the read saved by --out, verified again offline (document/saved-files.ts). */
async function verifyCommand(cmd: Extract<Command, { command: 'verify' }>, io: CliIo): Promise<number> {
  const trust = await trustFor(cmd.trust);
  const doc = await loadSavedRead(cmd.dir, { trustStore: trust }, DEFAULT_DATA_GROUPS);
  const face = faceImagePath(doc, cmd.dir);
  printDocument(cmd, io, doc, [], face && (await exists(face)) ? face : null);
  return doc.verified ? EXIT.VERIFIED : EXIT.NOT_VERIFIED;
}

async function readCommand(cmd: Extract<Command, { command: 'read' }>, io: CliIo): Promise<number> {
  let mrz: MrzInput;
  if (cmd.mrz) {
    io.stderr.write('passport-reader: warning: the MRZ on the command line is visible to other users (ps) and kept in shell history; pipe it on standard input, set ' + MRZ_ENV + ' or use --mrz-file instead\n');
    mrz = cmd.mrz;
  } else mrz = cmd.mrzFile !== undefined ? await readMrzFile(cmd.mrzFile) : await mrzFromEnvironment(io.mrzSource);
  toBacKey(mrz); // invalid-mrz now, before the port is even opened
  const trust = await trustFor(cmd.trust);
  const createdOut = cmd.out ? await prepareOutputDir(cmd.out, cmd.force) : false;
  try {
    return await readAndSave(cmd, io, mrz, trust);
  } catch (e) {
    // Nothing was read: leave no empty folder behind.
    if (cmd.out) await removeIfCreatedAndEmpty(cmd.out, createdOut);
    throw e;
  }
}

async function readAndSave(cmd: Extract<Command, { command: 'read' }>, io: CliIo, mrz: MrzInput, trust: TrustStore | null): Promise<number> {
  const reader = await openReader(io, cmd.port);
  const progress = cmd.quiet ? null : createProgress(io.stderr, io.tty);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  const signal = io.signal ?? abort.signal;
  if (!io.signal) process.once('SIGINT', onSigint);
  let doc: PassportDocument;
  try {
    doc = await reader.read(mrz, { dataGroups: cmd.groups, trust, signal, onProgress: progress ?? undefined, cardTimeoutMs: cmd.cardTimeoutMs });
  } catch (e) {
    if (!(e instanceof UnverifiedDocumentError)) throw e;
    doc = e.document; // hash mismatch: show and save what was read, exit NOT_VERIFIED
  } finally {
    progress?.stop();
    if (!io.signal) process.off('SIGINT', onSigint);
    await reader.close().catch(() => {});
  }
  const written = cmd.out ? await saveDocument(doc, cmd.out) : [];
  printDocument(cmd, io, doc, written, cmd.out ? faceImagePath(doc, cmd.out) : null);
  if (written.length && !cmd.json && !cmd.quiet) io.stdout.write('Saved ' + written.length + ' files in ' + cmd.out + '\n');
  return doc.verified ? EXIT.VERIFIED : EXIT.NOT_VERIFIED;
}

/** Where the first face went: the PNG made from a JPEG 2000 (what a screen shows), else the image
 * as the chip stored it; null without a face. */
function faceImagePath(doc: PassportDocument, dir: string): string | null {
  const first = faceFileNames(doc)[0];
  return first ? join(dir, first.viewable ?? first.image) : null;
}

async function execute(cmd: Command, io: CliIo): Promise<number> {
  switch (cmd.command) {
    case 'help':
      io.stdout.write(HELP);
      return cmd.topic && !['list', 'info', 'read', 'verify', 'trust', 'help'].includes(cmd.topic) ? EXIT.USAGE : EXIT.VERIFIED;
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
    case 'verify':
      return verifyCommand(cmd, io);
    case 'trust-list': {
      const listing = await listTrust(cmd.trust ?? defaultTrustDir());
      io.stdout.write(cmd.json ? json(listing) : formatTrustListing(listing));
      return EXIT.VERIFIED;
    }
    case 'trust-remove': {
      const result = await removeFromTrustDir(cmd.what, cmd.trust ?? defaultTrustDir());
      if (cmd.json) io.stdout.write(json(result));
      else io.stdout.write('Removed ' + result.subject + '  sha256 ' + result.sha256.slice(0, 16) + ' from ' + result.dir + ' (' + result.removed.join(', ') + ')\n');
      return EXIT.VERIFIED;
    }
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
  if (argv.length === 0) {
    // Like any usage error: help on stderr, exit 1 (a script that forgot its arguments fails).
    io.stderr.write(HELP + '\npassport-reader: no command given [invalid-argument]\n');
    return EXIT.USAGE;
  }
  let wantsJson = argv.includes('--json');
  try {
    const cmd = parseCommandLine(argv);
    wantsJson = 'json' in cmd && cmd.json;
    return await execute(cmd, io);
  } catch (e) {
    const error = e instanceof ReaderError ? e : new ReaderError('internal', 'unexpected failure: ' + (e instanceof Error ? e.message : String(e)), { cause: e });
    const exitCode = exitCodeFor(error.code);
    io.stderr.write('passport-reader: ' + error.message + ' [' + error.code + ']\n');
    // Only for a mistyped command line; a refused --out folder or MRZ file says what to do itself.
    if (e instanceof UsageError) io.stderr.write('Try "passport-reader --help".\n');
    if (wantsJson) io.stdout.write(json({ error: { code: error.code, message: error.message, field: error.field }, exitCode }));
    return exitCode;
  }
}
