// A DG2 face image with its viewable copy, for a live read and for saved files alike.

import type { FaceImage } from '../lds/dg2.js';
import type { Face } from '../passport-document.js';
import { toViewable } from './viewable-image.js';

/** The face with a copy any viewer shows (JPEG 2000 as PNG) and the decoded size where DG2 gave
 * none; an image that does not decode keeps the reason in `viewableError`. */
export async function faceOf(image: FaceImage): Promise<Face> {
  const face: Face = { ...image };
  try {
    face.viewable = await toViewable(image.bytes);
    if (!face.width || !face.height) {
      face.width = face.viewable.width;
      face.height = face.viewable.height;
    }
  } catch (e) {
    face.viewableError = (e as Error).message;
  }
  return face;
}
