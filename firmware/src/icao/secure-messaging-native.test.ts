// The secure-messaging suites again with the native blob behind the seams (keys and SSC in the
// 808-byte SM ctx, unwrap by sm_unwrap, entry 18) on the emulated Cortex-M4: callers must not be
// able to tell. The suites are imported after the blob is installed, so their modules probe it.
import { describe, expect, it } from 'vitest';
import { installNativeSeams, nativeEmulatorAvailable } from '../../test/support/native-node';

const available = nativeEmulatorAvailable('the secure-messaging suites on the native blob (sm_unwrap)');
const calls = available ? installNativeSeams() : null;

describe.skipIf(!available)('secure messaging on the native blob', () => {
  it('the seam took the native path (the suites below ran sm_unwrap)', async () => {
    const { nativeEntries } = await import('../native/blob');
    expect(nativeEntries()).not.toBeNull();
  });
});

if (calls) {
  await import('./secure-messaging.test');
  await import('./appendix-d.test');
  await import('./file-reader-pipeline.test');
  await import('./extended-length.test');
  describe('secure messaging on the native blob, afterwards', () => {
    it('sm_unwrap, not the TypeScript unwrap, opened the responses', () => {
      expect(calls.counts.sm_unwrap).toBeGreaterThan(20);
    });
  });
}
