//! Secrets read once at init from AWS Secrets Manager, so they never sit in plain function
//! configuration.

/// The `SecretString` of secret `id` (a name or an ARN).
pub async fn secret_string(client: &aws_sdk_secretsmanager::Client, id: &str) -> Result<String, String> {
    let reply = client.get_secret_value().secret_id(id).send().await.map_err(|e| {
        format!("reading secret {id}: {}", aws_sdk_secretsmanager::error::DisplayErrorContext(e))
    })?;
    reply.secret_string().map(str::to_owned).ok_or_else(|| format!("secret {id} has no SecretString"))
}
