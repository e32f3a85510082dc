# Sourced by the WER scripts: finds the offline Whisper harness of ../shared/tools/asr
# (WER_PY, its wer.py; WER_PYTHON, the Python of its venv) and ends the calling script with a
# note, not an error, where it is not set up, so `make bench-wer` works on any machine.
#
#   . "$(dirname "$0")/wer_harness.sh" NAME       (NAME: the target, for the note)
wer_py="${WER_PY:-../shared/tools/asr/wer.py}"
wer_python="${WER_PYTHON:-python3}"
if [ ! -f "$wer_py" ] || ! "$wer_python" -c 'import faster_whisper, jiwer' 2>/dev/null; then
    echo "$1: skipped: no Whisper harness at $wer_py with WER_PYTHON=$wer_python"
    exit 0
fi

# chapter_file DIR GLOB N: the first file matching DIR/GLOB that is chapter N's, whose name starts
# with its number to the width of the book's chapter count (04 or 004) and " - ".
chapter_file() {
    ls "$1"/$2 2>/dev/null | grep -E "/0*$((10#$3)) - " | head -1
}
