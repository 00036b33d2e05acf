// PN532 host-protocol constants in one table each (UM0701-02 as quoted by libnfc
// pn53x-internal.h, nfcpy pn532.py and Wireshark packet-rfid-pn532.c; see
// docs/pn532-facts.md). Tables of numbers are const enums: esbuild inlines the values.

/** Frame identifiers: host to PN532, PN532 to host. */
export const enum TFI {
  HOST = 0xd4,
  CHIP = 0xd5,
}

/** Command codes (the response code is the command + 1). */
export const enum CMD {
  DIAGNOSE = 0x00,
  GET_FIRMWARE_VERSION = 0x02,
  SET_SERIAL_BAUD_RATE = 0x10,
  SET_PARAMETERS = 0x12,
  SAM_CONFIGURATION = 0x14,
  POWER_DOWN = 0x16,
  RF_CONFIGURATION = 0x32,
  IN_DATA_EXCHANGE = 0x40,
  IN_DESELECT = 0x44,
  IN_LIST_PASSIVE_TARGET = 0x4a,
  IN_PSL = 0x4e,
  IN_RELEASE = 0x52,
}

/** GetFirmwareVersion IC byte of a PN532. */
export const PN532_IC = 0x32;

/** SetParameters flags. */
export const enum PARAM {
  NAD_USED = 0x01,
  DID_USED = 0x02,
  AUTOMATIC_ATR_RES = 0x04,
  AUTOMATIC_RATS = 0x10,
  ISO14443_4_PICC = 0x20,
  REMOVE_PRE_POST_AMBLE = 0x40,
}

/** RFConfiguration items. */
export const enum RF_ITEM {
  FIELD = 0x01,
  TIMINGS = 0x02,
  MAX_RTY_COM = 0x04,
  MAX_RETRIES = 0x05,
}

/** InListPassiveTarget BrTy values. */
export const enum BR_TY {
  TYPE_A_106 = 0x00,
  TYPE_B_106 = 0x03,
}

/** InPSL bit-rate codes: 106, 212, 424 kbit/s (848 is PN533 only). */
export const PSL_BR = [106, 212, 424];

/** SetSerialBaudRate codes, indexed by the BR byte. */
export const HSU_BAUDS = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1288000];

/** PowerDown WakeUpEnable: I2C, GPIO, SPI, HSU (libnfc sends F0). */
export const WAKE_ALL_HOST_BUSES = 0xf0;

/** Status byte: bit 6 = more information (MI), bits 5..0 = error code. */
export const STATUS_MI = 0x40;
export const STATUS_ERROR_MASK = 0x3f;

/** Status codes that mean the radio exchange failed: the card is gone or unreachable. The rest
 * (buffer overflow, invalid parameter, overheating, ...) are faults of the chip or our use of it. */
export const RF_ERRORS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0b, 0x13, 0x23, 0x27, 0x29, 0x2a, 0x2b];

/** HSU wake-up from LowVbat / PowerDown: 55 55 and 14 zero bytes (libnfc pn532_uart_wakeup). */
export const HSU_WAKE_UP_LENGTH = 16;

/** Bus timings, in ms. */
export const enum TIMING {
  /** The PN532 acknowledges a command within 15 ms (nfcpy); we allow twice that. */
  ACK = 30,
  /** Default wait for a response after the ACK. */
  RESPONSE = 1000,
  /** InDataExchange: the card's frame waiting time, WTX extensions and the frames back. */
  DATA_EXCHANGE = 5000,
  /** SPI wake-up: NSS held low at least 2 ms (Adafruit). */
  SPI_WAKE = 2,
  /** I2C/SPI ready polling period when no IRQ line is wired. */
  POLL = 2, // eslint-disable-line @typescript-eslint/no-duplicate-enum-values -- a table of timings, not an enumeration
}

/** Resend attempts. */
export const enum RETRIES {
  /** Command resent (after a wake-up) when no ACK came. */
  COMMAND = 1,
  /** NACKs sent for one corrupt response before giving up. */
  NACK = 3,
}

/** Most PD bytes in one frame (extended frame; libnfc PN53x_EXTENDED_FRAME__DATA_MAX_LEN). */
export const MAX_PD = 264;
/** Largest whole frame: preamble, start code, extended length (FF FF LENM LENL), LCS, TFI, PD,
 * DCS, postamble: 275 (it was one short, so a 262-byte C-APDU did not fit the SPI buffer). */
export const MAX_FRAME = 1 + 2 + 4 + 1 + 1 + MAX_PD + 1 + 1;
/** An ACK or NACK frame. */
export const ACK_LENGTH = 6;
