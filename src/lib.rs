//! cloudsnap: typed Rust clients for cloud backup and snapshot APIs.

pub mod auth;
