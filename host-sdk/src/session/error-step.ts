// The sentence for a reader error. The firmware keeps its strings short (flash): a file read
// that fails sends its step as a code at the start of the message, 'sel ' (SELECT) or
// '@<offset> ' (READ BINARY at that offset), followed by prose only in the portable bundle.
// The host words it: 'reading DG2 at offset 4096: status 6A82'.

import { fileName } from '@epassport/protocol';

const STEP = /^(?:sel|@(\d+)) ?/;

export function readerErrorMessage(code: string, message: string, sw: number, fileId: number): string {
  const step = STEP.exec(message);
  if (!step || !fileId) return message || 'the reader reported ' + code;
  const where = step[1] === undefined ? 'selecting ' + fileName(fileId) : 'reading ' + fileName(fileId) + ' at offset ' + step[1];
  const what = sw ? 'status ' + sw.toString(16).toUpperCase().padStart(4, '0') : code;
  const prose = message.slice(step[0].length);
  return where + ': ' + what + (prose ? ' (' + prose + ')' : '');
}
