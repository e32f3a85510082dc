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
