#!/usr/bin/env python3
"""Measure the activation ranges that scripts/static_int8.py fixes in the model.

The registry's Kokoro graph quantizes each convolution's input at run time
(DynamicQuantizeLinear, then ConvInteger): it scans the input for its range on every call,
and ConvInteger is a slow kernel on AVX2 CPUs. QLinearConv is about twice as fast on the same
convolution, but it needs the input's and the output's ranges fixed in advance. This script
runs the model on speech-like inputs (scripts/calibration/set.json: a sentence for every voice
in its language, and short inputs at speeds from 0.5 to 2.0) and records, for every
convolution's input and output, the smallest and largest value seen (min-max calibration).
The result is committed (scripts/calibration/ranges.json), so that `make assets` builds the
same file everywhere without running the model; rerun this only when the set or the model
changes.

Needs onnx, numpy and onnxruntime (1.31.1 was used):

    python3 scripts/calibrate_int8.py models/kokoro-v1.0.int8.onnx models/voices \\
        scripts/calibration/set.json scripts/calibration/ranges.json
"""
import hashlib
import json
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

from onnx_graph import dynamic_convs


def convolution_tensors(graph):
    """Each ConvInteger's float input and its float output (after bias and rescale), in order."""
    producer = {o: n for n in graph.node for o in n.output}
    consumers = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    names = []
    for c in dynamic_convs(graph, producer, consumers):
        names += [c.x, c.mul.output[0]]
    return list(dict.fromkeys(names))


def main(model_path, voices_dir, set_path, out_path):
    model = onnx.load(model_path)
    g = model.graph
    tensors = convolution_tensors(g)
    # Reduce in the graph, so only two scalars per tensor leave the session.
    outputs = []
    for i, t in enumerate(tensors):
        lo, hi = f"calibration_min_{i}", f"calibration_max_{i}"
        g.node.extend([helper.make_node("ReduceMin", [t], [lo], keepdims=0),
                       helper.make_node("ReduceMax", [t], [hi], keepdims=0)])
        g.output.extend([helper.make_tensor_value_info(lo, TensorProto.FLOAT, []),
                         helper.make_tensor_value_info(hi, TensorProto.FLOAT, [])])
        outputs += [lo, hi]
    options = ort.SessionOptions()
    session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    calls = json.load(open(set_path, encoding="utf-8"))["calls"]
    lo = np.full(len(tensors), np.inf)
    hi = np.full(len(tensors), -np.inf)
    for k, call in enumerate(calls):
        ids = call["ids"]
        table = np.fromfile(f"{voices_dir}/{call['voice']}.bin", dtype=np.float32).reshape(-1, 256)
        feeds = {
            "tokens": np.array([[0] + ids + [0]], dtype=np.int64),
            # The style row for n phoneme ids is row n - 1, as Kokoro's own pipeline takes it.
            "style": table[len(ids) - 1][None],
            "speed": np.array([call["speed"]], dtype=np.float32),
        }
        t0 = time.perf_counter()
        got = session.run(outputs, feeds)
        lo = np.minimum(lo, np.array(got[0::2], dtype=np.float64))
        hi = np.maximum(hi, np.array(got[1::2], dtype=np.float64))
        print(f"{k + 1}/{len(calls)} {call['voice']} speed {call['speed']} {len(ids)} ids "
              f"{time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
    ranges = {t: [float(a), float(b)] for t, a, b in zip(tensors, lo, hi)}
    with open(out_path, "w", encoding="utf-8") as f:
        digest = hashlib.sha256(open(model_path, "rb").read()).hexdigest()
        json.dump({"model_sha256": digest, "calls": len(calls), "ranges": ranges},
                  f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 5:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
