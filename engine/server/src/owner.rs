//! The one owner of the store: a thread that holds the [`Executor`] and runs every request's
//! work on it, in arrival order, in groups. It takes the first job waiting, then whatever else
//! is already queued (up to the group's size), runs them and writes the group; a second thread
//! flushes it, and only then is each job handed its answer. So a 2xx reply means the group is
//! on disk, concurrent clients share flushes instead of queueing for one each, and the next
//! group runs while the last one is flushed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot, watch};
use waybill_engine::command::Executor;
use waybill_engine::{Error, Result};

/// The work of one request, run on the executor; it returns how to answer once the group is
/// committed (with why the commit failed, if it did).
type Job = Box<dyn FnOnce(&mut Executor) -> Answer + Send>;
type Answer = Box<dyn FnOnce(Option<&str>) + Send>;

/// A handle to the owner thread, cheap to clone.
#[derive(Clone)]
pub struct Owner {
    jobs: mpsc::Sender<Job>,
    commits: watch::Receiver<u64>,
    failed: Arc<AtomicBool>,
}

/// The owner thread, to wait for when the server stops.
pub struct Running {
    thread: std::thread::JoinHandle<()>,
}

impl Running {
    /// Waits until every job queued has been run and committed.
    pub fn join(self) {
        let _ = self.thread.join();
    }
}

impl Owner {
    /// Starts the owner thread over `exec`, committing at most `group_max` commands at once,
    /// and the thread that flushes its groups.
    ///
    /// The two overlap: while one group is being flushed, the next runs. A group's writes go
    /// to the store when it ends (commands after it see them), its answers wait in the
    /// flusher's queue, and one flush makes every group queued so far durable before they are
    /// answered. At most two groups wait for the disk, so the owner can't run far ahead.
    pub fn start(
        mut exec: Executor,
        group_max: usize,
        failed_now: Arc<tokio::sync::Notify>,
    ) -> (Owner, Running) {
        let (jobs, mut queue) = mpsc::channel::<Job>(group_max.max(1) * 4);
        let (announce, commits) = watch::channel(0u64);
        let failed = Arc::new(AtomicBool::new(false));
        let (to_flush, flushing) = std::sync::mpsc::sync_channel::<Vec<Answer>>(2);
        let durability = exec.durability();
        let flush_failed = failed.clone();
        let flusher = std::thread::Builder::new()
            .name("waybill-flush".into())
            .spawn(move || {
                let mut generation = 0u64;
                while let Ok(first) = flushing.recv() {
                    let mut groups = vec![first];
                    while let Ok(more) = flushing.try_recv() {
                        groups.push(more);
                    }
                    let outcome = durability.flush().err().map(|e| e.to_string());
                    if outcome.is_some() {
                        flush_failed.store(true, Ordering::SeqCst);
                    }
                    for answer in groups.into_iter().flatten() {
                        answer(outcome.as_deref());
                    }
                    if outcome.is_none() {
                        generation += 1;
                        let _ = announce.send(generation);
                    }
                }
            })
            .expect("a thread to flush the store");
        let failure = failed.clone();
        let thread = std::thread::Builder::new()
            .name("waybill-owner".into())
            .spawn(move || {
                while let Some(first) = queue.blocking_recv() {
                    let mut answers: Vec<Answer> = Vec::new();
                    let mut next = Some(first);
                    let mut panicked = false;
                    while let Some(job) = next.take() {
                        // A bug must not leave half a group behind a server that goes on: the
                        // job's request gets no answer (its handler says so), the group before
                        // it is not written, and the server stops.
                        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            job(&mut exec)
                        })) {
                            Ok(answer) => answers.push(answer),
                            Err(_) => {
                                panicked = true;
                                break;
                            }
                        }
                        if answers.len() < group_max {
                            next = queue.try_recv().ok();
                        }
                    }
                    let written = if panicked {
                        Some("a command panicked; the server stops".to_string())
                    } else {
                        exec.write_group().err().map(|e| e.to_string())
                    };
                    if let Some(why) = written {
                        for answer in answers {
                            answer(Some(&why));
                        }
                        failure.store(true, Ordering::SeqCst);
                    } else if to_flush.send(answers).is_err() {
                        failure.store(true, Ordering::SeqCst);
                    }
                    if failure.load(Ordering::SeqCst) {
                        // The executor may now be ahead of the disk: stop taking work.
                        failed_now.notify_one();
                        queue.close();
                        while let Ok(job) = queue.try_recv() {
                            drop(job);
                        }
                        break;
                    }
                }
                drop(to_flush);
                let _ = flusher.join();
            })
            .expect("a thread for the store's owner");
        (
            Owner {
                jobs,
                commits,
                failed,
            },
            Running { thread },
        )
    }

    /// Runs `work` on the executor in the next group and returns its result once the group is
    /// durable. A commit that fails turns every answer of its group into a storage error.
    pub async fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Executor) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |exec| {
            let result = work(exec);
            Box::new(move |failed: Option<&str>| {
                let result = match failed {
                    None => result,
                    Some(why) => Err(Error::storage(format!(
                        "the group this command ran in could not be written: {why}"
                    ))),
                };
                let _ = tx.send(result);
            })
        });
        self.jobs.send(job).await.map_err(|_| self.stopped())?;
        rx.await.map_err(|_| self.stopped())?
    }

    /// Whether the owner stopped on a failure (a write, a flush, a panic).
    pub fn has_failed(&self) -> bool {
        self.failed.load(Ordering::SeqCst)
    }

    /// A receiver that changes after every committed group: long polls wait on it.
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.commits.clone()
    }

    fn stopped(&self) -> Error {
        if self.failed.load(Ordering::SeqCst) {
            Error::storage("the store could not be written; the server stopped taking commands")
        } else {
            Error::storage("the server is stopping")
        }
    }
}
