"""Graph editing shared by the model scripts (scripts/static_int8.py, scripts/dequantize.py).

Both replace nodes of the registry's Kokoro graph and leave behind nodes and weights that
nothing reads any more; dropping them keeps the file small and its load fast.
"""


def keep_used(graph, nodes, new_initializers):
    """Make `nodes` the graph's nodes, minus every node none of whose outputs is read (by a kept
    node or as a graph output), repeated until nothing more goes; then keep only the
    initializers (the graph's own, then `new_initializers`, in that order) a kept node reads."""
    outputs = {o.name for o in graph.output}
    while True:
        used = {i for n in nodes for i in n.input} | outputs
        kept = [n for n in nodes if any(o in used for o in n.output)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    used = {i for n in nodes for i in n.input}
    initializers = [i for i in list(graph.initializer) + list(new_initializers) if i.name in used]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    graph.initializer.extend(initializers)


class DynamicConv:
    """One convolution of the registry graph as ONNX Runtime's dynamic quantization wrote it:
    x (float) -> DynamicQuantizeLinear -> ConvInteger [-> Add, the int32 bias] -> Cast -> Mul
    (by the input scale times the weight scale), whose output is the convolution's float output."""

    def __init__(self, conv, x, bias_add, cast, mul):
        self.conv, self.x, self.bias_add, self.cast, self.mul = conv, x, bias_add, cast, mul


def dynamic_convs(graph, producer, consumers):
    """Every ConvInteger of `graph` with the nodes around it, in graph order. `producer` maps a
    tensor name to the node writing it, `consumers` to the list of nodes reading it. Exits with
    the node's name on any other shape."""
    found = []
    for n in graph.node:
        if n.op_type != "ConvInteger":
            continue
        x = producer[n.input[0]].input[0]
        nxt = consumers[n.output[0]][0]
        bias_add = None
        if nxt.op_type == "Add":
            bias_add = nxt
            nxt = consumers[nxt.output[0]][0]
        mul = consumers[nxt.output[0]][0]
        if nxt.op_type != "Cast" or mul.op_type != "Mul":
            raise SystemExit(f"unexpected graph after {n.name}: {nxt.op_type}, {mul.op_type}")
        found.append(DynamicConv(n, x, bias_add, nxt, mul))
    return found
