//! A tiny HTTP/1.1 server on 127.0.0.1 for the carrier tests of the engine and the CLI, over
//! plain TCP or, with [`crate::tls`], over TLS.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One request the test server received: method, path, body.
pub type Seen = (String, String, String);

/// How the server answers a request: `(path, body)` → (status, body).
pub type Answer = fn(&str, &str) -> (u16, String);

/// One request with everything it carried: what a [`Handler`] answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Request {
    /// The value of header `name` (any case), if it came.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How a server started with [`Server::handle`] answers a request → (status, body).
pub type Handler = fn(&Request) -> (u16, String);

/// Reads one HTTP/1.1 request (headers, then `Content-Length` bytes of body).
pub fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    read_full(stream).map(|r| (r.method, r.path, r.body))
}

/// Reads one HTTP/1.1 request from any stream (set its read timeout first).
pub fn read_full(stream: &mut impl Read) -> Option<Request> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let mut lines = head.lines();
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&data[head_end..]).into_owned(),
    })
}

/// Writes a JSON answer with `status` and closes the exchange.
pub fn respond(stream: &mut impl Write, status: u16, body: &str) {
    let reason = if status == 200 { "OK" } else { "X" };
    let reply = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
    let _ = stream.flush();
}

/// The next connection to `listener`, if one comes within `wait`.
pub fn accept_within(listener: &TcpListener, wait: Duration) -> Option<TcpStream> {
    listener.set_nonblocking(true).ok()?;
    let end = Instant::now() + wait;
    while Instant::now() < end {
        if let Ok((stream, _)) = listener.accept() {
            stream.set_nonblocking(false).ok()?;
            return Some(stream);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    None
}

/// A listener on 127.0.0.1:0 and the base URL (`http://127.0.0.1:PORT/v1`) of an API on it.
pub fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    (listener, base)
}

/// How a server answers: the old `(path, body)` form, or a [`Handler`] of the whole request.
#[derive(Clone, Copy)]
enum Answers {
    Plain(Answer),
    Full(Handler),
}

impl Answers {
    fn answer(&self, request: &Request) -> (u16, String) {
        match self {
            Answers::Plain(f) => f(&request.path, &request.body),
            Answers::Full(f) => f(request),
        }
    }
}

/// A server that answers every request with an [`Answer`] (or a [`Handler`]) and remembers
/// what it was asked.
pub struct Server {
    /// The API's base URL, `http://127.0.0.1:PORT/v1` (`https://` for a TLS server).
    pub base: String,
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Vec<Request>>,
}

impl Server {
    /// Answers requests until [`Server::finish`] (or 60 seconds).
    pub fn start(answer: Answer) -> Server {
        Server::spawn(
            usize::MAX,
            Duration::from_secs(60),
            Answers::Plain(answer),
            None,
        )
    }

    /// Answers `n` requests, then stops (or after 10 seconds, whichever comes first).
    pub fn serve(n: usize, answer: Answer) -> Server {
        Server::spawn(n, Duration::from_secs(10), Answers::Plain(answer), None)
    }

    /// Answers every request with `handler`, which sees its method and headers too, until
    /// [`Server::finish`] (or 60 seconds).
    pub fn handle(handler: Handler) -> Server {
        Server::spawn(
            usize::MAX,
            Duration::from_secs(60),
            Answers::Full(handler),
            None,
        )
    }

    /// [`Server::handle`] over TLS, with the certificate `tls` presents.
    pub fn handle_tls(handler: Handler, tls: Arc<rustls::ServerConfig>) -> Server {
        Server::spawn(
            usize::MAX,
            Duration::from_secs(60),
            Answers::Full(handler),
            Some(tls),
        )
    }

    fn spawn(
        n: usize,
        limit: Duration,
        answers: Answers,
        tls: Option<Arc<rustls::ServerConfig>>,
    ) -> Server {
        let (listener, base) = listen();
        let base = match tls {
            Some(_) => base.replacen("http://", "https://", 1),
            None => base,
        };
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let end = Instant::now() + limit;
            while !stopped.load(Ordering::SeqCst) && seen.len() < n && Instant::now() < end {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(5)))
                    .unwrap();
                let request = match &tls {
                    None => exchange(stream, answers),
                    Some(config) => crate::tls::accept(stream, config.clone())
                        .and_then(|stream| exchange(stream, answers)),
                };
                if let Some(request) = request {
                    seen.push(request);
                }
            }
            seen
        });
        Server { base, stop, handle }
    }

    /// Waits until the server stops by itself; the requests it saw, in order.
    pub fn join(self) -> std::thread::Result<Vec<Seen>> {
        self.handle.join().map(|all| {
            all.into_iter()
                .map(|r| (r.method, r.path, r.body))
                .collect()
        })
    }

    /// Stops the server now; the requests it saw, whole, in order.
    pub fn requests(self) -> Vec<Request> {
        self.stop.store(true, Ordering::SeqCst);
        self.handle.join().unwrap()
    }

    /// Stops the server now; the paths it was asked for, in order.
    pub fn finish(self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.path).collect()
    }
}

/// Reads one request from `stream` and answers it.
fn exchange(mut stream: impl Read + Write, answers: Answers) -> Option<Request> {
    let request = read_full(&mut stream)?;
    let (status, body) = answers.answer(&request);
    respond(&mut stream, status, &body);
    Some(request)
}
