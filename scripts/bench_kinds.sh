#!/usr/bin/env bash
# Speed against the Python reference on three kinds of real text: a prose chapter, a verse
# section and a dialogue-heavy chapter, each as BOOK.epub:CHAPTER. Each kind is run as
# `bookvoice bench --book … --compare-reference --repeat N` (pairs alternating which side goes
# first), its JSON kept in OUT/KIND.json and its files in OUT/KIND/pair-K/, and the medians
# are printed at the end. A book that is absent (../shared not on this machine) is skipped,
# saying so.
#
#   scripts/bench_kinds.sh BIN OUT REPEAT KIND=BOOK.epub:CHAPTER...
set -euo pipefail
bin="${1:?usage: scripts/bench_kinds.sh BIN OUT REPEAT KIND=BOOK.epub:CHAPTER...}"
out="${2:?}"
repeat="${3:?}"
shift 3
mkdir -p "$out"
ran=()
for spec in "$@"; do
    kind="${spec%%=*}"
    rest="${spec#*=}"
    book="${rest%:*}"
    chapter="${rest##*:}"
    if [ ! -f "$book" ]; then
        echo "bench: skipping $kind: $book is absent"
        continue
    fi
    echo "bench: $kind: $book chapter $chapter, $repeat pairs"
    rm -rf "${out:?}/$kind"
    "$bin" bench --book "$book" --chapters "$chapter" --device cpu --compare-reference \
        --repeat "$repeat" --out "$out/$kind" --json >"$out/$kind.json"
    ran+=("$kind")
done
[ ${#ran[@]} -gt 0 ] || { echo "bench: none of the books is present"; exit 1; }
printf '\n%-9s %7s %7s %-25s %9s %9s %8s %8s\n' kind chars calls "speed ratio (median, range)" "ours c/s" "ref c/s" "our MB" "ref MB"
for kind in "${ran[@]}"; do
    python3 - "$out/$kind.json" "$kind" <<'PY'
import json, statistics, sys
f = json.load(open(sys.argv[1]))
if "pairs" not in f:  # --repeat 1: one pair, the plain report
    r = f["reference"]
    f = {"first": f, "median_speed_ratio": f["ratios"]["speed"], "min_speed_ratio": f["ratios"]["speed"],
         "max_speed_ratio": f["ratios"]["speed"], "chars": f["chars"],
         "pairs": [{"chars_per_sec": f["chars_per_sec"], "reference_chars_per_sec": r["chars"] / r["synth_secs"],
                    "peak_rss_mb": f["peak_rss_mb"], "reference_peak_rss_mb": r["peak_rss_mb"]}]}
pairs = f["pairs"]
calls = sum(c["calls"] for c in f["first"]["chapters"])
ours = statistics.median(p["chars_per_sec"] for p in pairs)
ref = statistics.median(p["reference_chars_per_sec"] for p in pairs)
mb = max((p["peak_rss_mb"] or 0) for p in pairs)
ref_mb = max(p["reference_peak_rss_mb"] for p in pairs)
ratio = "%.2f× (%.2f–%.2f)" % (f["median_speed_ratio"], f["min_speed_ratio"], f["max_speed_ratio"])
print("%-9s %7d %7d %-25s %9.1f %9.1f %8.0f %8.0f" % (sys.argv[2], f["chars"], calls, ratio, ours, ref, mb, ref_mb))
PY
done
