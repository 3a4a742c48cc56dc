//! Object detection with YOLO-format ONNX models: reading their outputs
//! ([`yolo`]), fitting pictures to their input ([`letterbox`]) and running
//! them on ONNX Runtime ([`model`]).

pub mod letterbox;
pub mod model;
pub mod yolo;
