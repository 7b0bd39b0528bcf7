#!/usr/bin/env bash
# widget/build.sh - builds the widget into an output directory (default dist/):
#
#   c2c.js              the bridge (widget/js, bundled and minified by esbuild);
#                       the one URL site owners paste, served with no-cache
#   c2c.<hash>.wasm     the core (widget/core + widget/wasm, emcc -Oz), immutable
#   c2c.<hash>.css      widget/css/c2c.css minified by esbuild, immutable
#   c2c-frame.html      the frame for data-isolation="iframe"
#
# The hashes are of the content, so a changed core or stylesheet gets a new
# name and c2c.js (revalidated on every load) points to it. Then it prints
# what a browser downloads, compressed as the edge serves it, and fails if
# that is over the budget of 35 KB (docs/benchmarks.md records the sizes).
# The bridge's constants.js and exports.js are generated first from the C
# headers (widget/gen_bridge.mjs; git-ignored), so they always match the core.
# Run from build.sh, which installs emscripten and the npm packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-dist}
WORK=build-wasm
BUDGET=35000
export NODE_PATH=/usr/share/nodejs # Debian's emcc needs Debian's node modules

mkdir -p "$OUT" "$WORK"
node widget/gen_bridge.mjs

# Every function c2c_wasm.h declares is exported.
exports=$(grep -oE '\bc2c_[a-z_]+\(' widget/wasm/c2c_wasm.h | tr -d '(' | sort -u | sed 's/^/_/' | paste -sd, -)

# The texts are not compiled in (widget/locales/builtin_none.c): each locale
# is its own file, fetched by the pages that use it.
# The allocator is the module's own (widget/heap/), not emscripten's.
emcc -Oz -flto --no-entry -sSTANDALONE_WASM -sMALLOC=none -sALLOW_MEMORY_GROWTH=1 \
  -sTOTAL_STACK=262144 -sEXPORTED_FUNCTIONS="$exports" \
  -Wall -Wextra -Werror -Wno-unused-parameter \
  -Iwidget/core -Iwidget/wasm -Iwidget/heap -Icommon \
  widget/core/*.c widget/locales/builtin_none.c widget/wasm/*.c widget/heap/*.c common/*.c \
  -o "$WORK/c2c-linked.wasm"

# emcc also exports the stack helpers, __errno_location and the function
# table, which the bridge never calls: wasm-metadce keeps only the exports
# the bridge uses (c2c_*, _initialize, memory) and drops what nothing else
# reaches; wasm-opt then shrinks what is left again.
node -e '
  const names = ["memory", "_initialize", ...process.argv[1].split(",").map((e) => e.slice(1))];
  const graph = [{ name: "bridge", root: true, reaches: names.map((n) => `x_${n}`) },
    ...names.map((n) => ({ name: `x_${n}`, export: n }))];
  process.stdout.write(JSON.stringify(graph));' "$exports" >"$WORK/exports-graph.json"
wasm-metadce "$WORK/c2c-linked.wasm" --graph-file "$WORK/exports-graph.json" -o "$WORK/c2c-dce.wasm" >/dev/null
wasm-opt -Oz --converge "$WORK/c2c-dce.wasm" -o "$WORK/c2c.wasm"

node_modules/.bin/esbuild widget/css/c2c.css --minify --log-level=warning --outfile="$WORK/c2c.css"

hash_of() { sha256sum "$1" | cut -c1-12; }
wasm="c2c.$(hash_of "$WORK/c2c.wasm").wasm"
css="c2c.$(hash_of "$WORK/c2c.css").css"

# The locale files (widget/js/locales/<tag>.txt, from gen_bridge.mjs) as
# c2c.<tag>.<hash>.txt, and the bridge's map of them.
locales=() map=""
for f in widget/js/locales/*.txt; do
  tag=$(basename "$f" .txt)
  name="c2c.$tag.$(hash_of "$f").txt"
  locales+=("$name")
  map="$map${map:+,}\"$tag\":\"$name\""
done

# Old hashed files go, so dist/ holds one consistent set.
keep=()
for f in "$wasm" "$css" "${locales[@]}"; do keep+=(! -name "$f" ! -name "$f.*"); done
find "$OUT" -maxdepth 1 \( -name 'c2c.*.wasm*' -o -name 'c2c.*.css*' -o -name 'c2c.*.txt*' \) \
  "${keep[@]}" -delete
cp "$WORK/c2c.wasm" "$OUT/$wasm"
cp "$WORK/c2c.css" "$OUT/$css"
for f in widget/js/locales/*.txt; do
  tag=$(basename "$f" .txt)
  cp "$f" "$OUT/c2c.$tag.$(hash_of "$f").txt"
done
cp widget/frame/c2c-frame.html "$OUT/c2c-frame.html"

# Names private to the bridge get short ones (esbuild --mangle-props): its
# own methods, fields and callback options, never a name that crosses a
# boundary - not a DOM or JS built-in, not a key of the core's JSON, of a
# request or answer of the server, of a message between the page and the
# frame (another build's c2c.js may be on the other side), of the public
# API (docs/widget.md) or of an element's dataset. Only names listed here;
# a new name is simply not shortened.
PRIVATE=(abandon acquire bindDom c2cKind c2cNode c2cText cameraWanted cfg classes closePeer closeStream
  contact core createCore ctl dialed dispatch early emit endOfCandidates eventsUrl feed
  focusWanted frameOrigin handle hangUp iframe isOpen lastId lastView loadCore loadCss loadTexts
  mediaFailed mediaFor newUser nodeOf offerFirst offerReference onActive onChange onEvent
  onFailed onLeave onMessage onOtherUser onRetry onState onTrack onViewport onVisible openKey
  openStream opts paint participant pc peers pending perform provider readConfig renderer
  request resync schedule signalEvent sink startBody started stateChanged stopVideo storedActive
  storedOpen storeKey streams texts timer times tokens wasOpen)
mangle="^($(IFS='|'; echo "${PRIVATE[*]}"))\$"

node_modules/.bin/esbuild widget/js/main.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --log-level=warning --mangle-props="$mangle" \
  --define:C2C_WASM="\"$wasm\"" --define:C2C_CSS="\"$css\"" --define:C2C_LOCALES="{$map}" \
  --outfile="$OUT/c2c.js"

# The download budget: script + wasm + css + the page's one locale file,
# gzip -9 and brotli -q 11; the largest locale file counts (the worst case).
total_gz=0; total_br=0; locale_gz=0; locale_br=0; worst=""
row() { printf '%-28s %9s %9s %9s%s\n' "$@"; }
row "widget asset" bytes gzip brotli ""
for f in c2c.js "$wasm" "$css" "${locales[@]}"; do
  raw=$(wc -c <"$OUT/$f"); gz=$(gzip -9 -n -c "$OUT/$f" | wc -c); br=$(brotli -q 11 -c "$OUT/$f" | wc -c)
  case "$f" in
    *.txt) [ "$gz" -le "$locale_gz" ] || { locale_gz=$gz; locale_br=$br; worst=$f; } ;;
    *) total_gz=$((total_gz + gz)); total_br=$((total_br + br)) ;;
  esac
  row "$f" "$raw" "$gz" "$br" ""
done
total_gz=$((total_gz + locale_gz)); total_br=$((total_br + locale_br))
row "total download" "" "$total_gz" "$total_br" "   (budget $BUDGET; with $worst, the largest locale)"
if [ "$total_gz" -gt "$BUDGET" ]; then
  echo "widget/build.sh: the widget is $total_gz bytes gzipped, over the $BUDGET byte budget" >&2
  exit 1
fi
