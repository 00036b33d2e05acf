#!/usr/bin/env bash
# Builds the measurement interpreter: ../shared/espruino's 64-bit build (its build.sh, board
# LINUX_PICO64, Espruino commit c5ff787b1) with 8,191 variables instead of the Pico's 5,100, so
# that the Pico's own bundle can read on native-oracle.ts, whose variables are measured and
# subtracted (oracle-read.ts, measure-memory.ts). Usage:
#   build-measure-interpreter.sh /path/to/Espruino-checkout
# The board file is generated here from ../shared/espruino/boards/LINUX_PICO64.py with only
# `variables` and `binary_name` changed, and built under the same name (so BOARD, its define and
# process.env.BOARD are the Pico build's); it is written into the checkout, as build.sh does, and
# the shared one is put back afterwards. No Espruino file is kept in this repository. 8,191 is the largest count with the same JsVar layout as
# 5,100 (13-bit references, 4 reference-count bits: src/jsutils.h), so a string, an object or a
# typed array takes the same number of variables on both builds; 8,192 or more would not.
# Output: measure-interpreter/espruino (gitignored). Needs gcc, make, python3, git. About 2 minutes
# at -j2 (116-133 s on a loaded 2-core machine).
set -eu
[ $# -eq 1 ] || { echo "usage: $0 /path/to/Espruino-checkout (commit c5ff787b1)" >&2; exit 2; }
src=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
shared=${ESPRUINO_DIR:-$(cd "$here/../../../../shared/espruino" && pwd)}
out=$here/measure-interpreter
variables=8191
board=LINUX_PICO64

trap 'cp "$shared/boards/$board.py" "$src/boards/$board.py"' EXIT
python3 - "$shared/boards/$board.py" "$src/boards/$board.py" "$variables" <<'EOF'
import re, sys
source, target, variables = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(source).read()
for pattern, value in ((r"'variables' : \d+", "'variables' : " + variables),
                       (r"'binary_name' : '[^']*'", "'binary_name' : 'espruino_pico64_measure'")):
    text, n = re.subn(pattern, value, text)
    if n != 1:
        sys.exit('%s: %d matches of %s' % (source, n, pattern))
open(target, 'w').write(text)
EOF

cd "$src"
rm -f gen/platform_config.h gen/jswrapper.c gen/jspininfo.* gen/CURRENT_BOARD.make
rm -rf obj_p64m bin_p64m; mkdir -p bin_p64m
start=$(date +%s)
nice -n 10 make BOARD=$board OBJDIR=obj_p64m BINDIR=bin_p64m -j2
mkdir -p "$out"
cp bin_p64m/espruino_pico64_measure "$out/espruino"
strip "$out/espruino"
rm -f gen/platform_config.h gen/jswrapper.c gen/jspininfo.* gen/CURRENT_BOARD.make
echo "built in $(( $(date +%s) - start )) s: $out/espruino"

# The same layout: these values take as many variables on the Pico build as here.
probe='var a=[E.getSizeOf("x".repeat(100)),E.getSizeOf({a:1,b:[1,2,3]}),E.getSizeOf(new Uint8Array(300)),E.getSizeOf(function(x){return x+1;})];print("@@ "+process.memory().total+" "+a.join(",")+" "+process.env.BOARD);'
tmp=$(mktemp -d); cd "$tmp"
mine=$("$out/espruino" -e "$probe" </dev/null | grep -a '^@@ ' | tr -d '\r')
pico=$("$shared/espruino" -e "$probe" </dev/null | grep -a '^@@ ' | tr -d '\r')
cd / && rm -rf "$tmp"
echo "variables and sizes: measurement ${mine#@@ }, Pico build ${pico#@@ }"
[ "${mine#@@ $variables }" = "${pico#@@ 5100 }" ] || { echo "the JsVar layout differs from the Pico build" >&2; exit 1; }
