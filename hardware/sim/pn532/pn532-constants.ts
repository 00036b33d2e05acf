// PN532 command codes, status codes and value tables (UM0701-02 as carried by libnfc
// pn53x-internal.h, Wireshark packet-rfid-pn532.c and nfcpy; see docs/pn532-facts.md).

export const COMMAND = {
  Diagnose: 0x00,
  GetFirmwareVersion: 0x02,
  GetGeneralStatus: 0x04,
  ReadRegister: 0x06,
  WriteRegister: 0x08,
  SetSerialBaudRate: 0x10,
  SetParameters: 0x12,
  SAMConfiguration: 0x14,
  PowerDown: 0x16,
  RFConfiguration: 0x32,
  InDataExchange: 0x40,
  InCommunicateThru: 0x42,
  InDeselect: 0x44,
  InListPassiveTarget: 0x4a,
  InPSL: 0x4e,
  InRelease: 0x52,
  InSelect: 0x54,
  InAutoPoll: 0x60,
} as const;

/** Error codes in the low 6 bits of a status byte (fact sheet §1). */
export const STATUS = {
  Ok: 0x00,
  Timeout: 0x01,
  Crc: 0x02,
  Parity: 0x03,
  RfProtocol: 0x0b,
  InvalidParameter: 0x10,
  DataFormat: 0x13,
  NotAllowedInConfiguration: 0x26,
  WrongContext: 0x27,
  TypeBCardDisappeared: 0x2b,
} as const;

/** Status byte bit 6: more information follows (InDataExchange, both directions). */
export const MI = 0x40;

/** GetFirmwareVersion reply of a PN532 v1.6: IC, Ver, Rev, Support (14443A|14443B|18092). */
export const FIRMWARE_VERSION = Uint8Array.of(0x32, 0x01, 0x06, 0x07);

/** SetSerialBaudRate BR codes 0x00..0x08 (Wireshark pn532_baudrate_vals). */
export const SERIAL_BAUD_RATES = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1_288_000] as const;

export const DEFAULT_HSU_BAUD = 115200;

/** SetParameters flag bits (Wireshark; libnfc PARAM_*). */
export const PARAM = {
  NadUsed: 0x01,
  DidUsed: 0x02,
  AutomaticAtrRes: 0x04,
  AutomaticRats: 0x10,
  Iso14443_4Picc: 0x20,
  RemovePrePostAmble: 0x40,
} as const;

/**
 * SetParameters flags after power-up. Automatic RATS must be on by default: Adafruit-PN532 and
 * Espruino's PN532.js run APDUs through InDataExchange without ever sending SetParameters.
 */
export const DEFAULT_PARAMETERS = PARAM.AutomaticAtrRes | PARAM.AutomaticRats;

/** InListPassiveTarget BrTy values the PN532 accepts (0x06..0x08 are PN533 only). */
export const BRTY = {
  TypeA106: 0x00,
  Felica212: 0x01,
  Felica424: 0x02,
  TypeB106: 0x03,
  Jewel106: 0x04,
} as const;

/** InPSL bit-rate codes: 0 = 106, 1 = 212, 2 = 424 kbit/s (848 is PN533 only). */
export const PSL_BIT_RATES = [106, 212, 424] as const;

/** RFConfiguration items and the number of data bytes each takes. */
export const RF_CONFIG_ITEM_LENGTH: Record<number, number> = {
  0x01: 1, // RF field
  0x02: 3, // various timings: RFU, fATR_RES_Timeout, fRetryTimeout
  0x04: 1, // MaxRtyCOM
  0x05: 3, // MaxRetries: MxRtyATR, MxRtyPSL, MxRtyPassiveActivation
  0x0a: 11, // analog settings, 106 kbps type A
  0x0b: 8, // analog settings, 212/424 kbps
  0x0c: 3, // analog settings, type B
  0x0d: 9, // analog settings, 212/424/848 ISO/IEC 14443-4
};

/** FSCI -> FSC (ISO/IEC 14443-4 Table 1; 256 for FSCI 8 and above on a PN532's bit rates). */
export const FSC_TABLE = [16, 24, 32, 40, 48, 64, 96, 128, 256] as const;

/** The PN532's own FSD: it sends RATS `E0 50` (FSDI 5 = 64 bytes), seen from an ACR122U. */
export const PN532_FSD = 64;

/** Largest DataOut / DataIn of one InDataExchange (UM §7.3.8). */
export const MAX_DATA_EXCHANGE = 262;

/**
 * Plausible CIU register values at power-up, enough for libnfc's init (which only caches them).
 * Not the chip's documented reset values: our sources do not list them.
 */
export const CIU_REGISTER_DEFAULTS: Record<number, number> = {
  0x6302: 0x80, // CIU_TxMode: TxCRCEn, 106 kbps
  0x6303: 0x80, // CIU_RxMode: RxCRCEn, 106 kbps
  0x6305: 0x00, // CIU_TxAuto
  0x630d: 0x00, // CIU_ManualRCV
  0x6338: 0x00, // CIU_Status2
  0x633c: 0x10, // CIU_Control: Initiator
  0x633d: 0x00, // CIU_BitFraming
};
