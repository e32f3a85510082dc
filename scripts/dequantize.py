#!/usr/bin/env python3
"""Make a float Kokoro graph from the dynamically quantized int8 one.

The registries ship Kokoro v1.0 only as ONNX Runtime's dynamic int8 export: MatMulInteger,
ConvInteger and DynamicQuantizeLSTM over int8 weights. Accelerators lack kernels for those
integer ops, so for the GPU path every quantized weight is dequantized once,
W = (W_q - zero_point) * scale, and each integer op with its surrounding quantize / cast / rescale
nodes is replaced by the float op (MatMul, Conv, LSTM) on the original float input. Nodes left
without consumers are dropped.

    python3 scripts/dequantize.py IN.onnx OUT.onnx
"""
import sys
from collections import defaultdict

import numpy as np
import onnx
from onnx import helper, numpy_helper


def main(src, dst):
    model = onnx.load(src)
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    arrays = {}

    def arr(name):
        if name not in arrays:
            arrays[name] = numpy_helper.to_array(inits[name])
        return arrays[name]

    producer = {}
    consumers = defaultdict(list)
    for n in g.node:
        for o in n.output:
            producer[o] = n
        for i in n.input:
            consumers[i].append(n)

    def only_consumer(name, op):
        users = consumers[name]
        if len(users) != 1 or users[0].op_type != op:
            raise SystemExit(f"unexpected graph: {name} is not used by exactly one {op}")
        return users[0]

    def init_of(node):
        """The one initializer input of a two-input node (a weight scale)."""
        found = [i for i in node.input if i in inits]
        if len(found) != 1:
            raise SystemExit(f"unexpected graph: {node.name or node.op_type} has {len(found)} initializer inputs")
        return found[0]

    new_inits = {}
    replace = {}  # id(old node) -> new node or None (removed)

    def add_init(name, value):
        # Weights shared by several nodes are dequantized once.
        if name not in new_inits:
            new_inits[name] = numpy_helper.from_array(value.astype(np.float32), name)
        return name

    for n in list(g.node):
        if n.op_type == "MatMulInteger":
            a_q, b_q, _, b_zp = n.input
            x = producer[a_q].input[0]
            cast = only_consumer(n.output[0], "Cast")
            mul = only_consumer(cast.output[0], "Mul")
            scale_in = [i for i in mul.input if i != cast.output[0]][0]
            b_scale = arr(init_of(producer[scale_in]))
            w = (arr(b_q).astype(np.float32) - arr(b_zp).astype(np.float32)) * b_scale
            name = add_init(b_q.replace("_quantized", "") + "_dequantized", w)
            replace[id(n)] = helper.make_node("MatMul", [x, name], [mul.output[0]], name=(n.name or "mm") + "_float")
            replace[id(cast)] = None
            replace[id(mul)] = None
        elif n.op_type == "ConvInteger":
            x_q, w_q, _, w_zp = n.input
            x = producer[x_q].input[0]
            nxt = consumers[n.output[0]][0]
            bias = None
            removed = []
            if nxt.op_type == "Add":
                removed.append(nxt)
                reshape = producer[[i for i in nxt.input if i != n.output[0]][0]]
                div = producer[producer[producer[reshape.input[0]].input[0]].input[0]]
                assert div.op_type == "Div", div.op_type
                bias = arr(div.input[0]).astype(np.float32)
                nxt = only_consumer(nxt.output[0], "Cast")
            cast = nxt
            assert cast.op_type == "Cast", cast.op_type
            mul = only_consumer(cast.output[0], "Mul")
            scale_in = [i for i in mul.input if i != cast.output[0]][0]
            w_scale = arr(init_of(producer[scale_in]))
            wq = arr(w_q).astype(np.float32)
            zp = arr(w_zp).astype(np.float32)
            shape = (-1,) + (1,) * (wq.ndim - 1)
            if np.ndim(zp) == 1:
                zp = zp.reshape(shape)
            if np.ndim(w_scale) == 1:
                w_scale = w_scale.reshape(shape)
            w = (wq - zp) * w_scale
            inputs = [x, add_init(w_q.replace("_quantized", "") + "_dequantized", w)]
            if bias is not None:
                inputs.append(add_init(w_q.replace("_quantized", "") + "_bias_float", bias))
            conv = helper.make_node("Conv", inputs, [mul.output[0]], name=(n.name or "conv") + "_float")
            conv.attribute.extend(n.attribute)
            replace[id(n)] = conv
            for r in removed + [cast, mul]:
                replace[id(r)] = None
        elif n.op_type == "DynamicQuantizeLSTM":
            ins = list(n.input) + [""] * (12 - len(n.input))
            x, w_q, r_q, b, seq, h0, c0, p, w_scale, w_zp, r_scale, r_zp = ins

            def deq(q, scale, zp):
                v = arr(q).astype(np.float32)  # [dirs, in, 4*hidden]
                s = arr(scale).astype(np.float32).reshape(-1, 1, 1) if np.ndim(arr(scale)) == 1 else arr(scale)
                z = arr(zp).astype(np.float32).reshape(-1, 1, 1) if np.ndim(arr(zp)) == 1 else arr(zp)
                return np.transpose((v - z) * s, (0, 2, 1))  # LSTM wants [dirs, 4*hidden, in]

            w = add_init(w_q.replace("_quantized", "") + "_lstm_w", deq(w_q, w_scale, w_zp))
            r = add_init(r_q.replace("_quantized", "") + "_lstm_r", deq(r_q, r_scale, r_zp))
            lstm = helper.make_node("LSTM", [x, w, r, b, seq, h0, c0, p], list(n.output), name=(n.name or "lstm") + "_float")
            lstm.attribute.extend(n.attribute)
            while lstm.input and lstm.input[-1] == "":
                lstm.input.pop()
            replace[id(n)] = lstm

    nodes = []
    for n in g.node:
        if id(n) in replace:
            if replace[id(n)] is not None:
                nodes.append(replace[id(n)])
        else:
            nodes.append(n)

    # Drop what nothing uses any more (the quantize nodes, the scale products, the old weights).
    outputs = {o.name for o in g.output}
    while True:
        used = {i for n in nodes for i in n.input} | outputs
        kept = [n for n in nodes if any(o in used for o in n.output)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    used = {i for n in nodes for i in n.input}
    del g.node[:]
    g.node.extend(nodes)
    kept_inits = [i for i in g.initializer if i.name in used] + [i for i in new_inits.values() if i.name in used]
    del g.initializer[:]
    g.initializer.extend(kept_inits)

    left = sorted({n.op_type for n in g.node} & {"MatMulInteger", "ConvInteger", "DynamicQuantizeLSTM", "DynamicQuantizeLinear"})
    if left:
        raise SystemExit(f"integer ops left after dequantizing: {left}")
    onnx.save(model, dst)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
