@ The PACE blob's first bytes (pace/ABI.md): a 16-byte header, then one 4-byte B.W per entry, so
@ entry offsets stay fixed whatever the compiler does to the functions. The order here IS the
@ entry numbering; tools/describe.py reads the names from this file. Slots not yet built branch
@ to `reserved`, which returns -1 (bad argument), so a caller can never jump into the void.
  .syntax unified
  .thumb
  .section .blob_header, "ax"
  .global blob_start
blob_start:
  .ascii "EPP1"           @ magic
  .word 1                 @ ABI version
  .word _blob_end         @ blob length in bytes (the blob is linked at address 0)
  .word 0                 @ reserved
  @ 0-9: AES and CMAC
  b.w aes_setkey          @ 0
  b.w aes_ecb             @ 1
  b.w aes_cbc             @ 2
  b.w cmac_init           @ 3
  b.w cmac_update         @ 4
  b.w cmac_final          @ 5
  b.w reserved            @ 6
  b.w reserved            @ 7
  b.w reserved            @ 8
  b.w reserved            @ 9
  @ 10-19: elliptic curves (field arithmetic, scalar multiplication, point checks)
  b.w ec_mul              @ 10
  b.w ec_add              @ 11
  b.w ec_check            @ 12
  b.w reserved            @ 13
  b.w reserved            @ 14
  b.w reserved            @ 15
  b.w reserved            @ 16
  b.w reserved            @ 17
  b.w reserved            @ 18
  b.w reserved            @ 19
