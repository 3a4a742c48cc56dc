//! Object detection with YOLO-format ONNX models: reading their outputs
//! ([`yolo`]), fitting pictures to their input ([`letterbox`]) and running
//! them on ONNX Runtime ([`model`]), one model for the whole plane
//! ([`service`]).

pub mod letterbox;
pub mod model;
pub mod service;
pub mod yolo;
