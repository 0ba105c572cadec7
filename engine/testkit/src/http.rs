//! A tiny HTTP/1.1 server on 127.0.0.1 for the carrier tests of the engine and the CLI. It uses
//! nothing but `std`.

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

/// Reads one HTTP/1.1 request (headers, then `Content-Length` bytes of body).
pub fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
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
    let mut first = head.lines().next()?.split_whitespace();
    let method = first.next()?.to_string();
    let path = first.next()?.to_string();
    Some((
        method,
        path,
        String::from_utf8_lossy(&data[head_end..]).into_owned(),
    ))
}

/// Writes a JSON answer with `status` and closes the exchange.
pub fn respond(stream: &mut TcpStream, status: u16, body: &str) {
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

/// A server that answers every request with an [`Answer`] and remembers what it was asked.
pub struct Server {
    /// The API's base URL, `http://127.0.0.1:PORT/v1`.
    pub base: String,
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Vec<Seen>>,
}

impl Server {
    /// Answers requests until [`Server::finish`] (or 60 seconds).
    pub fn start(answer: Answer) -> Server {
        Server::spawn(usize::MAX, Duration::from_secs(60), answer)
    }

    /// Answers `n` requests, then stops (or after 10 seconds, whichever comes first).
    pub fn serve(n: usize, answer: Answer) -> Server {
        Server::spawn(n, Duration::from_secs(10), answer)
    }

    fn spawn(n: usize, limit: Duration, answer: Answer) -> Server {
        let (listener, base) = listen();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let end = Instant::now() + limit;
            while !stopped.load(Ordering::SeqCst) && seen.len() < n && Instant::now() < end {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                stream.set_nonblocking(false).unwrap();
                let Some(request) = read_request(&mut stream) else {
                    continue;
                };
                let (status, body) = answer(&request.1, &request.2);
                respond(&mut stream, status, &body);
                seen.push(request);
            }
            seen
        });
        Server { base, stop, handle }
    }

    /// Waits until the server stops by itself; the requests it saw, in order.
    pub fn join(self) -> std::thread::Result<Vec<Seen>> {
        self.handle.join()
    }

    /// Stops the server now; the paths it was asked for, in order.
    pub fn finish(self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.join()
            .unwrap()
            .into_iter()
            .map(|(_, path, _)| path)
            .collect()
    }
}
