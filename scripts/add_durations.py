#!/usr/bin/env python3
"""Give a Kokoro ONNX graph a second output: the duration of every input token.

Kokoro predicts how many frames each phoneme id lasts before it generates any audio
(StyleTTS 2's duration predictor: the sigmoid of the duration projection, summed, divided by the
speed, rounded and clipped to at least one frame). One frame is 600 samples at 24 kHz. Those
integers are what tells bookvoice where in a call's audio each line or paragraph ends, so that
several short ones can be spoken in one call and cut apart again, with the configured pause
put back between them; they are also the word timings that subtitles need.

The export keeps them internal. This adds an output `durations` (int64, [1, T], pads included)
fed by the Cast of that Round -> Clip chain; nothing else changes, so the audio is bit for bit
what the graph made before. Works on the int8 export and on the float graph made from it, and
leaves a graph that already has the output as it is.

    python3 scripts/add_durations.py IN.onnx OUT.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

OUTPUT = "durations"


def main(src, dst):
    model = onnx.load(src)
    g = model.graph
    if any(o.name == OUTPUT for o in g.output):
        onnx.save(model, dst)
        return
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def only(name, op):
        found = [n for n in consumers.get(name, []) if n.op_type == op]
        return found[0] if len(found) == 1 else None

    found = []
    for n in g.node:
        if n.op_type != "Round":
            continue
        clip = only(n.output[0], "Clip")
        cast = clip and only(clip.output[0], "Cast")
        if cast is None:
            continue
        to = next((a.i for a in cast.attribute if a.name == "to"), None)
        if to == TensorProto.INT64:
            found.append(cast.output[0])
    if len(found) != 1:
        raise SystemExit(f"unexpected graph: {len(found)} Round -> Clip -> Cast(int64) chains, expected one")
    g.node.append(helper.make_node("Identity", [found[0]], [OUTPUT], name="bookvoice/durations"))
    g.output.append(helper.make_tensor_value_info(OUTPUT, TensorProto.INT64, [1, "tokens"]))
    onnx.checker.check_model(model)
    onnx.save(model, dst)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
