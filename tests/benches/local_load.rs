//! Load on the local stack (`cargo run`), served in-process on SQLite: requests per second of the
//! route that touches no table (`GET /`) and of a single-item read (`GET /users/{userId}`), with
//! 32 concurrent connections, and their ratio (target: the read route at 60 % or more).
//!
//! `cargo bench -p connection-tests --bench local_load`

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use connection_local::stack::Stack;

const CONNECTIONS: usize = 32;
const WINDOW: Duration = Duration::from_secs(5);

/// Serves the local stack on a runtime of its own (two workers, like `cargo run` on this
/// machine) and returns its base URL.
fn serve(data_dir: std::path::PathBuf) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            let stack = Stack::open(&data_dir, format!("{base}/images")).await.expect("the local stack");
            connection_model::lookups::seed(stack.core.table.as_ref()).await.expect("seed");
            sender.send(base).unwrap();
            axum::serve(listener, stack.router(&data_dir)).await.unwrap();
        });
    });
    receiver.recv().expect("the stack started")
}

/// Signs member 1 up through the API, so `GET /users/1` reads a real item.
async fn sign_up(client: &reqwest::Client, base: &str) {
    let sign_in = format!("{base}/auth/oauth/signin/KAKAO?access-token=sandbox:load@kakao.com");
    assert!(client.get(&sign_in).send().await.unwrap().status().is_success());
    let body = serde_json::json!({"provider": "KAKAO", "email": "load@example.com", "authEmail": "load@kakao.com",
        "name": "부하", "nickname": "load", "registerConsents": {"termsOfService": true, "talk": true,
        "email": false, "marketing": {"marketingChannelTalk": false, "marketingEmail": false}}});
    let r = client.post(format!("{base}/users")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// Requests per second of `GET url` over the window, every answer checked to be a 200.
async fn load(client: &reqwest::Client, url: &str) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (client, url, done) = (client.clone(), url.to_string(), done.clone());
            tokio::spawn(async move {
                while started.elapsed() < WINDOW {
                    let r = client.get(&url).send().await.expect("the stack answers");
                    assert_eq!(r.status(), 200);
                    r.bytes().await.expect("a body");
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let data_dir = std::env::temp_dir().join(format!("connection-load-{}", std::process::id()));
    let base = serve(data_dir.clone());
    let client = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().unwrap();
    sign_up(&client, &base).await;
    load(&client, &format!("{base}/users/1")).await; // warm-up
    let health = load(&client, &format!("{base}/")).await;
    let read = load(&client, &format!("{base}/users/1")).await;
    println!(
        "{CONNECTIONS} connections, {} s each, local stack on SQLite (WAL, read pool)",
        WINDOW.as_secs()
    );
    println!("GET /                 {health:>9.0} req/s");
    println!("GET /users/{{userId}}   {read:>9.0} req/s");
    println!("ratio                 {:>9.0} %   (target >= 60 %)", read / health * 100.0);
    let _ = std::fs::remove_dir_all(data_dir);
}
