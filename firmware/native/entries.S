@ The blob's first bytes (ABI.md "The blob"): a 16-byte header, then one 4-byte B.W per entry,
@ so entry offsets stay fixed whatever the compiler does to the functions. The order here IS the
@ entry numbering; tools/describe.py reads the names from this file.
  .syntax unified
  .thumb
  .section .blob_header, "ax"
  .global blob_start
blob_start:
  .ascii "EPN1"           @ magic
  .word 1                 @ ABI version
  .word _blob_end         @ blob length in bytes (the blob is linked at address 0)
  .word DES_SP            @ offset of the 2 KB DES SP tables (ABI.md: DES ctx word 396)
  b.w des_setkey          @ 0
  b.w des_cbc             @ 1
  b.w mac_update          @ 2
  b.w mac_final           @ 3
  b.w sha512_init         @ 4
  b.w sha512_update       @ 5
  b.w sha512_final        @ 6
  b.w crc16               @ 7
  b.w cobs_encode         @ 8
  b.w cobs_decode         @ 9
  b.w pn532_dcs           @ 10
  b.w wipe                @ 11
  b.w sha256_init         @ 12
  b.w sha256_update       @ 13
  b.w sha256_final        @ 14
  b.w sha1_init           @ 15
  b.w sha1_update         @ 16
  b.w sha1_final          @ 17
  b.w sm_unwrap           @ 18
