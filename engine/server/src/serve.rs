//! Starting and stopping the server: bind, write `serve.json`, serve until SIGTERM or Ctrl-C,
//! then stop accepting, let the requests in flight finish (their groups committed), and
//! remove `serve.json`.

use crate::discovery::Discovery;
use crate::error::{Error, Result};
use crate::owner::Owner;
use crate::problem::Problem;
use crate::routes;
use crate::state::AppState;
use crate::tokens::{self, Watched};
use aide::axum::ApiRouter;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::routing::get;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::watch;
use waybill_engine::command::{Command, Executor, Request};
use waybill_engine::model::limits::MAX_INPUT_BYTES;

/// How to serve.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where to listen, `127.0.0.1:8080` (port 0: any free port).
    pub listen: String,
    /// The data folder the executor's store is in: `serve.json` goes there.
    pub data: PathBuf,
    /// The tokens file.
    pub tokens: PathBuf,
    /// The most commands committed with one flush.
    pub group_max: usize,
    /// Run `carrier.poll` this often (carriers without webhooks), as role `carrier`.
    pub poll_every: Option<std::time::Duration>,
    /// How long a client may take to send a request's headers, and then its body; a slower
    /// client is disconnected, or answered 408. (Handling is not bounded by it: a command sent
    /// to the owner is answered when it is durable, as it would be applied anyway.)
    pub read_timeout: std::time::Duration,
}

/// Serves `exec` until SIGTERM or Ctrl-C. `ready` is told the base URL once requests are
/// taken.
pub fn serve(config: Config, exec: Executor, ready: impl FnOnce(&str)) -> Result<()> {
    // The owner and its flusher take a core between them; HTTP gets the others (at least one).
    // On 2 cores one worker spends less on waking and parking than two.
    let workers =
        std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .worker_threads(workers)
        .thread_name("waybill-http")
        .build()
        .map_err(|e| Error::Io(format!("cannot start the server's threads: {e}")))?;
    runtime.block_on(run(config, exec, ready))
}

async fn run(config: Config, exec: Executor, ready: impl FnOnce(&str)) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| Error::BadInput(format!("cannot listen on {}: {e}", config.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Io(format!("cannot tell where the server listens: {e}")))?;
    let url = format!("http://{addr}");
    let local = tokens::generate()?;
    let watched = Watched::open(config.tokens.clone())?;
    let failed = Arc::new(tokio::sync::Notify::new());
    let (owner, running) = Owner::start(exec, config.group_max.max(1), failed.clone());
    let (stop, stopping) = watch::channel(false);
    let state = Arc::new(AppState {
        owner,
        tokens: Mutex::new(watched),
        local_sha256: tokens::hash(&local),
        stopping,
        read_timeout: config.read_timeout,
    });
    let app = router(state.clone());
    let discovery = Discovery {
        url: url.clone(),
        pid: std::process::id(),
        token: local,
    };
    discovery.write(&config.data)?;
    if let Some(every) = config.poll_every {
        tokio::spawn(poll(state.clone(), every));
    }
    let signalled = signals();
    ready(&url);
    let shutdown = async move {
        tokio::select! {
            _ = signalled => {}
            _ = failed.notified() => {}
        }
        let _ = stop.send(true);
    };
    accept(listener, app, config.read_timeout, shutdown).await;
    let failed = state.owner.has_failed();
    drop(state);
    // Every request has been answered; the owner ends once the last handle to it is gone.
    running.join();
    discovery.remove(&config.data);
    if failed {
        return Err(Error::Io(
            "the store could not be written, so the server stopped; what it acknowledged is on disk"
                .into(),
        ));
    }
    Ok(())
}

/// Serves connections from `listener` until `shutdown`, then stops accepting and waits for the
/// connections open to finish what they are doing (idle ones are closed). hyper serves each
/// connection with a timer, so a client that takes longer than `timeout` to send its headers
/// is disconnected (slowloris); the body extractors (`routes::RawBody`) bound the body's.
async fn accept(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    timeout: std::time::Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Every route, the OpenAPI document at `/v1/openapi.json`, and a problem for any other path.
pub fn router(state: Arc<AppState>) -> axum::Router {
    let mut api = routes::docs::frame();
    let app = ApiRouter::new()
        .merge(routes::orders::routes())
        .merge(routes::shipments::routes())
        .merge(routes::payments::routes())
        .merge(routes::stock::routes())
        .merge(routes::outbox::routes())
        .merge(routes::carriers::routes())
        .merge(routes::commands::routes())
        .finish_api(&mut api);
    let document = Arc::new(serde_json::to_string_pretty(&api).expect("the document is JSON"));
    app.route(
        "/v1/openapi.json",
        get(move || {
            let document = document.clone();
            async move {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    (*document).clone(),
                )
            }
        }),
    )
    .fallback(|uri: axum::http::Uri| async move {
        let mut problem = Problem::bad_request(format!(
            "no route {}; GET /v1/openapi.json lists them",
            uri.path()
        ));
        problem.status = 404;
        problem.kind = "urn:waybill:not-found".into();
        problem.title = "not found".into();
        problem
    })
    .method_not_allowed_fallback(
        |method: axum::http::Method, uri: axum::http::Uri| async move {
            let mut problem = Problem::bad_request(format!(
                "{method} is not a method of {}; GET /v1/openapi.json lists each route's",
                uri.path()
            ));
            problem.status = 405;
            problem.kind = "urn:waybill:method-not-allowed".into();
            problem.title = "method not allowed".into();
            problem
        },
    )
    .layer(DefaultBodyLimit::max(MAX_INPUT_BYTES + 1))
    .with_state(state)
}

/// Asks the carriers without webhooks for news every `every`, through the owner like any
/// command, until the server stops. A poll that fails is in the log, and the next one runs.
async fn poll(state: Arc<AppState>, every: std::time::Duration) {
    let mut stopping = state.stopping.clone();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stopping.changed() => return,
        }
        let request = Request {
            caller: Some("poller".into()),
            ..Request::new(
                Command::CarrierPoll { carrier: None },
                Some("carrier".into()),
            )
        };
        let result = state
            .owner
            .call(move |exec| exec.execute(request).map_err(Into::into))
            .await;
        match result {
            Ok(reply) if !reply.events.is_empty() => {
                eprintln!("waybill serve: carrier poll: {}", reply.events.join("; "))
            }
            Ok(_) => {}
            Err(e) => eprintln!("waybill serve: carrier poll failed: {e}"),
        }
    }
}

/// Waits for SIGTERM or Ctrl-C, listened for from the call on: it is made before the server
/// says it is ready, so a signal sent as soon as it does stops it cleanly rather than killing
/// it (the default action) and leaving `serve.json` behind.
fn signals() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, Signal, SignalKind};
        async fn recv(signal: Option<Signal>) {
            match signal {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
        let term = signal(SignalKind::terminate()).ok();
        let int = signal(SignalKind::interrupt()).ok();
        async move {
            tokio::select! {
                _ = recv(term) => {}
                _ = recv(int) => {}
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
