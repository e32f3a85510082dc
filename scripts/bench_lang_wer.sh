#!/usr/bin/env bash
# Word error rate, and the language Whisper hears, of bookvoice and of the Python reference on
# the passages `bookvoice bench --languages … --compare-reference --out DIR` keeps:
# DIR/LANG.said.txt (the words a listener should hear), DIR/LANG.wav and DIR/LANG.reference.wav.
# Whisper comes from the offline harness in ../shared/tools/asr (set up with its setup.sh);
# point WER_PY at its wer.py, WER_PYTHON at the Python of its venv and WER_WHISPER_MODEL at its
# model. Whisper base writes Hindi in Urdu script, so Hindi is judged by the language it hears
# (hi or ur) more than by its word error rate. Mandarin transcripts are rescored by
# scripts/zh_rescore.py in simplified characters (Whisper picks traditional or simplified at
# random); the errors column then counts character edits.
#
#   scripts/bench_lang_wer.sh DIR
set -euo pipefail
dir="${1:?usage: scripts/bench_lang_wer.sh DIR}"
# shellcheck source=scripts/wer_harness.sh
. "$(dirname "$0")/wer_harness.sh" bench-lang-wer
printf '%-6s %-10s %8s %6s  %s\n' lang system WER errors "heard as"
for said in "$dir"/*.said.txt; do
    lang="$(basename "$said" .said.txt)"
    whisper_lang="${lang%%-*}"
    for pair in "bookvoice:$dir/$lang.wav" "reference:$dir/$lang.reference.wav"; do
        name="${pair%%:*}"
        wav="${pair#*:}"
        [ -f "$wav" ] || continue
        rescore=cat
        [ "$whisper_lang" = zh ] && rescore="$wer_python $(dirname "$0")/zh_rescore.py"
        "$wer_python" "$wer_py" "$said" "$wav" --language "$whisper_lang" --json | $rescore |
            "$wer_python" -c '
import json, sys
r = json.load(sys.stdin)
errors = r["substitutions"] + r["deletions"] + r["insertions"]
print("%-6s %-10s %7.2f%% %3d/%-3d %s (%.2f)" % (sys.argv[1], sys.argv[2], 100 * r["wer"], errors,
      r["ref_words"], r["detected_language"], r["detected_probability"]))' "$lang" "$name"
    done
done
