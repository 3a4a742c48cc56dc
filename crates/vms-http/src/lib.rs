//! The HTTP side every plane shares: one bounded listener ([`serve`]) and
//! the error answer ([`Refusal`]) whose JSON body, `{code, message}`, is the
//! one the public API documents, so an answer proxied from a plane through
//! control reads like control's own.

mod activity;
mod refusal;
mod server;

pub use refusal::Refusal;
pub use server::{MAX_STREAMS_PER_CONNECTION, serve};
