//! `/api/tenants`: tenants and their first administrator (super-admins only).

pub mod handler;
pub mod model;
