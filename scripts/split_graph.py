#!/usr/bin/env python3
"""Split a Kokoro ONNX graph in two: the prosody (text in, frame features out) and the decoder
(frame features in, audio out).

Kokoro (StyleTTS 2) first reads the whole utterance: the text encoders, the duration predictor
and the pitch and energy predictor turn the phoneme ids into frame-rate features (25 ms a
frame): `features` [1, 512, F] (the text encoding spread over the frames its durations give),
`f0` and `energy` [1, 2F]. The decoder then turns those into 24 kHz audio, 600 samples a frame.
Almost all of the memory a long utterance needs is the decoder's, at audio rate; the prosody's
is small. Split, bookvoice can read up to the model's 510 ids at once, as kokoro-onnx does, and
decode the audio in windows of a few seconds, so its memory stays that of a short utterance.
The tensors are found by the names the PyTorch export gave them
(`asr`, `F0_pred` and `N_pred` in Kokoro's `forward_with_tokens`); each piece keeps the
`durations` output (scripts/add_durations.py) on the prosody side, and both take `style`.

    python3 scripts/split_graph.py IN.onnx PROSODY.onnx DECODER.onnx
"""
import sys

import onnx
from onnx.utils import Extractor

# The export's names for the decoder's three inputs, and the names the pieces give them.
BOUNDARY = {
    "/encoder/MatMul_1_output_0": "features",
    "/encoder/Reshape_output_0": "f0",
    "/encoder/Reshape_1_output_0": "energy",
}


def rename(model, names):
    g = model.graph
    for node in g.node:
        node.input[:] = [names.get(i, i) for i in node.input]
        node.output[:] = [names.get(o, o) for o in node.output]
    for value in list(g.input) + list(g.output) + list(g.value_info):
        value.name = names.get(value.name, value.name)


def main(src, prosody_path, decoder_path):
    model = onnx.load(src)
    made = {o for n in model.graph.node for o in n.output}
    missing = [name for name in BOUNDARY if name not in made]
    if missing:
        raise SystemExit(f"{src}: no tensor {', '.join(missing)}: not the Kokoro v1.0 export this script knows")
    inputs = [i.name for i in model.graph.input]
    outputs = [o.name for o in model.graph.output]
    if "durations" not in outputs:
        raise SystemExit(f"{src}: no `durations` output (run scripts/add_durations.py first)")
    extractor = Extractor(model)
    prosody = extractor.extract_model(inputs, list(BOUNDARY) + ["durations"])
    decoder = extractor.extract_model(list(BOUNDARY) + ["style"], [outputs[0]])
    for piece in (prosody, decoder):
        rename(piece, BOUNDARY)
        onnx.checker.check_model(piece)
    onnx.save(prosody, prosody_path)
    onnx.save(decoder, decoder_path)
    print(f"split {src}: prosody {len(prosody.graph.node)} nodes, decoder {len(decoder.graph.node)} nodes",
          file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
