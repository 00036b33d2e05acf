// Host input faults in `npm test`: malformed MRZ strings, bad command lines, corrupt master lists.

import { describe, expect, it } from 'vitest';
import { BAD_ARGS, BAD_MRZ, runHostInputChecks } from './host-input';

describe('host input faults', () => {
  it('every malformed MRZ, bad command line and corrupt master list is refused with a typed, one-line, impersonal error', async () => {
    const checks = await runHostInputChecks(5);
    const [mrz, cli, ml] = checks;
    expect(mrz.rejected).toBeGreaterThanOrEqual(BAD_MRZ.length);
    expect(cli.rejected).toBeGreaterThanOrEqual(BAD_ARGS.length);
    expect(ml.rejected).toBeGreaterThan(20);
    expect(checks.flatMap((c) => c.failures)).toEqual([]);
  }, 60_000);
});
