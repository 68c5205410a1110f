//! The shape of the deployment: each Lambda function links only its own area and the clients it
//! uses (never the embedded store, the sandboxes or another area's routes), and every route it
//! serves is in the OpenAPI document and in template.yaml.

mod linking;
mod local_stack;
mod openapi;
