import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { openSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { encodeMessage, MessageDecoder, PROTOCOL_VERSION, type ReceivedMessage } from '@epassport/protocol';
import { testFirmwareFile } from '../sim/test-firmware';
import { parseSimulateArgs } from './simulate';
import { requireTool } from '../../test/support/requires-tool';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

describe('simulate arguments', () => {
  it('parses the documented options', () => {
    expect(parseSimulateArgs(['--document', 'alice', '--board', 'pico-spi'])).toEqual({ document: 'alice', board: 'pico-spi', vpcd: undefined, bundle: undefined });
    expect(parseSimulateArgs(['--vpcd', '35963']).vpcd).toBe(35963);
    expect(() => parseSimulateArgs([])).toThrow(/--document/);
    expect(() => parseSimulateArgs(['--document'])).toThrow(/needs a value/);
    expect(() => parseSimulateArgs(['--vpcd', 'x'])).toThrow(/TCP port/);
    expect(() => parseSimulateArgs(['--document', 'a', '--bogus'])).toThrow(/unknown option/);
  });
});

describe.skipIf(!requireTool('pty', 'simulate.ts on a pty'))('simulate CLI on a pseudo-terminal', () => {
  it('prints serial: /dev/pts/N first and answers hello there', async () => {
    const bundle = await testFirmwareFile();
    const child = spawn(process.execPath, ['--conditions=@epassport/source', '--import', 'tsx', join(root, 'hardware/bin/simulate.ts'), '--document', 'none', '--board', 'pico', '--bundle', bundle], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    try {
      const first = await new Promise<string>((resolve, reject) => {
        const rl = createInterface({ input: child.stdout! });
        rl.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`simulate exited ${code}: ${stderr}`)));
      });
      const m = /^serial: (\/dev\/pts\/\d+)$/.exec(first);
      expect(m, first).not.toBeNull();
      const fd = openSync(m![1], 'r+');
      const decoder = new MessageDecoder();
      const got: ReceivedMessage[] = [];
      const stream = new ReadStream(fd); // a tty stream: libuv polls the pty, destroy() closes it
      stream.on('data', (b) => got.push(...decoder.push(new Uint8Array(b as Buffer))));
      writeSync(fd, encodeMessage({ type: 'hello', protocolVersion: PROTOCOL_VERSION }, 0));
      for (let i = 0; i < 500 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      stream.destroy();
      expect(got[0]?.message, stderr).toMatchObject({ type: 'hello-reply', board: 'PICO', nfcFirmware: 0x32010607 });
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
