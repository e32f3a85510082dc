#!/usr/bin/env python3
"""Make the statically quantized Kokoro graph that bookvoice runs on the CPU.

The registry's graph runs each convolution as DynamicQuantizeLinear + ConvInteger over uint8
weights: the input's range is found on every call, and ConvInteger is a slow kernel on AVX2
CPUs. The convolutions are 58 % of the model's time there. This script replaces each of them
with QuantizeLinear -> QLinearConv -> DequantizeLinear, which ONNX Runtime runs about 1.7x
faster on the same convolution:

- The weights stay exactly the model's. W_u8 - zero_point fits in int8 for every convolution
  of this model (checked below), so the signed weights have zero point 0 and the same scale.
- The bias becomes int32 at the input scale times the weight scale, as QLinearConv takes it.
- The input and output ranges are fixed from scripts/calibration/ranges.json (measured by
  scripts/calibrate_int8.py), each widened by MARGIN of its span on both sides so that voices,
  texts and speeds a little outside the calibration set are not clipped.

Everything else (the matrix products, the LSTMs, the generator's float ops, the durations
output) is left as it is. The result is deterministic: no model run, only arithmetic on the
weights and the committed ranges.

    python3 scripts/static_int8.py IN.onnx RANGES.json OUT.onnx
"""
import json
import sys
from collections import defaultdict

import numpy as np
import onnx
from onnx import helper, numpy_helper

import elementwise
from onnx_graph import dynamic_convs, keep_used

# Each calibrated range is widened by this fraction of its span, on both sides.
MARGIN = 0.1


def uint8_params(lo, hi):
    """Scale and zero point of an asymmetric uint8 quantization covering [lo, hi] and 0."""
    span = hi - lo
    lo, hi = min(lo - MARGIN * span, 0.0), max(hi + MARGIN * span, 0.0)
    scale = np.float32((hi - lo) / 255.0)
    zero = np.uint8(np.clip(np.round(-lo / float(scale)), 0, 255))
    return scale, zero


def main(src, ranges_path, dst):
    model = onnx.load(src)
    g = model.graph
    ranges = json.load(open(ranges_path, encoding="utf-8"))["ranges"]
    inits = {i.name: i for i in g.initializer}
    producer = {o: n for n in g.node for o in n.output}
    consumers = defaultdict(list)
    for n in g.node:
        for i in n.input:
            consumers[i].append(n)

    def arr(name):
        return numpy_helper.to_array(inits[name])

    added = []

    def constant(name, value):
        if name not in inits:
            t = numpy_helper.from_array(np.asarray(value), name)
            inits[name] = t
            added.append(t)
        return name

    replace = {}  # id(old node) -> the nodes that take its place (none: removed)
    quantized_inputs = {}
    for c in dynamic_convs(g, producer, consumers):
        n, x, cast, mul = c.conv, c.x, c.cast, c.mul
        _, w_q, _, w_zp = n.input
        bias, removed = None, []
        if c.bias_add is not None:
            # The float bias, divided at run time by the dynamic input scale times the weight scale.
            removed.append(c.bias_add)
            reshape = producer[[i for i in c.bias_add.input if i != n.output[0]][0]]
            div = producer[producer[producer[reshape.input[0]].input[0]].input[0]]
            if div.op_type != "Div":
                raise SystemExit(f"unexpected bias of {n.name}: {div.op_type}")
            bias = arr(div.input[0]).astype(np.float64)
        scale_in = producer[[i for i in mul.input if i != cast.output[0]][0]]
        w_scales = [arr(i) for i in scale_in.input if i in inits]
        if len(w_scales) != 1 or np.ndim(w_scales[0]) != 0 or np.ndim(arr(w_zp)) != 0:
            raise SystemExit(f"{n.name}: expected one per-tensor weight scale and zero point")
        w_scale = np.float32(w_scales[0])
        w = arr(w_q).astype(np.int16) - int(arr(w_zp))
        if w.min() < -128 or w.max() > 127:
            raise SystemExit(f"{n.name}: weights do not fit in int8 around their zero point")
        x_scale, x_zero = uint8_params(*ranges[x])
        y_scale, y_zero = uint8_params(*ranges[mul.output[0]])

        nodes = []
        if x not in quantized_inputs:
            # Convolutions reading the same tensor share one quantization of it.
            quantized_inputs[x] = x + "_static_q"
            nodes.append(helper.make_node(
                "QuantizeLinear",
                [x, constant(x + "_static_scale", x_scale), constant(x + "_static_zero", x_zero)],
                [quantized_inputs[x]], name=x + "_static_quantize"))
        name = n.name
        inputs = [
            quantized_inputs[x], x + "_static_scale", x + "_static_zero",
            constant(w_q + "_s8", w.astype(np.int8)),
            constant(name + "_w_scale", w_scale), constant(name + "_w_zero", np.int8(0)),
            constant(name + "_y_scale", y_scale), constant(name + "_y_zero", y_zero),
        ]
        if bias is not None:
            b = np.round(bias / (np.float64(x_scale) * np.float64(w_scale)))
            inputs.append(constant(name + "_bias_i32", np.clip(b, -2**31, 2**31 - 1).astype(np.int32)))
        conv = helper.make_node("QLinearConv", inputs, [name + "_static_y"], name=name + "_static")
        conv.attribute.extend(n.attribute)
        nodes.append(conv)
        nodes.append(helper.make_node(
            "DequantizeLinear", [name + "_static_y", name + "_y_scale", name + "_y_zero"],
            [mul.output[0]], name=name + "_static_dequantize"))
        replace[id(n)] = nodes
        for r in removed + [cast, mul]:
            replace[id(r)] = []
    if not replace:
        raise SystemExit("no ConvInteger found: is this the registry's int8 model?")

    # The float ops around them, in fewer passes (scripts/elementwise.py).
    replace.update(elementwise.fuse_instance_norms(g, producer, consumers, constant))
    replace.update(elementwise.square_by_mul(g, producer))
    nodes = [m for n in g.node for m in replace.get(id(n), [n])]
    # Drop what nothing uses any more (the dynamic quantization, the bias arithmetic, old weights).
    keep_used(g, nodes, added)
    left = sum(1 for n in g.node if n.op_type == "ConvInteger")
    if left:
        raise SystemExit(f"{left} ConvInteger left after the rewrite")
    onnx.save(model, dst)
    print(f"{sum(1 for n in g.node if n.op_type == 'QLinearConv')} convolutions statically quantized, "
          f"{sum(1 for n in g.node if n.op_type == 'InstanceNormalization')} instance norms fused, "
          f"{sum(1 for n in g.node if n.op_type == 'Pow')} powers left", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
