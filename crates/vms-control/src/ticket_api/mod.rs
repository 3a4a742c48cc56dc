//! `/api/cameras/{id}/streams/{role}/ticket`: short-lived tickets that open a
//! stream on the media or recorder plane.

pub mod handler;
pub mod model;
