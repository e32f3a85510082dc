#!/usr/bin/env python3
"""Make a float Kokoro graph from the dynamically quantized int8 one.

The registries ship Kokoro v1.0 only as ONNX Runtime's dynamic int8 export: MatMulInteger,
ConvInteger and DynamicQuantizeLSTM over int8 weights. Accelerators lack kernels for those
integer ops, so for the GPU path every quantized weight is dequantized once,
W = (W_q - zero_point) * scale, and each integer op with its surrounding quantize / cast / rescale
nodes is replaced by the float op (MatMul, Conv, LSTM) on the original float input. Nodes left
without consumers are dropped.

Two float ops of the generator have no CUDA kernel in ONNX Runtime, so they would run on the CPU
with a copy to and from the GPU on every call: STFT becomes a strided Conv with the windowed DFT
basis as its weights, and Atan a range-reduced odd polynomial (error under 1e-7 rad) made of
ops every provider has.

    python3 scripts/dequantize.py IN.onnx OUT.onnx
"""
import sys
from collections import defaultdict

import numpy as np
import onnx
from onnx import helper, numpy_helper

from onnx_graph import keep_used


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
    keep_used(g, nodes, new_inits.values())

    nodes = replace_stft(list(g.node), inits, arr)
    nodes = replace_atan(nodes)
    del g.node[:]
    g.node.extend(nodes)
    g.initializer.extend(EXTRA_INITS)

    left = sorted({n.op_type for n in g.node} & {"MatMulInteger", "ConvInteger", "DynamicQuantizeLSTM", "DynamicQuantizeLinear", "STFT", "Atan"})
    if left:
        raise SystemExit(f"integer ops left after dequantizing: {left}")
    onnx.save(model, dst)


EXTRA_INITS = []


def const(name, value):
    EXTRA_INITS.append(numpy_helper.from_array(np.asarray(value), name))
    return name


def replace_stft(nodes, inits, arr):
    """STFT(signal, step, window [N], N), onesided, as Conv1d + reshape to [B, F, N/2+1, 2]."""
    out = []
    for n in nodes:
        if n.op_type != "STFT":
            out.append(n)
            continue
        signal, step, window, length = (list(n.input) + [""] * 4)[:4]
        onesided = next((a.i for a in n.attribute if a.name == "onesided"), 1)
        if not (onesided == 1 and step in inits and window in inits):
            raise SystemExit(f"unexpected STFT {n.name}")
        hop = int(arr(step))
        w = arr(window).astype(np.float64)
        size = w.shape[0]
        if length and int(arr(length)) != size:
            raise SystemExit(f"STFT {n.name}: frame length differs from the window")
        bins = size // 2 + 1
        k = np.arange(bins).reshape(-1, 1)
        t = np.arange(size).reshape(1, -1)
        angle = 2 * np.pi * k * t / size
        basis = np.empty((bins, 2, size))
        basis[:, 0, :] = w * np.cos(angle)
        basis[:, 1, :] = -w * np.sin(angle)
        p = n.name + "_as_conv"
        weight = const(p + "/basis", basis.reshape(bins * 2, 1, size).astype(np.float32))
        shape = const(p + "/shape", np.array([0, bins, 2, -1], dtype=np.int64))
        # The signal is [B, L] or [B, L, 1]; the Conv wants [B, 1, L].
        flat = const(p + "/flat", np.array([0, 1, -1], dtype=np.int64))
        out += [
            helper.make_node("Reshape", [signal, flat], [p + "/x"], name=p + "/Reshape_in"),
            helper.make_node("Conv", [p + "/x", weight], [p + "/y"], name=p + "/Conv", strides=[hop]),
            helper.make_node("Reshape", [p + "/y", shape], [p + "/r"], name=p + "/Reshape"),
            helper.make_node("Transpose", [p + "/r"], [n.output[0]], name=p + "/Transpose_out", perm=[0, 3, 1, 2]),
        ]
    return out


def atan_coefficients():
    """Least squares on [0, 1] of atan(t) = t * P(t^2), P of degree 9."""
    t = np.cos(np.linspace(0, np.pi, 4001)) * 0.5 + 0.5
    design = np.stack([t ** (2 * i + 1) for i in range(10)], axis=1)
    coef, *_ = np.linalg.lstsq(design, np.arctan(t), rcond=None)
    err = np.max(np.abs(design @ coef - np.arctan(t)))
    if err > 1e-7:
        raise SystemExit(f"atan fit too coarse: {err}")
    return coef


def replace_atan(nodes):
    """atan(x) = sign(x) * (|x| <= 1 ? p(|x|) : pi/2 - p(1/|x|)) with p the odd polynomial."""
    coef = atan_coefficients()
    out = []
    for n in nodes:
        if n.op_type != "Atan":
            out.append(n)
            continue
        p = n.name + "_poly"
        x = n.input[0]
        one = const(p + "/one", np.array(1.0, dtype=np.float32))
        half_pi = const(p + "/half_pi", np.array(np.pi / 2, dtype=np.float32))
        zero = const(p + "/zero", np.array(0.0, dtype=np.float32))

        def mk(op, ins, name):
            return helper.make_node(op, ins, [p + "/" + name], name=p + "/" + name)

        out += [
            mk("Abs", [x], "a"),
            mk("Greater", [p + "/a", one], "big"),
            mk("Reciprocal", [p + "/a"], "inv"),
            mk("Where", [p + "/big", p + "/inv", p + "/a"], "t"),
            mk("Mul", [p + "/t", p + "/t"], "t2"),
        ]
        acc = const(p + "/c9", np.array(coef[9], dtype=np.float32))
        for i in range(8, -1, -1):
            out.append(mk("Mul", [acc, p + "/t2"], f"m{i}"))
            out.append(mk("Add", [p + f"/m{i}", const(p + f"/c{i}", np.array(coef[i], dtype=np.float32))], f"h{i}"))
            acc = p + f"/h{i}"
        out += [
            mk("Mul", [acc, p + "/t"], "poly"),
            mk("Sub", [half_pi, p + "/poly"], "far"),
            mk("Where", [p + "/big", p + "/far", p + "/poly"], "r"),
            mk("Neg", [p + "/r"], "neg"),
            mk("Less", [x, zero], "negative"),
            helper.make_node("Where", [p + "/negative", p + "/neg", p + "/r"], [n.output[0]], name=p + "/out"),
        ]
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
