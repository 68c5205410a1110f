//! Every route, invoked as Lambda would invoke it: an API Gateway HTTP API v2 event in, the
//! API Gateway response out. Happy path, validation errors and the guard matrix per route.

mod app;
mod auth;
mod budgets;
mod coupons;
mod guard_matrix;
mod lecturers;
mod lectures;
mod passes;
mod payments;
mod uploads;
mod users;
