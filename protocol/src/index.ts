export * from './catalogue';
export * from './codec';
export * from './cobs';
export * from './crc16';
export * from './frame';
export * from './message-stream';
export * from './bytes';
export * from './reliable-link';
