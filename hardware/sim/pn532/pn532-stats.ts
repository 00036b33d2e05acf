// Counters the simulator keeps for the benchmark: what crossed the host link and the air.

export interface Pn532Stats {
  /** Commands the chip accepted (ACKed). */
  commands: number;
  /** Complete C-APDUs delivered to a card (InDataExchange, InCommunicateThru I-blocks). */
  apdus: number;
  /** Bytes on the host link, host -> chip and chip -> host (UART bytes on HSU, bus data bytes
   * on I2C/SPI, status bytes included). */
  linkBytesToChip: number;
  linkBytesFromChip: number;
  /** Bytes on the air (PCB, CID, CRC, R-blocks, S-blocks and activation frames included). */
  airBytesToCard: number;
  airBytesFromCard: number;
  /** Modelled time on the air, card processing included. */
  airTimeMs: number;
  cardProcessingMs: number;
  iBlocksToCard: number;
  iBlocksFromCard: number;
  rBlocks: number;
  wtx: number;
  acks: number;
  nacks: number;
  /** Host frames dropped for a bad LCS/DCS or length. */
  badFrames: number;
  /** Application error frames sent. */
  errorFrames: number;
  /** Commands that ended with status 0x01 (timeout). */
  timeouts: number;
}

export function emptyStats(): Pn532Stats {
  return {
    commands: 0,
    apdus: 0,
    linkBytesToChip: 0,
    linkBytesFromChip: 0,
    airBytesToCard: 0,
    airBytesFromCard: 0,
    airTimeMs: 0,
    cardProcessingMs: 0,
    iBlocksToCard: 0,
    iBlocksFromCard: 0,
    rBlocks: 0,
    wtx: 0,
    acks: 0,
    nacks: 0,
    badFrames: 0,
    errorFrames: 0,
    timeouts: 0,
  };
}
