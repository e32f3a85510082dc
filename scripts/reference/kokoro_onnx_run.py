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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--voice", required=True, help="raw float32 [510, 1, 256] style table")
    p.add_argument("--text", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--speed", type=float, default=1.0)
    p.add_argument("--lang", default="en-us")
    a = p.parse_args()

    text = open(a.text, encoding="utf-8").read()
    style = np.fromfile(a.voice, dtype=np.float32).reshape(510, 1, 256)

    from kokoro_onnx import Kokoro

    with tempfile.TemporaryDirectory() as tmp:
        voices = os.path.join(tmp, "voices.npz")
        np.savez(voices, bench=style)
        t0 = time.perf_counter()
        kokoro = Kokoro(a.model, voices)
        load = time.perf_counter() - t0

    t0 = time.perf_counter()
    if a.lang in ("zh", "cmn", "ja"):
        if a.lang == "ja":
            from misaki import ja

            g2p = ja.JAG2P()
        else:
            from misaki import zh

            g2p = zh.ZHG2P()
        phonemes, _ = g2p(text)
        audio, rate = kokoro.create(phonemes, voice="bench", speed=a.speed, is_phonemes=True)
    else:
        audio, rate = kokoro.create(text, voice="bench", speed=a.speed, lang=a.lang)
    synth = time.perf_counter() - t0

    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(a.out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())

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
    print()


if __name__ == "__main__":
    main()
