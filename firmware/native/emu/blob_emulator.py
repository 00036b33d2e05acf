"""Runs the native blob's exact bytes on an emulated Cortex-M4 (Unicorn, ARM Thumb-2, M-class),
with Espruino's calling convention: E.nativeCall(offset | 1, "int(int,int,int,int)", blob) is a
plain AAPCS call with r0-r3 = the arguments, return value in r0.

Run with /usr/bin/python3 (Debian's python3-unicorn)."""
from unicorn import (Uc, UC_ARCH_ARM, UC_MODE_THUMB, UC_MODE_MCLASS, UC_HOOK_BLOCK, UC_HOOK_MEM_READ,
                     UC_HOOK_MEM_WRITE)
from unicorn import UC_MEM_WRITE
from unicorn.arm_const import (UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,
                               UC_ARM_REG_SP, UC_ARM_REG_LR)

FLASH_BASE = 0x08000000   # STM32F4 flash; the blob runs in place from a Storage file there
FLASH_SIZE = 0x00100000
RAM_BASE = 0x20000000     # STM32F4 SRAM
RAM_SIZE = 0x00040000
STACK_SIZE = 0x4000       # top of RAM; painted to measure the deepest stack use
STOP = RAM_BASE + RAM_SIZE - 0x100   # LR points here; reaching it ends the call
PAINT = b'\xa5'
# Entries per blob, by magic (ABI.md, pace/ABI.md): the B.W table from byte 16.
ENTRY_COUNTS = {b'EPN1': 19, b'EPP1': 20}


def entry_count(blob):
    """The number of entries of the core blob (magic EPN1) or the PACE blob (EPP1)."""
    count = ENTRY_COUNTS.get(bytes(blob[:4]))
    if count is None:
        raise ValueError(f'not a native blob: magic {bytes(blob[:4])!r}')
    return count


class BlobEmulator:
    """The blob loaded at `load_address` (4-byte aligned, in flash), RAM for buffers below the
    stack, and a bump allocator for them. With `count` every call counts its instructions; with
    `flash_reads`, also the data loads from the blob's own bytes (each slower). With `guard`,
    every load and store outside the blob (loads only), the stack and the ranges in `allowed`
    (set per call: [(start, end), ...]; none set: no check) is recorded in `violations` (address, size, 'r'|'w').

    The hooks are installed once, here: Unicorn does not apply a hook added later to code it
    has already translated, so adding and removing hooks per call silently miscounts."""

    def __init__(self, blob, load_address=FLASH_BASE + 0x10000, count=True, flash_reads=False, guard=False):
        if load_address & 3:
            raise ValueError('the blob must be 4-byte aligned (PC-relative literal loads)')
        self.blob = bytes(blob)
        self.entry_count = entry_count(self.blob)
        self.base = load_address
        self.uc = Uc(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS)
        self.uc.mem_map(FLASH_BASE, FLASH_SIZE)
        self.uc.mem_map(RAM_BASE, RAM_SIZE)
        self.uc.mem_write(load_address, self.blob)
        self.stack_top = STOP & ~7
        self.heap_end = self.stack_top - STACK_SIZE
        self.reset_heap()
        self._count = self._jumps = self._reads = self._flash_reads = self._next = 0
        self._block_sizes = {}
        self.count = count
        if count:
            self.uc.hook_add(UC_HOOK_BLOCK, self._on_block)
        self.flash_reads = flash_reads
        if flash_reads:
            self.uc.hook_add(UC_HOOK_MEM_READ, self._on_read)
        self.allowed, self.violations = [], []
        if guard:
            self.uc.hook_add(UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, self._on_access)

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

    def _on_block(self, uc, address, size, user):
        if address != self._next:  # not a fall-through: a taken branch (or the call) got here
            self._jumps += 1
        self._next = address + size
        n = self._block_sizes.get((address, size))
        if n is None:
            n = self._block_sizes[(address, size)] = self.instructions_in(address, size)
        self._count += n

    def instructions_in(self, address, size):
        """Thumb instructions in [address, address + size): a halfword starting 0b11101, 0b11110
        or 0b11111 opens a 32-bit instruction (ARMv7-M A5.1). Instructions skipped by an IT
        block count, as on the core (they take a cycle)."""
        code = self.read(address, size)
        n = i = 0
        while i < size:
            hw = code[i] | (code[i + 1] << 8)
            i += 4 if (hw >> 11) >= 0b11101 else 2
            n += 1
        return n

    def _on_read(self, uc, access, address, size, value, user):
        self._reads += 1
        if self.base <= address < self.base + len(self.blob):
            self._flash_reads += 1

    def _on_access(self, uc, access, address, size, value, user):
        if not self.allowed:  # a call without ranges (setting up) is not checked
            return
        end = address + size
        write = access == UC_MEM_WRITE
        if self.stack_top - STACK_SIZE <= address and end <= self.stack_top:
            return
        if not write and self.base <= address and end <= self.base + len(self.blob):
            return
        for start, stop in self.allowed:
            if start <= address and end <= stop:
                return
        self.violations.append((address, size, 'w' if write else 'r'))

    def call(self, index, a0=0, a1=0, a2=0, a3=0, measure_stack=False):
        """Calls entry `index`; returns (r0 as a signed int, stats): 'instructions' executed and
        'takenBranches' when the emulator counts them; 'dataReads' and 'flashDataReads' (loads
        from the blob's own bytes: its tables and literals) when it counts reads; 'stackBytes'
        (deepest stack use) with measure_stack."""
        uc = self.uc
        if measure_stack:
            uc.mem_write(self.stack_top - STACK_SIZE, PAINT * STACK_SIZE)
        for reg, v in zip((UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3), (a0, a1, a2, a3)):
            uc.reg_write(reg, v & 0xFFFFFFFF)
        uc.reg_write(UC_ARM_REG_SP, self.stack_top)
        uc.reg_write(UC_ARM_REG_LR, STOP | 1)
        self._count = self._jumps = self._reads = self._flash_reads = self._next = 0
        uc.emu_start((self.base + 16 + 4 * index) | 1, STOP, timeout=0, count=0)
        if uc.reg_read(UC_ARM_REG_SP) != self.stack_top:
            raise RuntimeError(f'entry {index} returned with an unbalanced stack')
        r0 = uc.reg_read(UC_ARM_REG_R0)
        stats = {}
        if self.count:
            stats['instructions'] = self._count  # the final BX LR included; the stop address not
            stats['takenBranches'] = self._jumps  # the call itself included
        if self.flash_reads:
            stats['dataReads'] = self._reads  # 32-bit (or narrower) reads; LDRD and POP give one per word
            stats['flashDataReads'] = self._flash_reads
        if measure_stack:
            painted = self.read(self.stack_top - STACK_SIZE, STACK_SIZE)
            untouched = len(painted) - len(painted.lstrip(PAINT))
            stats['stackBytes'] = STACK_SIZE - untouched
        return (r0 - (1 << 32) if r0 & 0x80000000 else r0), stats
