#!/usr/bin/env bash
# Builds the measurement interpreters: ../shared/espruino's builds (its build.sh, boards
# LINUX_PICO64 and LINUX_PICO32, Espruino commit c5ff787b1) with 8,191 variables instead of the
# Pico's 5,100, so that the Pico's own bundle can read on native-oracle.ts, whose variables are
# measured and subtracted (oracle-read.ts, measure-memory.ts). Usage:
#   build-measure-interpreter.sh /path/to/Espruino-checkout
# Each board file is generated here from ../shared/espruino/boards/ with only `variables` and
# `binary_name` changed, and built under the same name (so BOARD, its define and process.env.BOARD
# are the Pico build's); it is written into the checkout, as build.sh does, and the shared one is
# put back afterwards. No Espruino file is kept in this repository. 8,191 is the largest count with
# the same JsVar layout as 5,100 (13-bit references, 4 reference-count bits: src/jsutils.h), so a
# string, an object or a typed array takes the same number of variables on both builds; 8,192 or
# more would not (checked below with E.getSizeOf).
# Output (gitignored): measure-interpreter/espruino (64-bit, 17-byte blocks) and
# measure-interpreter/espruino-pico32 (the Pico's 13-byte blocks; -m32 needs gcc-multilib, and it
# runs under qemu-i386: qemu-user, libc6-i386; left out with a line when gcc cannot build 32-bit).
# Needs gcc, make, python3, git. 10-130 s per build at -j2, with the machine's load.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 /path/to/Espruino-checkout (commit c5ff787b1)" >&2; exit 2; }
src=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
shared=${ESPRUINO_DIR:-$(cd "$here/../../../../shared/espruino" && pwd)}
out=$here/measure-interpreter
variables=8191
mkdir -p "$out"
restore=''
trap '[ -z "$restore" ] || cp "$shared/boards/$restore.py" "$src/boards/$restore.py"' EXIT

# build BOARD NAME OUTPUT [RUNNER...]: OUTPUT in measure-interpreter/, compared with the shared
# interpreter of the same file name.
build() {
  local board=$1 name=$2 output=$3
  shift 3
  restore=$board
  python3 - "$shared/boards/$board.py" "$src/boards/$board.py" "$variables" "espruino_${name}_measure" <<'PY'
import re, sys
source, target, variables, binary = sys.argv[1:5]
text = open(source).read()
for pattern, value in ((r"'variables' : \d+", "'variables' : " + variables),
                       (r"'binary_name' : '[^']*'", "'binary_name' : '" + binary + "'")):
    text, n = re.subn(pattern, value, text)
    if n != 1:
        sys.exit('%s: %d matches of %s' % (source, n, pattern))
open(target, 'w').write(text)
PY
  local start
  start=$(date +%s)
  (
    cd "$src"
    rm -f gen/platform_config.h gen/jswrapper.c gen/jspininfo.* gen/CURRENT_BOARD.make
    rm -rf "obj_${name}m" "bin_${name}m"
    mkdir -p "bin_${name}m"
    nice -n 10 make BOARD="$board" OBJDIR="obj_${name}m" BINDIR="bin_${name}m" -j2
    cp "bin_${name}m/espruino_${name}_measure" "$out/$output"
    rm -f gen/platform_config.h gen/jswrapper.c gen/jspininfo.* gen/CURRENT_BOARD.make
  )
  strip "$out/$output"
  cp "$shared/boards/$board.py" "$src/boards/$board.py"
  restore=''
  echo "built in $(( $(date +%s) - start )) s: $out/$output"

  # The same layout: these values take as many variables on the Pico build as here.
  local probe='var a=[E.getSizeOf("x".repeat(100)),E.getSizeOf({a:1,b:[1,2,3]}),E.getSizeOf(new Uint8Array(300)),E.getSizeOf(function(x){return x+1;})];print("@@ "+process.memory().total+" "+a.join(",")+" "+process.env.BOARD);'
  local tmp mine pico
  tmp=$(mktemp -d)
  mine=$(cd "$tmp" && "$@" "$out/$output" -e "$probe" </dev/null | grep -a '^@@ ' | tr -d '\r')
  pico=$(cd "$tmp" && "$@" "$shared/$output" -e "$probe" </dev/null | grep -a '^@@ ' | tr -d '\r')
  rm -rf "$tmp"
  echo "variables and sizes ($board): measurement ${mine#@@ }, Pico build ${pico#@@ }"
  [ "${mine#@@ $variables }" = "${pico#@@ 5100 }" ] || { echo "the JsVar layout differs from the Pico build ($board)" >&2; exit 1; }
}

build LINUX_PICO64 pico64 espruino
if echo 'int main(void){return 0;}' | gcc -m32 -x c - -o /dev/null 2>/dev/null; then
  build LINUX_PICO32 pico32 espruino-pico32 qemu-i386 -L /
else
  echo "not built: measure-interpreter/espruino-pico32 (gcc cannot build 32-bit: apt-get install gcc-multilib)"
fi
