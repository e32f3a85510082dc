#!/usr/bin/env python3
"""Speak a text with the Python reference, kokoro-onnx, and report its figures as JSON.

`bookvoice bench --compare-reference` runs this in the same run as its own measurement, with
the same int8 model, the same voice table (a raw float32 [510, 1, 256] file that bench writes)
and the same text, so the two can be compared as ratios. kokoro-onnx is used the way its
README shows: `Kokoro(model, voices).create(text, voice, speed, lang)` with its own session
settings. Mandarin and Japanese, which kokoro-onnx's espeak-ng cannot read, are phonemized the
way Kokoro's own pipeline does, by misaki 0.9.4 (`ZHG2P()`, `JAG2P()`), and the phonemes
given to `create(..., is_phonemes=True)`; the G2P's time counts as synthesis.

    kokoro_onnx_run.py --model M.onnx --voice V.bin --text T.txt --out OUT.wav [--speed 1.0]

Several texts may be given (`--text A.txt B.txt --out A.wav B.wav`, as `scripts/wer_clips.py`
does for a chapter's clips): the model is loaded once, and a JSON object is printed for each.
"""
import argparse
import importlib.metadata
import json
import os
import resource
import sys
import tempfile
import time
import wave

import numpy as np


def speak(kokoro, text, a):
    """One text's samples and rate, the way kokoro-onnx's README (or, for zh and ja, Kokoro's
    own pipeline) speaks it."""
    if a.lang in ("zh", "cmn", "ja"):
        if a.lang == "ja":
            from misaki import ja

            g2p = ja.JAG2P()
        else:
            from misaki import zh

            g2p = zh.ZHG2P()
        phonemes, _ = g2p(text)
        return kokoro.create(phonemes, voice="bench", speed=a.speed, is_phonemes=True)
    return kokoro.create(text, voice="bench", speed=a.speed, lang=a.lang)


def write_wav(path, audio, rate):
    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--voice", required=True, help="raw float32 [510, 1, 256] style table")
    p.add_argument("--text", required=True, nargs="+",
                   help="texts to speak, each into the --out at the same place")
    p.add_argument("--out", required=True, nargs="+")
    p.add_argument("--speed", type=float, default=1.0)
    p.add_argument("--lang", default="en-us")
    a = p.parse_args()
    if len(a.text) != len(a.out):
        p.error("give one --out for each --text")

    style = np.fromfile(a.voice, dtype=np.float32).reshape(510, 1, 256)

    from kokoro_onnx import Kokoro

    with tempfile.TemporaryDirectory() as tmp:
        voices = os.path.join(tmp, "voices.npz")
        np.savez(voices, bench=style)
        t0 = time.perf_counter()
        kokoro = Kokoro(a.model, voices)
        load = time.perf_counter() - t0

    # One JSON object per text, on a line of its own; the model is loaded once.
    for text_path, out in zip(a.text, a.out):
        text = open(text_path, encoding="utf-8").read()
        t0 = time.perf_counter()
        audio, rate = speak(kokoro, text, a)
        synth = time.perf_counter() - t0
        write_wav(out, audio, rate)
        json.dump(
            {
                "kokoro_onnx": importlib.metadata.version("kokoro-onnx"),
                "onnxruntime": importlib.metadata.version("onnxruntime"),
                "chars": len(text),
                "load_secs": load,
                "synth_secs": synth,
                "audio_secs": len(audio) / rate,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            },
            sys.stdout,
        )
        print(flush=True)


if __name__ == "__main__":
    main()
