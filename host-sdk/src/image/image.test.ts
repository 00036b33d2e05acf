import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { imageMime, jpeg2000Codestream, jpegSize } from './image-type';
import { decodeJpeg2000, toViewable } from './viewable-image';
import { makeJpeg, makeJpeg2000, testPattern } from '../../test/support/lds-builder';

describe('face images', () => {
  it('recognises formats and reads the JPEG frame size', () => {
    const jpg = makeJpeg(33, 17);
    expect(imageMime(jpg)).toBe('image/jpeg');
    expect(jpegSize(jpg)).toEqual({ width: 33, height: 17 });
    expect(imageMime(new Uint8Array([1, 2, 3, 4]))).toBe('application/octet-stream');
  });

  it('decodes JPEG 2000 losslessly (JP2 and codestream) and converts it to PNG', async () => {
    for (const container of ['jp2', 'j2k'] as const) {
      const bytes = await makeJpeg2000(64, 48, container);
      const decoded = await decodeJpeg2000(bytes);
      expect(decoded).toMatchObject({ width: 64, height: 48, components: 3 });
      expect(Buffer.from(decoded.pixels).equals(Buffer.from(testPattern(64, 48)))).toBe(true);
      const view = await toViewable(bytes);
      expect(view.mime).toBe('image/png');
      const png = PNG.sync.read(Buffer.from(view.bytes));
      expect([png.width, png.height]).toEqual([64, 48]);
      expect([...png.data.subarray(4 * 65, 4 * 65 + 4)]).toEqual([...testPattern(64, 48).subarray(3 * 65, 3 * 65 + 3), 255]);
    }
  });

  it('keeps JPEG as JPEG and rejects what does not decode', async () => {
    const jpg = makeJpeg(10, 10);
    expect((await toViewable(jpg)).bytes).toBe(jpg);
    const jp2 = await makeJpeg2000(64, 48);
    const cs = jpeg2000Codestream(jp2)!;
    await expect(decodeJpeg2000(cs.subarray(0, 40))).rejects.toMatchObject({ code: 'malformed-data' });
    await expect(decodeJpeg2000(jp2.subarray(0, 60))).rejects.toMatchObject({ code: 'malformed-data' });
    await expect(toViewable(new Uint8Array(20))).rejects.toMatchObject({ code: 'malformed-data' });
  });
});
