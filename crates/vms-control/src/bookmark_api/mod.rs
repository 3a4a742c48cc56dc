//! `/api/bookmarks`: named time ranges on cameras, with a description and
//! tags, searchable by text and tag; and the evidence lock that keeps their
//! footage from retention. Reading and writing one needs
//! `camera.view_archive` on every camera it names (a bookmark points at
//! footage); locking and unlocking also need `evidence.lock` on them. Every
//! change is audited.

pub mod handler;
pub mod model;
