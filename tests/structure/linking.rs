use std::collections::BTreeSet;
use std::process::Command;

/// Crates whose presence in a function is a decision: the table engines, the AWS clients, the
/// HTTP client and the area crates.
const WATCHED: &[&str] = &[
    "rusqlite",
    "aws-sdk-dynamodb",
    "aws-sdk-s3",
    "aws-sdk-sns",
    "aws-sdk-secretsmanager",
    "reqwest",
    "connection-auth",
    "connection-users",
    "connection-lecturers",
    "connection-lectures",
    "connection-uploads",
    "connection-coupons",
    "connection-passes",
    "connection-payments",
    "connection-jobs",
];

/// The normal (non-dev) dependencies of `package` as `cargo build -p package` resolves them:
/// each crate's name with the features enabled on it.
fn dependency_tree(package: &str) -> Vec<(String, BTreeSet<String>)> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "tree",
            "--locked",
            "--offline",
            "-e",
            "normal",
            "--prefix",
            "none",
            "-f",
            "{p}|{f}",
            "-p",
            package,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .filter_map(|line| {
            let (package, features) = line.split_once('|')?;
            let name = package.split_whitespace().next()?.to_string();
            let features = features.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect();
            Some((name, features))
        })
        .collect()
}

fn watched(tree: &[(String, BTreeSet<String>)]) -> BTreeSet<&str> {
    WATCHED.iter().copied().filter(|w| tree.iter().any(|(name, _)| name == w)).collect()
}

fn features_of<'a>(tree: &'a [(String, BTreeSet<String>)], name: &str) -> BTreeSet<&'a str> {
    tree.iter().filter(|(n, _)| n == name).flat_map(|(_, f)| f.iter().map(String::as_str)).collect()
}

fn assert_links_only(function: &str, expected: &[&str]) {
    let tree = dependency_tree(function);
    assert_eq!(watched(&tree), expected.iter().copied().collect(), "what `{function}` links");
    let adapters = features_of(&tree, "connection-adapters");
    assert!(!adapters.contains("local"), "`{function}` links the local adapters: {adapters:?}");
    let table = features_of(&tree, "connection-table");
    assert!(!table.contains("sqlite"), "`{function}` links the SQLite table: {table:?}");
}

#[test]
fn the_users_function_links_dynamodb_s3_and_its_secret_only() {
    assert_links_only(
        "users",
        &["aws-sdk-dynamodb", "aws-sdk-s3", "aws-sdk-secretsmanager", "connection-users"],
    );
}

#[test]
fn the_auth_function_links_dynamodb_sns_the_providers_and_its_secret_only() {
    assert_links_only(
        "auth",
        &["aws-sdk-dynamodb", "aws-sdk-sns", "aws-sdk-secretsmanager", "reqwest", "connection-auth"],
    );
}

#[test]
fn the_lecturers_function_links_dynamodb_and_its_secret_only() {
    assert_links_only("lecturers", &["aws-sdk-dynamodb", "aws-sdk-secretsmanager", "connection-lecturers"]);
}

#[test]
fn the_lectures_function_links_dynamodb_and_its_secret_only() {
    assert_links_only("lectures", &["aws-sdk-dynamodb", "aws-sdk-secretsmanager", "connection-lectures"]);
}

#[test]
fn the_uploads_function_links_dynamodb_s3_and_its_secret_only() {
    assert_links_only(
        "uploads",
        &["aws-sdk-dynamodb", "aws-sdk-s3", "aws-sdk-secretsmanager", "connection-uploads"],
    );
}

#[test]
fn the_coupons_function_links_dynamodb_and_its_secrets_only() {
    assert_links_only("coupons", &["aws-sdk-dynamodb", "aws-sdk-secretsmanager", "connection-coupons"]);
}

#[test]
fn the_passes_function_links_dynamodb_and_its_secret_only() {
    assert_links_only("passes", &["aws-sdk-dynamodb", "aws-sdk-secretsmanager", "connection-passes"]);
}

#[test]
fn the_payments_function_links_dynamodb_its_secrets_and_the_payment_gateway_only() {
    assert_links_only(
        "payments",
        &["aws-sdk-dynamodb", "aws-sdk-secretsmanager", "reqwest", "connection-payments"],
    );
}

#[test]
fn the_jobs_function_links_dynamodb_only() {
    assert_links_only("jobs", &["aws-sdk-dynamodb", "connection-jobs"]);
}

#[test]
fn the_upload_claims_function_links_s3_only() {
    assert_links_only("upload-claims", &["aws-sdk-s3", "connection-uploads"]);
}

#[test]
fn the_local_stack_links_every_area_and_the_embedded_store() {
    let tree = dependency_tree("connection-local");
    let linked = watched(&tree);
    for needed in [
        "rusqlite",
        "connection-auth",
        "connection-users",
        "connection-lecturers",
        "connection-lectures",
        "connection-coupons",
        "connection-passes",
    ] {
        assert!(linked.contains(needed), "the local stack lacks {needed}");
    }
}
