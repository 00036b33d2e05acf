// LDS1 file table (ICAO 9303-10 §4.6): short EF identifiers and the tags the files start with.

export const SFI_COM = 0x1e;
export const SFI_SOD = 0x1d;

export const TAG_COM = 0x60;
export const TAG_SOD = 0x77;

/** Tag of DGn at index n - 1 (DG1 61, DG2 75, DG3 63, DG4 76, DG5 65 ... DG16 70). */
export const DATA_GROUP_TAGS = [0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70];

/** Data group number for a file tag, 0 when it is not a data group tag. */
export function dataGroupFromTag(tag: number): number {
  const i = DATA_GROUP_TAGS.indexOf(tag);
  return i < 0 ? 0 : i + 1;
}
