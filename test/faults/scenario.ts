// The fault matrix is data: a Scenario says which faults to arm, when, and what outcomes are
// acceptable; run-scenario.ts interprets it. Numbers given as [min, max] are drawn per run from
// the run's seed (seeded-random.ts), so N runs of a scenario hit N different positions.

import type { CommandKind } from '@epassport/hardware/sim/passport/passport-options';
import type { LinkDirection, LinkFaultPlan } from '@epassport/hardware/sim/link-faults';
import type { Phase } from './calibration';
import type { Range } from './seeded-random';

/** A number, a [min, max] range, or "somewhere inside this phase of a clean read" (measured by
 * calibration.ts: answer numbers, answer bytes, or virtual ms from the start of the read). */
export type At = Range | { in: Phase };

export type ScenarioGroup = 'usb' | 'pn532' | 'rf' | 'hostile';

/** When a step fires, measured from the moment the host sends `read`. */
export type Trigger =
  | { afterMs: At }
  | { progress: string }
  | { fileBegin: number }
  /** The first chunk of `file` that reaches `offset` or beyond. */
  | { chunk: number; offset: Range };

export type Action =
  | { pn532: 'drop-ack'; count: Range }
  | { pn532: 'corrupt-response'; count: Range }
  | { pn532: 'exchange-error'; status: number; count: Range }
  | { pn532: 'silence'; ms?: Range }
  | { pn532: 'speak' }
  | { pn532: 'reset-mid-command'; afterAckMs: Range }
  | { pn532: 'endless-mi'; parts?: number }
  | { card: 'remove' }
  /** Puts the card back if it left the field (removedAfterBytes or remove). */
  | { card: 'reinsert' }
  | { link: 'faults'; plan: LinkFaultPlan }
  | { link: 'hold'; direction: LinkDirection; ms: Range }
  /** The host drops every frame it receives (acknowledges nothing) for `ms`. */
  | { host: 'deaf'; ms: Range }
  | { host: 'cancel' };

export interface Step {
  when: Trigger;
  do: Action[];
  /** Further actions `ms` later (the module comes back, the card is put back, ...). */
  later?: { ms: Range; do: Action[] };
}

/** How the chip's answers are tampered with (PassportOptions.mutateResponse), counted over every
 * answered APDU from 1. */
export type Mutation =
  /** One random bit of answer N flipped. */
  | { kind: 'flip-bit'; response: At }
  /** Answer N replaced by a bare status word (drawn from `sw`). */
  | { kind: 'status'; response: At; sw: number[] }
  /** Every answer from N on replaced by the bare status word `sw` (61xx loops, ...). */
  | { kind: 'status-from'; response: At; sw: number }
  /** Answer N gets `extra` random bytes before its status word (an oversized answer). */
  | { kind: 'oversize'; response: At; extra: Range };

/** How the chip's files differ from the signed fixture (hostile or damaged chips). */
export type FilePatch =
  /** The file is random bytes of `length`. */
  | { file: number; garbage: Range }
  /** The file's first bytes replaced by `header` (tag and a wrong or huge length). */
  | { file: number; header: number[] }
  /** The file is `depth` nested constructed TLVs (30 82 ...), `tag` outermost. */
  | { file: number; nested: Range; tag: number }
  /** The chip has no such file (SELECT / READ BINARY answer 6A82). */
  | { file: number; missing: true }
  /** One byte of the content flipped (a hash mismatch). */
  | { file: number; flipByteAt: Range }
  /** The file cut short to `length` bytes (its TLV length promises more). */
  | { file: number; truncateTo: Range };

export interface PassportSpec {
  removedAfterBytes?: At;
  wrongMacResponse?: At;
  corruptResponse?: { index: At; byteOffset?: Range };
  processingMs?: Range | Partial<Record<CommandKind, Range>>;
  mutate?: Mutation;
  shortReadSw?: 0x9000 | 0x6282;
  plainErrors?: boolean;
}

/** An acceptable final outcome: 'verified', an error code, or 'abandoned' (the host went away
 * on purpose and never saw a final message). '*' accepts any typed device error. */
export type Outcome = string;

export interface Scenario {
  name: string;
  group: ScenarioGroup;
  /** One line: what goes wrong. */
  what: string;
  /** Board file(s); one is drawn per run. Default 'pico'. */
  boards?: string[];
  fixture?: string;
  passport?: PassportSpec;
  files?: FilePatch[];
  /** Link faults from the start of the read. */
  link?: LinkFaultPlan;
  steps?: Step[];
  /** No card in the field when the read starts (one step puts it there). */
  cardAbsentAtStart?: boolean;
  /** Data groups asked for (default 1, 2, 15) and the card timeout (default 5000 ms). */
  dataGroups?: number[];
  cardTimeoutMs?: number;
  /** The host closes its port at a random moment and a new host session comes back later. */
  hostCloses?: { atMs: At; backAfterMs: Range };
  /** Acceptable outcomes of the faulted read. */
  expect: Outcome[];
  /** Virtual time allowed for the faulted read (default 60 s; a resume waits 10 s). */
  maxMs?: number;
}
