#!/usr/bin/env python3
"""Makes the tiny ONNX models the detector's tests load: each takes a
1x3x64x64 "images" input and outputs fixed YOLO-style tensors (the input is
read, times zero, so the runtime cannot drop it), one per layout, plus one
of no known layout. Needs the onnx package (pip install onnx); the files it
writes are committed, so the tests do not.

Run from this directory: python3 make.py
"""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SIZE = 64
# Grid cells of strides 8, 16 and 32 at 64x64.
CELLS = (SIZE // 8) ** 2 + (SIZE // 16) ** 2 + (SIZE // 32) ** 2  # 84


def model(name, output):
    images = helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, SIZE, SIZE])
    out = helper.make_tensor_value_info("output0", TensorProto.FLOAT, list(output.shape))
    nodes = [
        helper.make_node("Constant", [], ["fixed"], value=numpy_helper.from_array(output.astype(np.float32))),
        helper.make_node("ReduceMean", ["images"], ["mean"], keepdims=0),
        helper.make_node("Constant", [], ["zero"], value=numpy_helper.from_array(np.array(0.0, dtype=np.float32))),
        helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
        helper.make_node("Add", ["fixed", "nothing"], ["output0"]),
    ]
    graph = helper.make_graph(nodes, name, [images], [out])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="vms-ai tests")
    m.ir_version = 8
    onnx.checker.check_model(m)
    onnx.save(m, f"{name}.onnx")


# YOLOv8: [1, 4 + 2, cells], one column per box (cx, cy, w, h, person, fallen).
v8 = np.zeros((1, 6, CELLS))
v8[0, :, 0] = [32, 32, 16, 32, 0.1, 0.9]  # a fallen person in the middle
v8[0, :, 1] = [33, 32, 16, 32, 0.1, 0.8]  # the same, found again: suppressed
v8[0, :, 2] = [8, 8, 8, 8, 0.6, 0.0]  # a small person top left
v8[0, :, 3] = [50, 50, 8, 8, 0.2, 0.1]  # below any sensible floor
model("v8_two_classes", v8)

# YOLOv5: [1, 3 * cells, 5 + 2] rows (cx, cy, w, h, objectness, person, fallen).
v5 = np.zeros((1, 3 * CELLS, 7))
v5[0, 0] = [32, 32, 16, 32, 0.9, 1.0, 0.0]
v5[0, 1] = [8, 8, 8, 8, 0.5, 0.2, 0.9]
model("v5_two_classes", v5)

# YOLOX, undecoded: [1, cells, 5 + 2], relative to the cells of each stride.
yolox = np.zeros((1, CELLS, 7))
yolox[0, 0] = [0.5, 0.5, 0.0, 0.0, 0.9, 0.9, 0.1]  # stride 8, cell (0, 0): a box 0..8
yolox[0, CELLS - 1] = [0.5, 0.5, 0.0, 0.0, 0.9, 0.2, 0.8]  # stride 32, the last of its 2x2 cells: 32..64
model("yolox_two_classes", yolox)

# No known layout.
model("unknown_layout", np.zeros((1, 10, 10)))

with open("malformed.onnx", "wb") as f:
    f.write(b"this is not a model\n")
with open("two.labels", "w") as f:
    f.write("person\nfallen\n")
with open("three.labels", "w") as f:
    f.write("person\ncar\ndog\n")
