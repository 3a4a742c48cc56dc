//! `/api/webhooks`: where rules' calls go (needs `rule.manage` tenant-wide;
//! audited). A webhook's signing secret is made by the server and shown
//! once, when it is created; its calls, delivered or dead-lettered, are
//! listed under it and can be sent again.

pub mod handler;
pub mod model;
