// Read progress for people: a bar per phase on a terminal (cli-progress), plain lines otherwise.
// Always on stderr, and never any personal data.

import { SingleBar } from 'cli-progress';
import { fileName } from '@epassport/protocol';
import type { ReadEvent } from '../session/read-stream.js';

export interface ProgressSink {
  (event: ReadEvent): void;
  stop(): void;
}

const PHASE_TEXT: Record<string, string> = {
  'waiting-for-card': 'waiting for a passport on the reader',
  connecting: 'passport found, connecting',
  authenticating: 'authenticating (BAC)',
  done: 'done',
};

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean }, tty: boolean): ProgressSink {
  let phase = '';
  let bar: SingleBar | null = null;
  const stopBar = () => {
    bar?.stop();
    bar = null;
  };
  const line = (text: string) => {
    stopBar();
    stream.write(text + '\n');
  };
  const sink = ((e: ReadEvent) => {
    switch (e.type) {
      case 'progress':
        if (e.phase !== phase && e.phase !== 'reading') {
          phase = e.phase;
          if (tty && e.phase === 'waiting-for-card' && e.total > 0) {
            stopBar();
            bar = new SingleBar({ stream, format: 'waiting for a passport [{bar}] {value}/{total} s', hideCursor: true, clearOnComplete: true, barsize: 30 });
            bar.start(Math.round(e.total / 1000), 0);
          } else if (e.phase === 'card-lost' || e.phase === 'resumed') {
            // The device waits for the same passport, then reads on from where it was.
            const where = e.fileId ? ' at ' + fileName(e.fileId) + (e.total ? ' ' + e.done + '/' + e.total : '') : '';
            line(e.phase === 'resumed' ? 'resumed' + where : 'passport lost' + where + ' \u2014 place it again');
            if (tty && e.phase === 'resumed' && e.fileId && e.total) {
              bar = new SingleBar({ stream, format: 'reading {file} [{bar}] {value}/{total} bytes', hideCursor: true, clearOnComplete: true, barsize: 30 });
              bar.start(e.total, e.done, { file: fileName(e.fileId).padEnd(6) });
            }
          } else {
            line(PHASE_TEXT[e.phase] ?? e.phase);
          }
        } else if (bar && e.phase === 'waiting-for-card') {
          bar.update(Math.round(e.done / 1000));
        }
        break;
      case 'file-begin':
        phase = 'reading';
        if (tty) {
          stopBar();
          bar = new SingleBar({ stream, format: 'reading {file} [{bar}] {value}/{total} bytes', hideCursor: true, clearOnComplete: true, barsize: 30 });
          bar.start(e.length, 0, { file: e.name.padEnd(6) });
        }
        break;
      case 'chunk':
        bar?.update(e.received);
        break;
      case 'file-end': {
        const v = e.hostVerdict !== 'not-checked' ? e.hostVerdict : e.verdict;
        line('read ' + fileName(e.fileId) + ' (' + e.length + ' bytes' + (v !== 'not-checked' ? ', hash ' + v : '') + ')');
        break;
      }
      default:
        break;
    }
  }) as ProgressSink;
  sink.stop = stopBar;
  return sink;
}
