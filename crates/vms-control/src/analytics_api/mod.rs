//! `/api/cameras/{id}/analytics`: how a camera is analysed (rate, filters,
//! masks) and the zones and lines drawn on its picture. The analytics plane
//! receives a change with its next assignments and restarts that camera's
//! analysis with it.

pub mod handler;
