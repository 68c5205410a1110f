//! Adapters against stand-ins of what they talk to: the OAuth verifiers against local stub
//! servers answering with the providers' real response shapes, and the SNS adapter against
//! ministack (`CONNECTION_TEST_MINISTACK`, set by the test command).

mod oauth;
mod sns;
