#!/usr/bin/env python3
"""Word errors of whole chapters under Whisper, averaged over where its 30-second windows fall.

Whisper hears a long file 30 seconds at a time, and a word cut by a window's edge is often lost
or misheard. Where the edges fall depends on the audio's exact timing, so two renderings of the
same chapter that differ by a pause land their edges on different words, and one take's score
moves by about ±4 words in 600 for that alone (BENCHMARKS.md). This scorer transcribes each
file several times, each time behind a different length of leading silence (0, 7.5, 15 and
22.5 s by default: a quarter of a window apart), and reports every take's errors and their
mean, so that two files are compared on their words rather than on where the edges fell.

With --script, the chapter's bookvoice script (work directory, script/NN - ….txt) says which
passages are in another language (`[…]{lang=de}`): their words are scored apart, because English
Whisper writes a German line read in German as noise whoever reads it.

Uses the offline harness of ../shared/tools/asr (its wer.py and its venv's Python):

    WER_PY=../shared/tools/asr/wer.py $WER_PYTHON scripts/wer_shifted.py REF.txt A.wav B.wav \\
        [--script SCRIPT.txt] [--shifts 0,7.5,15,22.5] [--json]
"""
import argparse
import importlib.util
import json
import os
import re
import sys

import numpy as np


def load_harness():
    path = os.environ.get("WER_PY", os.path.join("..", "shared", "tools", "asr", "wer.py"))
    spec = importlib.util.spec_from_file_location("wer", path)
    if spec is None or not os.path.isfile(path):
        sys.exit("wer_shifted.py: no Whisper harness at %s (set WER_PY)" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def foreign_passages(script_path):
    """The passages a bookvoice script marks with their own language: `[text]{lang=xx}`."""
    with open(script_path, encoding="utf-8") as f:
        script = f.read()
    return [m.group(1) for m in re.finditer(r"\[([^\]]*)\]\{lang=[A-Za-z-]+\}", script)]


def region_mask(ref_words, passages, normalize):
    """True for each reference word inside one of the passages."""
    mask = [False] * len(ref_words)
    for passage in passages:
        words = normalize(passage).split()
        if not words:
            continue
        for i in range(len(ref_words) - len(words) + 1):
            if ref_words[i:i + len(words)] == words:
                for k in range(i, i + len(words)):
                    mask[k] = True
    return mask


def split_errors(ref_norm, hyp_norm, mask, seen=None):
    """Errors (substitutions, deletions, insertions) outside and inside the masked words;
    each error's words are counted in `seen` (reference words → what was heard)."""
    import jiwer

    outside = inside = 0
    last = len(mask) - 1
    ref_words, hyp_words = ref_norm.split(), hyp_norm.split()
    for chunk in jiwer.process_words(ref_norm, hyp_norm).alignments[0]:
        if chunk.type == "equal":
            continue
        if seen is not None:
            said = " ".join(ref_words[max(0, chunk.ref_start_idx - 1):chunk.ref_end_idx + 1])
            heard = " ".join(hyp_words[chunk.hyp_start_idx:chunk.hyp_end_idx])
            key = "%s: [%s] → [%s]" % (chunk.type[:3], said, heard)
            seen[key] = seen.get(key, 0) + 1
        if chunk.type == "insert":
            # An insertion belongs to the region of the words on either side of it.
            at = min(chunk.ref_start_idx, last)
            near = mask[at] or (chunk.ref_start_idx > 0 and mask[chunk.ref_start_idx - 1])
            n = chunk.hyp_end_idx - chunk.hyp_start_idx
            if near:
                inside += n
            else:
                outside += n
            continue
        for k in range(chunk.ref_start_idx, chunk.ref_end_idx):
            if mask[k]:
                inside += 1
            else:
                outside += 1
    return outside, inside


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("ref", help="the chapter's text (UTF-8)")
    p.add_argument("wavs", nargs="+", help="renderings of it to score")
    p.add_argument("--script", help="bookvoice's script of the chapter, for its marked languages")
    p.add_argument("--shifts", default="0,7.5,15,22.5", help="leading silences in seconds")
    p.add_argument("--model", default=None, help="CTranslate2 Whisper directory")
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument("--show", action="store_true",
                   help="list each error (with a word of context) and in how many takes it was made")
    a = p.parse_args()

    wer = load_harness()
    from faster_whisper.audio import decode_audio

    shifts = [float(s) for s in a.shifts.split(",")]
    tr = wer.Transcriber(a.model or wer.DEFAULT_MODEL, language="en")
    with open(a.ref, encoding="utf-8") as f:
        ref_norm = wer.normalize(f.read().strip())
    ref_words = ref_norm.split()
    passages = foreign_passages(a.script) if a.script else []
    mask = region_mask(ref_words, passages, wer.normalize)
    marked = sum(mask)

    for wav in a.wavs:
        audio = decode_audio(wav, sampling_rate=16000)
        takes = []
        seen = {}
        for shift in shifts:
            padded = np.concatenate([np.zeros(int(shift * 16000), dtype=audio.dtype), audio])
            hyp, _, _ = tr(padded)
            hyp_norm = wer.normalize(hyp)
            s = wer.score(ref_norm, hyp_norm)
            outside, inside = split_errors(ref_norm, hyp_norm, mask, seen)
            takes.append({"shift_s": shift, "errors": s["errors"], "errors_outside": outside,
                          "errors_marked": inside})
        mean = lambda key: sum(t[key] for t in takes) / len(takes)  # noqa: E731
        result = {"wav": wav, "ref_words": len(ref_words), "marked_words": marked,
                  "takes": takes, "mean_errors": mean("errors"),
                  "mean_errors_outside": mean("errors_outside"),
                  "mean_errors_marked": mean("errors_marked")}
        if a.json:
            print(json.dumps(result))
            continue
        per_take = " ".join("%d" % t["errors"] for t in takes)
        line = "%s: errors per take %s, mean %.1f of %d words" % (
            wav, per_take, result["mean_errors"], len(ref_words))
        if passages:
            line += "; outside the marked passages %s, mean %.1f of %d; in them, mean %.1f of %d" % (
                " ".join("%d" % t["errors_outside"] for t in takes),
                result["mean_errors_outside"], len(ref_words) - marked,
                result["mean_errors_marked"], marked)
        print(line, flush=True)
        if a.show:
            for key, n in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])):
                print("  %d/%d %s" % (n, len(takes), key))


if __name__ == "__main__":
    main()
