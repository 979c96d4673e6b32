"""Build ``reader.onnx`` (everything after the USE features) from ``reader.npz`` + ``config.json``.

    python -m qa.reader.onnx_export qa/reader/weights

Needs the ``onnx`` package (a training-time tool, like torch); running the graph needs only
``onnxruntime``. The graph takes the question's USE features ``qf (Q, 1280)``, the passage windows'
features ``pf (B, T, 1280)`` zero-padded, their hand-made features ``extra (B, T, k)`` and lengths
``lens (B,)`` and returns start and end logits ``(B, T)``: the same function as the numpy path in
`qa.reader.model`, whose weights it embeds as float16 (cast once when the session is built).
"""

from __future__ import annotations

import json
import os
import sys

import numpy as np


def build(weights_dir: str, out_path: str | None = None) -> str:
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    with open(os.path.join(weights_dir, "config.json"), encoding="utf-8") as f:
        cfg = json.load(f)
    with np.load(os.path.join(weights_dir, "reader.npz"), allow_pickle=False) as z:
        w = {k: z[k] for k in z.files}
    nodes, inits = [], []
    counter = [0]

    def name(prefix):
        counter[0] += 1
        return f"{prefix}_{counter[0]}"

    def const(arr, prefix="w", half=True):
        """An initializer (float16 on disk, cast to float32) or an int64 constant."""
        arr = np.asarray(arr)
        n = name(prefix)
        if arr.dtype.kind == "f":
            if half:
                inits.append(numpy_helper.from_array(arr.astype(np.float16), n + "_h"))
                nodes.append(helper.make_node("Cast", [n + "_h"], [n], to=TensorProto.FLOAT))
            else:
                inits.append(numpy_helper.from_array(arr.astype(np.float32), n))
        else:
            inits.append(numpy_helper.from_array(arr.astype(np.int64), n))
        return n

    def op(kind, inputs, **attrs):
        out = name(kind.lower())
        nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    shared: dict[str, tuple[str, str]] = {}

    def linear(x, key):  # x @ W.T + b with torch's (out, in) weight, each weight stored once
        if key not in shared:
            shared[key] = (const(w[f"{key}.weight"].T), const(w[f"{key}.bias"]))
        wn, bn = shared[key]
        return op("Add", [op("MatMul", [x, wn]), bn])

    def bilstm_stack(x, prefix, n_layers, lens=None):
        """x (T, B, in) -> (T, B, 2H * n_layers) if concat else (T, B, 2H)."""
        outs = []
        for layer in range(n_layers):
            Ws, Rs, Bs = [], [], []
            for d in range(2):
                k = f"{prefix}.{2 * layer + d}"
                H = w[f"{k}.weight_hh_l0"].shape[1]
                order = np.r_[0:H, 3 * H : 4 * H, H : 2 * H, 2 * H : 3 * H]  # torch i f g o -> onnx i o f c
                Ws.append(w[f"{k}.weight_ih_l0"][order])
                Rs.append(w[f"{k}.weight_hh_l0"][order])
                Bs.append(np.concatenate([w[f"{k}.bias_ih_l0"][order], w[f"{k}.bias_hh_l0"][order]]))
            ins = [x, const(np.stack(Ws)), const(np.stack(Rs)), const(np.stack(Bs))]
            if lens is not None:
                ins.append(lens)
            y = op("LSTM", ins, hidden_size=H, direction="bidirectional")  # (T, 2, B, H)
            y = op("Transpose", [y], perm=[0, 2, 1, 3])
            x = op("Reshape", [y, const(np.array([0, 0, -1]), "shape")])
            outs.append(x)
        return op("Concat", outs, axis=-1) if cfg["concat"] and len(outs) > 1 else outs[-1]

    # question
    q = linear("qf", "proj")  # (Q, E)
    qa = op("Relu", [linear(q, "align")])
    qh = bilstm_stack(op("Unsqueeze", [q, const(np.array([1]), "axes")]), "q_rnn", cfg["q_layers"])
    qh = op("Squeeze", [qh, const(np.array([1]), "axes")])  # (Q, qd)
    att = op("Softmax", [linear(qh, "q_attn")], axis=0)  # (Q, 1)
    qv = op("MatMul", [op("Transpose", [att], perm=[1, 0]), qh])  # (1, qd)
    ws = op("Transpose", [linear(qv, "start")], perm=[1, 0])  # (dd, 1)
    we = op("Transpose", [linear(qv, "end")], perm=[1, 0])
    # passage windows
    p = linear("pf", "proj")  # (B, T, E)
    pa = op("Relu", [linear(p, "align")])
    sc = op("Softmax", [op("MatMul", [pa, op("Transpose", [qa], perm=[1, 0])])], axis=-1)  # (B, T, Q)
    aligned = op("MatMul", [sc, q])
    x = op("Transpose", [op("Concat", [p, aligned, "extra"], axis=-1)], perm=[1, 0, 2])  # (T, B, din)
    h = op("Transpose", [bilstm_stack(x, "doc_rnn", cfg["layers"], lens="lens")], perm=[1, 0, 2])  # (B, T, dd)
    sq = const(np.array([-1]), "axes")
    nodes.append(helper.make_node("Squeeze", [op("MatMul", [h, ws]), sq], ["start"]))
    nodes.append(helper.make_node("Squeeze", [op("MatMul", [h, we]), sq], ["end"]))

    F, nx = cfg["feat_dim"], cfg["extra"]
    graph = helper.make_graph(
        nodes,
        "qa_reader",
        [
            helper.make_tensor_value_info("qf", TensorProto.FLOAT, ["Q", F]),
            helper.make_tensor_value_info("pf", TensorProto.FLOAT, ["B", "T", F]),
            helper.make_tensor_value_info("extra", TensorProto.FLOAT, ["B", "T", nx]),
            helper.make_tensor_value_info("lens", TensorProto.INT32, ["B"]),
        ],
        [
            helper.make_tensor_value_info("start", TensorProto.FLOAT, ["B", "T"]),
            helper.make_tensor_value_info("end", TensorProto.FLOAT, ["B", "T"]),
        ],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="qa.reader")
    model.ir_version = 8
    onnx.checker.check_model(model)
    out_path = out_path or os.path.join(weights_dir, "reader.onnx")
    onnx.save(model, out_path)
    return out_path


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "weights")))
