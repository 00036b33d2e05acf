// How much flash each board gives saved code and Storage files, and what the firmware may take
// of it. Sources: Espruino's board definitions and Storage layout at commit c5ff787b1 (2v29.277,
// the interpreter in ../shared/espruino), https://github.com/espruino/Espruino:
// - boards/PICO_R1_3.py, saved_code: 'page_size' : 16384, 'pages' : 3        -> 48 KB
// - boards/ESPRUINOWIFI.py, saved_code: 'page_size' : 65536, 'pages' : 1     -> 64 KB
// - src/jsflash.h: each Storage file starts with a JsfFileHeader (uint32 size + 28-byte name)
// - src/jsutils.h: JSF_ALIGNMENT 4 (8 only with FLASH_64BITS_ALIGNMENT; STM32F4 has not)

/** Bytes of a Storage file's header (JsfFileHeader). */
export const STORAGE_FILE_HEADER = 4 + 28;
/** Storage files start on this alignment (JSF_ALIGNMENT). */
export const STORAGE_ALIGNMENT = 4;

export interface BoardBudget {
  /** Flash for saved code and Storage files (saved_code: page_size x pages). */
  savedCodeBytes: number;
  /** Most the firmware's stored files may take. */
  limit: number;
  why: string;
}

export const BOARD_BUDGETS: Readonly<Record<string, BoardBudget>> = {
  PICO: {
    savedCodeBytes: 3 * 16384,
    limit: 40 * 1024,
    why: 'issue #14: 8 KB of the 48 KB left for Storage growth and compaction',
  },
  ESPRUINO_WIFI: {
    savedCodeBytes: 65536,
    limit: 65536,
    why: 'the whole saved-code area',
  },
};

export interface StoredFile {
  name: string;
  bytes: number;
}

/** Flash a set of Storage files takes: each with its header, padded to the alignment. */
export function storedBytes(files: readonly StoredFile[]): number {
  let total = 0;
  for (const f of files) total += Math.ceil((STORAGE_FILE_HEADER + f.bytes) / STORAGE_ALIGNMENT) * STORAGE_ALIGNMENT;
  return total;
}
