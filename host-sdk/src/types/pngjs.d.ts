// The part of pngjs (no bundled types) that the SDK uses.
declare module 'pngjs' {
  export class PNG {
    constructor(options?: { width?: number; height?: number; colorType?: number; inputColorType?: number; bitDepth?: number });
    width: number;
    height: number;
    data: Buffer;
    static sync: {
      write(png: PNG, options?: { colorType?: number; inputColorType?: number; bitDepth?: number }): Buffer;
      read(buffer: Buffer): PNG;
    };
  }
}
