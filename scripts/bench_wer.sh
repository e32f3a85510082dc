#!/usr/bin/env bash
# Word error rate of bookvoice and of the Python reference on the same chapters, from the files
# `bookvoice bench --book … --compare-reference --out DIR` keeps: DIR/text/NN.txt (the words
# both were given), DIR/text/NN.reference.wav, and bookvoice's chapter WAV DIR/<book>/NN - *.wav.
# Whisper comes from the offline harness in ../shared/tools/asr (set up with its setup.sh);
# point WER_PY at its wer.py and WER_PYTHON at the Python of its venv.
#
# WER_FLAGS adds options of wer.py: `--vad` keeps Whisper from looping on a long chapter
# ("agro agro agro…" for a whole 30-second window of a canto).
#
# In English each file is heard several times, behind different lengths of leading silence
# (WER_SHIFTS, seconds, default 0,7.5,15,22.5), and the mean of the takes is reported, with
# the passages the script marks as another language scored apart (scripts/wer_shifted.py):
# one take moves by about ±4 words in 600 with where Whisper's 30-second windows fall.
# WER_SHIFTS=0 gives one take through wer.py, as in other languages.
#
#   scripts/bench_wer.sh DIR [LANGUAGE]     (Whisper's code: en, es, fr, it, pt, hi)
set -euo pipefail
dir="${1:?usage: scripts/bench_wer.sh DIR [LANGUAGE]}"
language="${2:-en}"
# shellcheck source=scripts/wer_harness.sh
. "$(dirname "$0")/wer_harness.sh" bench-wer
shopt -s nullglob
for text in "$dir"/text/*.txt; do
    n="$(basename "$text" .txt)"
    # Chapter texts are named by number (04, 127); the other .txt files are not chapters.
    [[ "$n" =~ ^[0-9]+$ ]] || continue
    ours="$(chapter_file "$dir" '*/*.wav' "$n")"
    reference="$dir/text/$n.reference.wav"
    if [ "$language" = en ] && [ "${WER_SHIFTS:-0,7.5,15,22.5}" != 0 ]; then
        script="$(chapter_file "$dir" '*.bookvoice/script/*.txt' "$n")"
        wavs=()
        for wav in "$ours" "$reference"; do [ -f "$wav" ] && wavs+=("$wav"); done
        [ ${#wavs[@]} -gt 0 ] || continue
        echo "chapter $n (bookvoice, then the reference):"
        WER_PY="$wer_py" "$wer_python" "$(dirname "$0")/wer_shifted.py" "$text" "${wavs[@]}" \
            ${script:+--script "$script"} --shifts "${WER_SHIFTS:-0,7.5,15,22.5}"
        continue
    fi
    for pair in "bookvoice:$ours" "reference:$reference"; do
        name="${pair%%:*}"
        wav="${pair#*:}"
        if [ -f "$wav" ]; then
            printf 'chapter %s %-10s ' "$n" "$name"
            # shellcheck disable=SC2086 # WER_FLAGS is a list of options
            "$wer_python" "$wer_py" "$text" "$wav" --language "$language" ${WER_FLAGS:-} --json |
                "$wer_python" -c 'import json,sys; r=json.load(sys.stdin); print("WER %.2f %% (S %d, D %d, I %d of %d words)" % (100*r["wer"], r["substitutions"], r["deletions"], r["insertions"], r["ref_words"]))'
        fi
    done
done
