"""Runs the native blob's exact bytes on an emulated Cortex-M4 (Unicorn, ARM Thumb-2, M-class),
with Espruino's calling convention: E.nativeCall(offset | 1, "int(int,int,int,int)", blob) is a
plain AAPCS call with r0-r3 = the arguments, return value in r0.

Run with /usr/bin/python3 (Debian's python3-unicorn)."""
from unicorn import Uc, UC_ARCH_ARM, UC_MODE_THUMB, UC_MODE_MCLASS, UC_HOOK_CODE, UC_HOOK_MEM_READ
from unicorn.arm_const import (UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,
                               UC_ARM_REG_SP, UC_ARM_REG_LR)

FLASH_BASE = 0x08000000   # STM32F4 flash; the blob runs in place from a Storage file there
FLASH_SIZE = 0x00100000
RAM_BASE = 0x20000000     # STM32F4 SRAM
RAM_SIZE = 0x00040000
STACK_SIZE = 0x4000       # top of RAM; painted to measure the deepest stack use
STOP = RAM_BASE + RAM_SIZE - 0x100   # LR points here; reaching it ends the call
PAINT = b'\xa5'


class BlobEmulator:
    """The blob loaded at `load_address` (4-byte aligned, in flash), RAM for buffers below the
    stack, and a bump allocator for them."""

    def __init__(self, blob, load_address=FLASH_BASE + 0x10000):
        if load_address & 3:
            raise ValueError('the blob must be 4-byte aligned (PC-relative literal loads)')
        self.blob = bytes(blob)
        self.base = load_address
        self.uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
        self.uc.mem_map(FLASH_BASE, FLASH_SIZE)
        self.uc.mem_map(RAM_BASE, RAM_SIZE)
        self.uc.mem_write(load_address, self.blob)
        self.stack_top = STOP & ~7
        self.heap_end = self.stack_top - STACK_SIZE
        self.reset_heap()
        self._count = 0
        self._flash_reads = 0

    def reset_heap(self):
        self.next_free = RAM_BASE

    def alloc(self, n, align=4):
        """Zero-filled, like a new Uint8Array."""
        addr = (self.next_free + align - 1) & ~(align - 1)
        if addr + n > self.heap_end:
            raise MemoryError('emulator RAM exhausted')
        self.next_free = addr + n
        self.uc.mem_write(addr, bytes(n))
        return addr

    def write(self, addr, data):
        self.uc.mem_write(addr, bytes(data))

    def read(self, addr, n):
        return bytes(self.uc.mem_read(addr, n))

    def put(self, data, extra=0, align=4):
        """Allocates room for data (+ extra bytes) and writes it; returns the address."""
        addr = self.alloc(len(data) + extra, align)
        self.write(addr, data)
        return addr

    def _on_code(self, uc, address, size, user):
        self._count += 1

    def _on_read(self, uc, access, address, size, value, user):
        if self.base <= address < self.base + len(self.blob):
            self._flash_reads += 1

    def call(self, index, a0=0, a1=0, a2=0, a3=0, count=False, measure_stack=False):
        """Calls entry `index`; returns (r0 as a signed int, stats). stats has 'instructions' and
        'flashDataReads' (loads from the blob's own bytes: its constant tables) when count is
        set, and 'stackBytes' (deepest stack use) when measure_stack is set."""
        uc = self.uc
        if measure_stack:
            uc.mem_write(self.stack_top - STACK_SIZE, PAINT * STACK_SIZE)
        for reg, v in zip((UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3), (a0, a1, a2, a3)):
            uc.reg_write(reg, v & 0xFFFFFFFF)
        uc.reg_write(UC_ARM_REG_SP, self.stack_top)
        uc.reg_write(UC_ARM_REG_LR, STOP | 1)
        hooks = []
        self._count = 0
        self._flash_reads = 0
        if count:
            hooks.append(uc.hook_add(UC_HOOK_CODE, self._on_code))
            hooks.append(uc.hook_add(UC_HOOK_MEM_READ, self._on_read))
        try:
            uc.emu_start((self.base + 16 + 4 * index) | 1, STOP, timeout=0, count=0)
        finally:
            for h in hooks:
                uc.hook_del(h)
        if uc.reg_read(UC_ARM_REG_SP) != self.stack_top:
            raise RuntimeError(f'entry {index} returned with an unbalanced stack')
        r0 = uc.reg_read(UC_ARM_REG_R0)
        stats = {}
        if count:
            # the final BX LR is counted; the stop address is not executed
            stats['instructions'] = self._count
            stats['flashDataReads'] = self._flash_reads
        if measure_stack:
            painted = self.read(self.stack_top - STACK_SIZE, STACK_SIZE)
            untouched = len(painted) - len(painted.lstrip(PAINT))
            stats['stackBytes'] = STACK_SIZE - untouched
        return (r0 - (1 << 32) if r0 & 0x80000000 else r0), stats
