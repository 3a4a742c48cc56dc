//! `/api/cameras/{id}/snapshot`: the latest keyframe of a camera stream as
//! JPEG, decoded by the media plane that pulls it.

pub mod capture;
pub mod handler;
