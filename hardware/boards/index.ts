// The board definitions live in the firmware (a real build and the flash tool need them); the
// simulators and the tests load them through here too.
export * from '@epassport/firmware/boards/index';
