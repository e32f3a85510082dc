#!/usr/bin/env bash
# Word errors of bookvoice and of the Python reference on the same chapters, heard a clip at a
# time as the Whisper harness of ../shared/tools/asr asks (clips under 30 s, one utterance
# each), from what `bookvoice bench --book … --compare-reference --out DIR` keeps: each
# chapter's WAV and its captions (DIR/<book>/NN - *.wav and .vtt), the reference's runner
# (DIR/kokoro_onnx_run.py) and voice table (DIR/voice.bin).
#
# Each chapter is cut at its paragraph and stanza pauses into clips of at most 25 s, the
# reference speaks each clip's text on its own, and both are scored on the same words
# (scripts/wer_clips.py; the clips are kept in DIR/clips/NN). WER_CLIP_SHIFTS (default 0) gives
# lead silences, a take each, to average.
#
#   scripts/bench_wer_clips.sh DIR
#
# REFERENCE_PYTHON (default .venv-reference/bin/python) runs the reference, and
# REFERENCE_MODEL (default models/kokoro-v1.0.int8.onnx under $BOOKVOICE_MODELS or models/)
# is the model it is given, as bench gives it.
set -euo pipefail
dir="${1:?usage: scripts/bench_wer_clips.sh DIR}"
# shellcheck source=scripts/wer_harness.sh
. "$(dirname "$0")/wer_harness.sh" bench-wer-clips
reference_python="${REFERENCE_PYTHON:-.venv-reference/bin/python}"
reference_model="${REFERENCE_MODEL:-${BOOKVOICE_MODELS:-models}/kokoro-v1.0.int8.onnx}"
if ! "$reference_python" -c 'import kokoro_onnx' 2>/dev/null; then
    echo "bench-wer-clips: skipped: no Python reference at $reference_python (make reference)"
    exit 0
fi
shopt -s nullglob
for text in "$dir"/text/*.txt; do
    n="$(basename "$text" .txt)"
    [[ "$n" =~ ^[0-9]+$ ]] || continue
    ours="$(chapter_file "$dir" '*/*.wav' "$n")"
    captions="${ours%.wav}.vtt"
    if [ ! -f "$captions" ]; then
        echo "chapter $n: no captions beside ${ours:-its WAV} (made by a bookvoice before them?)"
        continue
    fi
    script="$(chapter_file "$dir" '*.bookvoice/script/*.txt' "$n")"
    clips="$dir/clips/$n"
    rm -rf "$clips"
    "$reference_python" "$(dirname "$0")/wer_clips.py" cut --vtt "$captions" --wav "$ours" \
        --out "$clips" --runner "$dir/kokoro_onnx_run.py" --model "$reference_model" \
        --voice "$dir/voice.bin"
    WER_PY="$wer_py" "$wer_python" "$(dirname "$0")/wer_clips.py" score "$clips" \
        ${script:+--script "$script"} --shifts "${WER_CLIP_SHIFTS:-0}"
done
