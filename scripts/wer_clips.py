#!/usr/bin/env python3
"""Word errors of a chapter heard a clip at a time, bookvoice against the Python reference.

The Whisper harness of ../shared/tools/asr asks for clips under 30 s, one utterance each,
compared on the same texts. A whole chapter heard in Whisper's 30-second windows loses words
at each window's edge, and its score moves with where the edges fall (wer_shifted.py averages
four takes to steady that). bookvoice records where each chunk of a chapter is heard, in the
chapter's captions (work directory, `chapters/NN - Title.vtt`), so the chapter can be cut at
its own pauses into clips: whole stanzas, paragraphs or runs of them, of at most --max-secs.
Each clip's text is given to the reference on its own, and both sides' clips are scored
against the same words (with --shifts, each clip is heard behind several lead silences and the
takes averaged, which shows how much of a difference is Whisper's own). The cut never falls inside a pause shorter than --gap unless a
paragraph or stanza is longer than a clip, and then at its longest pauses.

Two steps, each in the Python that has what it needs:

    # cut the chapter into clips and have the reference speak each clip's text
    .venv-reference/bin/python scripts/wer_clips.py cut --vtt "WORK/chapters/NN - T.vtt" \\
        --wav "OUT/NN - T.wav" --out CLIPS [--runner out/wl/kokoro_onnx_run.py \\
        --model models/kokoro-v1.0.int8.onnx --voice out/wl/voice.bin]
    # score both sides' clips with Whisper
    WER_PY=../shared/tools/asr/wer.py $WER_PYTHON scripts/wer_clips.py score CLIPS \\
        [--script "WORK/script/NN - T.txt"] [--json] [--show]

CLIPS then holds `clip-NNN.txt` (the words), `bookvoice/clip-NNN.wav`, `reference/clip-NNN.wav`
and `clips.json` (each clip's first cue and count). Another rendering of the same chapter is cut
into the same clips with `--like CLIPS`, and scored against the same texts.
With --script, the passages the script marks with another language (`[…]{lang=de}`) are
counted apart, as in wer_shifted.py.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys
import wave

import numpy as np

TIME = re.compile(r"(\d+):(\d\d):(\d\d)\.(\d{3})")


def seconds(stamp):
    h, m, s, ms = (int(g) for g in TIME.fullmatch(stamp).groups())
    return h * 3600 + m * 60 + s + ms / 1000.0


def read_cues(path):
    """(start, end, text) of each cue of a WebVTT file as bookvoice writes it."""
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    if not blocks or not blocks[0].startswith("WEBVTT"):
        sys.exit("wer_clips.py: %s is not a WebVTT file" % path)
    cues = []
    for block in blocks[1:]:
        lines = [line for line in block.strip().split("\n") if line]
        if not lines or "-->" not in lines[0]:
            continue
        start, end = (seconds(t.strip()) for t in lines[0].split("-->"))
        cues.append((start, end, html.unescape(" ".join(lines[1:]))))
    return cues


def span(cues):
    return cues[-1][1] - cues[0][0]


def split_long(group, max_secs):
    """A run of cues longer than a clip, cut at its longest pauses until every piece fits."""
    if span(group) <= max_secs or len(group) == 1:
        return [group]
    gaps = [(group[i + 1][0] - group[i][1], i) for i in range(len(group) - 1)]
    # The longest pause that leaves both sides non-empty; ties go to the middle.
    middle = (len(group) - 1) / 2
    _, at = max(gaps, key=lambda g: (round(g[0], 2), -abs(g[1] - middle)))
    return split_long(group[:at + 1], max_secs) + split_long(group[at + 1:], max_secs)


def clips_of(cues, gap, max_secs):
    """Cues grouped into clips: cut at pauses of at least `gap` seconds, long runs split at
    their longest pauses, and neighbouring runs joined while the clip stays within max_secs."""
    runs, run = [], []
    for cue in cues:
        if run and cue[0] - run[-1][1] >= gap:
            runs.append(run)
            run = []
        run.append(cue)
    if run:
        runs.append(run)
    pieces = [piece for run in runs for piece in split_long(run, max_secs)]
    clips = []
    for piece in pieces:
        if clips and piece[-1][1] - clips[-1][0][0] <= max_secs:
            clips[-1] = clips[-1] + piece
        else:
            clips.append(piece)
    return clips


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            sys.exit("wer_clips.py: %s is not 16-bit mono" % path)
        rate = w.getframerate()
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return samples, rate


def write_wav(path, samples, rate):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


def cut(a):
    cues = read_cues(a.vtt)
    if not cues:
        sys.exit("wer_clips.py: %s has no cues" % a.vtt)
    if a.like:
        # Another rendering of the same chapter, cut into the clips of an earlier cut, so that
        # both are scored on the same texts (and that cut's reference clips can be reused).
        with open(os.path.join(a.like, "clips.json"), encoding="utf-8") as f:
            groups = json.load(f)
        if sum(count for _, count in groups) != len(cues):
            sys.exit("wer_clips.py: %s has %d cues, the clips of %s %d" % (
                a.vtt, len(cues), a.like, sum(count for _, count in groups)))
        clips = [cues[first:first + count] for first, count in groups]
    else:
        clips = clips_of(cues, a.gap, a.max_secs)
    samples, rate = read_wav(a.wav)
    os.makedirs(os.path.join(a.out, "bookvoice"), exist_ok=True)
    groups, first = [], 0
    for clip in clips:
        groups.append([first, len(clip)])
        first += len(clip)
    with open(os.path.join(a.out, "clips.json"), "w", encoding="utf-8") as f:
        json.dump(groups, f)
    texts, outs = [], []
    for n, (clip, (before, count)) in enumerate(zip(clips, groups), 1):
        name = "clip-%03d" % n
        text_path = os.path.join(a.out, name + ".txt")
        with open(text_path, "w", encoding="utf-8") as f:
            f.write("\n".join(cue[2] for cue in clip) + "\n")
        # The silence on either side, up to 0.1 s, goes with the clip, never a neighbour's words.
        after = before + count
        lead = min(0.1, (clip[0][0] - cues[before - 1][1]) / 2 if before > 0 else 0.1)
        trail = min(0.1, (cues[after][0] - clip[-1][1]) / 2 if after < len(cues) else 0.1)
        start = max(0, int((clip[0][0] - lead) * rate))
        end = min(len(samples), int(round((clip[-1][1] + trail) * rate)))
        write_wav(os.path.join(a.out, "bookvoice", name + ".wav"), samples[start:end], rate)
        texts.append(text_path)
        outs.append(os.path.join(a.out, "reference", name + ".wav"))
    lengths = [span(c) for c in clips]
    print("%s: %d cues in %d clips of %.1f to %.1f s" % (
        a.wav, len(cues), len(clips), min(lengths), max(lengths)), file=sys.stderr)
    if a.runner:
        os.makedirs(os.path.join(a.out, "reference"), exist_ok=True)
        command = [sys.executable, a.runner, "--model", a.model, "--voice", a.voice,
                   "--lang", a.lang, "--text", *texts, "--out", *outs]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def score(a):
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import wer_shifted  # noqa: E402  (its harness loading and language masks)

    wer = wer_shifted.load_harness()
    from faster_whisper.audio import decode_audio

    tr = wer.Transcriber(a.model or wer.DEFAULT_MODEL, language="en")
    passages = wer_shifted.foreign_passages(a.script) if a.script else []
    names = sorted(n[:-4] for n in os.listdir(a.clips) if re.fullmatch(r"clip-\d+\.txt", n))
    if not names:
        sys.exit("wer_clips.py: no clip-NNN.txt in %s" % a.clips)
    sides = [s for s in ("bookvoice", "reference") if os.path.isdir(os.path.join(a.clips, s))]
    shifts = [float(x) for x in a.shifts.split(",")]
    for side in sides:
        keys = ("errors", "errors_outside", "errors_marked")
        total = {"words": 0, "marked_words": 0, "clips": 0, **{k: 0 for k in keys}}
        takes = [{k: 0 for k in keys} for _ in shifts]
        seen = {}
        for name in names:
            wav = os.path.join(a.clips, side, name + ".wav")
            if not os.path.isfile(wav):
                sys.exit("wer_clips.py: %s is missing" % wav)
            with open(os.path.join(a.clips, name + ".txt"), encoding="utf-8") as f:
                ref_norm = wer.normalize(f.read().strip())
            words = ref_norm.split()
            if not words:
                continue
            mask = wer_shifted.region_mask(words, passages, wer.normalize)
            audio = decode_audio(wav, sampling_rate=16000)
            for take, shift in zip(takes, shifts):
                lead = np.zeros(int(shift * 16000), dtype=audio.dtype)
                hyp, _, _ = tr(np.concatenate([lead, audio]))
                hyp_norm = wer.normalize(hyp)
                outside, inside = wer_shifted.split_errors(ref_norm, hyp_norm, mask, seen)
                take["errors"] += wer.score(ref_norm, hyp_norm)["errors"]
                take["errors_outside"] += outside
                take["errors_marked"] += inside
            total["words"] += len(words)
            total["marked_words"] += sum(mask)
            total["clips"] += 1
        for k in keys:
            total[k] = sum(t[k] for t in takes) / len(takes)
        result = {"clips_dir": a.clips, "side": side, **total, "takes": takes}
        if a.json:
            print(json.dumps(result), flush=True)
            continue
        line = "%s, %s: %.1f errors in %d words (%d clips, mean of %d takes)" % (
            a.clips, side, total["errors"], total["words"], total["clips"], len(takes))
        if passages:
            line += "; outside the marked passages %.1f of %d, in them %.1f of %d" % (
                total["errors_outside"], total["words"] - total["marked_words"],
                total["errors_marked"], total["marked_words"])
        print(line, flush=True)
        if a.show:
            for key, n in sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])):
                print("  %d/%d %s" % (n, len(takes), key))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="step", required=True)
    c = sub.add_parser("cut", help="cut a chapter into clips and speak them with the reference")
    c.add_argument("--vtt", required=True, help="the chapter's captions (work directory)")
    c.add_argument("--wav", required=True, help="the chapter's audio, as bookvoice wrote it")
    c.add_argument("--out", required=True, help="folder for the clips")
    c.add_argument("--gap", type=float, default=0.6,
                   help="the shortest pause, in seconds, a clip may end at (default 0.6: "
                        "paragraphs and stanzas, not lines)")
    c.add_argument("--max-secs", type=float, default=25.0, help="the longest clip (default 25)")
    c.add_argument("--like", help="a folder of an earlier cut of the same chapter: cut into the "
                                  "same clips (the same texts)")
    c.add_argument("--runner", help="kokoro_onnx_run.py (as bench writes it) to speak the clips")
    c.add_argument("--model", help="the reference's model file")
    c.add_argument("--voice", help="the raw voice table bench writes (voice.bin)")
    c.add_argument("--lang", default="en-us")
    s = sub.add_parser("score", help="score both sides' clips with Whisper")
    s.add_argument("clips", help="a folder made by `cut`")
    s.add_argument("--script", help="bookvoice's script of the chapter, for its marked languages")
    s.add_argument("--model", default=None, help="CTranslate2 Whisper directory")
    s.add_argument("--shifts", default="0",
                   help="leading silences in seconds, a take each (e.g. 0,0.25,0.5), averaged")
    s.add_argument("--json", action="store_true", help="one JSON object per side")
    s.add_argument("--show", action="store_true", help="list each error with a word of context")
    a = p.parse_args()
    if a.step == "cut":
        if a.runner and not (a.model and a.voice):
            p.error("--runner needs --model and --voice")
        cut(a)
    else:
        score(a)


if __name__ == "__main__":
    main()
