//! hubmatch: matches residents who want to volunteer with roles across a borough's community hubs.
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod email;
pub mod entities;
pub mod error;
pub mod jobs;
pub mod models;
pub mod routes;
pub mod search;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
