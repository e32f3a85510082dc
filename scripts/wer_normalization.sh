#!/usr/bin/env bash
# Intelligibility of English normalization: twelve short passages dense in numbers, dates,
# money, units, times, Roman numerals and capitals (scripts/normalization_passages/pNx.txt,
# invented text, each under 30 s of speech as Whisper scores best), spoken by a bookvoice
# binary and scored with Whisper against what a narrator says (pNx.ref.txt). Run it with an
# older binary too to compare (the figures in BENCHMARKS.md compare 3c3acaf with later ones).
#
#   scripts/wer_normalization.sh [BIN]       (default target/release/bookvoice)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/bookvoice}"
# shellcheck source=scripts/wer_harness.sh
. scripts/wer_harness.sh wer-normalization
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for text in scripts/normalization_passages/p[0-9][ab].txt; do
    name="$(basename "$text" .txt)"
    "$bin" say -q --voice af_heart --lang en-us --device cpu -f "$text" -o "$out/$name.wav"
    cp "scripts/normalization_passages/$name.ref.txt" "$out/$name.txt"
done
"$wer_python" "$wer_py" --language en --dir "$out" --json |
    "$wer_python" -c '
import json, sys
report = json.load(sys.stdin)
for r in report["results"]:
    print("%-6s WER %5.1f %% (%d errors in %d words)" % (r["name"], 100 * r["wer"], r["errors"], r["ref_words"]))
a = report["aggregate"]
print("total  WER %5.1f %% (%d errors in %d words)" % (100 * a["wer"], a["errors"], a["ref_words"]))'
