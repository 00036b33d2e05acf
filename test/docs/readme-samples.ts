// README samples come from real runs. A sample is a fenced block right after a marker:
//
//   <!-- sample: passport-reader read --port $READER --mrz ... | reader: utopia-jp2 -->
//   ```
//   (what the command prints, stdout and stderr as they interleave)
//   ```
//
// The command runs from the repository root in sh; `passport-reader` is the workspace's CLI,
// `$READER` a virtual reader (simulate.ts) with the document named after `reader:`. Volatile
// bits are normalised (pty numbers, the repository's path). `npm test` compares every sample with
// a fresh run (readme-samples.test.ts); after a deliberate change, rewrite them:
//
//   npx tsx --conditions=@epassport/source test/docs/readme-samples.ts --write [README.md ...]

import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const README_FILES = ['README.md', 'host-sdk/README.md'];

const SOURCE_NODE = `"${process.execPath}" --conditions=@epassport/source --import tsx`;
const MARKER = /<!-- sample: (.+?)(?: \| reader: ([\w-]+))? -->\n```[^\n]*\n([\s\S]*?)```/g;

export interface Sample {
  file: string;
  /** The command as the README shows it. */
  command: string;
  /** Fixture of the virtual reader that $READER names, if any. */
  reader?: string;
  /** The block's text as committed. */
  text: string;
  /** Offsets of the block's text in the file. */
  start: number;
  end: number;
}

export function findSamples(file: string, markdown: string): Sample[] {
  const out: Sample[] = [];
  for (const m of markdown.matchAll(MARKER)) {
    const start = m.index! + m[0].length - 3 - m[3].length;
    out.push({ file, command: m[1], reader: m[2], text: m[3], start, end: start + m[3].length });
  }
  return out;
}

/** What differs run to run: pty numbers, absolute paths of this checkout, trailing blanks. */
export function normalise(text: string): string {
  return text
    .split(ROOT + '/').join('')
    .replace(/\/dev\/pts\/\d+/g, '/dev/pts/N')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n*$/, '\n');
}

function sh(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', 'exec 2>&1; ' + command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('close', () => resolve(out));
  });
}

/** Runs a sample's command now and returns its normalised output. */
export async function runSample(sample: Pick<Sample, 'command' | 'reader'>): Promise<string> {
  let command = sample.command.replace(/^passport-reader\b/, `${SOURCE_NODE} host-sdk/bin/passport-reader.mjs`);
  // The CLI refuses to write into files that exist: every run starts without out/readme.
  rmSync(join(ROOT, 'out/readme'), { recursive: true, force: true });
  let stopReader = async () => {};
  if (sample.reader) {
    // Imported here so that the module stays cheap for callers that only parse READMEs.
    const { startSimulator } = await import('../support/virtual-reader');
    const sim = await startSimulator(sample.reader, 'pico');
    command = command.split('$READER').join(sim.path);
    stopReader = async () => void (await sim.stop());
  }
  try {
    return normalise(await sh(command, { ...process.env, HOME: join(ROOT, 'out/readme-home') }));
  } finally {
    await stopReader();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const files = args.filter((a) => !a.startsWith('--'));
  let stale = 0;
  for (const file of files.length ? files : README_FILES) {
    let markdown = readFileSync(join(ROOT, file), 'utf8');
    // From the end, so that earlier offsets stay valid while the text changes.
    for (const sample of findSamples(file, markdown).reverse()) {
      const live = await runSample(sample);
      if (live === normalise(sample.text)) continue;
      stale++;
      console.log(`${file}: the sample of \`${sample.command}\` ${write ? 'rewritten' : 'differs from a run'}`);
      markdown = markdown.slice(0, sample.start) + live + markdown.slice(sample.end);
    }
    if (write) writeFileSync(join(ROOT, file), markdown);
  }
  if (stale && !write) process.exitCode = 1;
}

if (process.argv[1] && /readme-samples\.ts$/.test(process.argv[1])) void main();
