// The seam under the PN532 chip logic (libnfc's `struct pn53x_io`): a transport only moves whole
// frames and wakes the chip; what the frames mean lives in pn532.ts. One file per bus: hsu.ts,
// i2c.ts, spi.ts. Nothing here allocates per frame.

/** Receives what the chip sent: bytes [start, end) of `buf` hold (at least) one frame, possibly
 * with bytes before its start code. A view into the transport's buffer, valid during the call. */
export type FrameHandler = (buf: Uint8Array, start: number, end: number) => void;

export interface Pn532Io {
  /** Handler for frames from the chip; set once by the driver. */
  onFrame: FrameHandler | null;
  /**
   * Writes one frame to the chip (a view valid during the call). With `wake`, first does what
   * wakes the chip from LowVbat / PowerDown on this bus (HSU preamble, SPI NSS pulse).
   * Unread input from the chip is dropped first (libnfc flushes before each command).
   */
  send(frame: Uint8Array, wake: boolean): void;
  /** Starts looking for the chip's next frame (at most `maxLength` bytes). HSU listens anyway;
   * I2C and SPI wait for the IRQ line or poll the ready status, then read. */
  receive(maxLength: number): void;
  /** Stops looking (a timeout or an abort). */
  stop(): void;
  /** Milliseconds the bus needs to carry `n` bytes (ACK timeouts start when the frame is out). */
  txMillis(n: number): number;
  /** HSU only: the UART speed, and a way to change it after SetSerialBaudRate. */
  baud?: number;
  setBaud?(baud: number): void;
}
