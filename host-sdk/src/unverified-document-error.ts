// A read that finished but did not verify (hash-mismatch, untrusted) still hands back what it
// read: this subclass carries the document, so that reader-error.ts need not know the document
// type (which reaches every parser, and every parser imports reader-error.ts).

import { ReaderError } from './reader-error.js';
import type { PassportDocument } from './passport-document.js';

export type UnverifiedCode = 'hash-mismatch' | 'untrusted';

export class UnverifiedDocumentError extends ReaderError {
  /** Everything that was read, with its passive authentication report. */
  readonly document: PassportDocument;

  constructor(code: UnverifiedCode, message: string, document: PassportDocument, fileId?: number) {
    super(code, message, { fileId });
    this.name = 'UnverifiedDocumentError';
    this.document = document;
  }
}
