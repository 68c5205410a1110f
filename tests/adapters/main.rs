//! Adapters against stand-ins of what they talk to: the OAuth verifiers and the Toss payment
//! gateway against local stub servers answering with the providers' real response shapes, and
//! the S3 and SNS adapters against ministack (`CONNECTION_TEST_MINISTACK`, set by the test
//! command).

mod oauth;
mod payments;
mod s3;
mod sns;
