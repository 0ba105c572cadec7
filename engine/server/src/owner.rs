//! The one owner of the store: a thread that holds the [`Executor`] and runs every request's
//! work on it, in arrival order, in groups. It takes the first job waiting, then whatever else
//! is already queued (up to the group's size), runs them, commits the group with one flush,
//! and only then hands each job its answer. So a 2xx reply means the group is on disk, and
//! concurrent clients share flushes instead of queueing for one each.

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
    /// Starts the owner thread over `exec`, committing at most `group_max` commands at once.
    pub fn start(mut exec: Executor, group_max: usize) -> (Owner, Running) {
        let (jobs, mut queue) = mpsc::channel::<Job>(group_max.max(1) * 4);
        let (announce, commits) = watch::channel(0u64);
        let failed = Arc::new(AtomicBool::new(false));
        let failure = failed.clone();
        let thread = std::thread::Builder::new()
            .name("waybill-owner".into())
            .spawn(move || {
                let mut generation = 0u64;
                let mut answers: Vec<Answer> = Vec::with_capacity(group_max);
                while let Some(first) = queue.blocking_recv() {
                    answers.push(first(&mut exec));
                    while answers.len() < group_max {
                        match queue.try_recv() {
                            Ok(job) => answers.push(job(&mut exec)),
                            Err(_) => break,
                        }
                    }
                    let outcome = exec.commit().err().map(|e| e.to_string());
                    for answer in answers.drain(..) {
                        answer(outcome.as_deref());
                    }
                    if outcome.is_some() {
                        // The executor may now be ahead of the disk: stop taking work.
                        failure.store(true, Ordering::SeqCst);
                        queue.close();
                        while let Ok(job) = queue.try_recv() {
                            drop(job);
                        }
                        break;
                    }
                    generation += 1;
                    let _ = announce.send(generation);
                }
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
