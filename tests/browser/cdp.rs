//! A small Chrome DevTools Protocol client for the browser tests: Chromium is started with
//! `--remote-debugging-pipe` and spoken to in JSON over its file descriptors 3 (commands in) and 4
//! (answers and events out), each message ending in a NUL byte — the transport Puppeteer and
//! Playwright use. Method names and parameters are those of the protocol's documentation.
//!
//! Why not a crate: `headless_chrome` (tried first) answers each call 100–200 ms late, because its
//! WebSocket reader holds the socket's lock through a 100 ms read timeout, which made the suite
//! take eight minutes; `chromiumoxide` would bring an async stack and a large generated crate.
//! This needs only the standard library, `libc` and `serde_json`.

use serde_json::{Value, json};
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// An event: the session it belongs to (`None` for the browser), its method and parameters.
pub struct Event<'a> {
    pub session: Option<&'a str>,
    pub method: &'a str,
    pub params: &'a Value,
}

type Listener = Box<dyn Fn(&Event) + Send>;
type Pending = Arc<Mutex<HashMap<u64, Sender<Result<Value, String>>>>>;

/// A running Chromium, killed (with its helper processes) when dropped.
pub struct Chromium {
    child: Child,
    commands: Mutex<File>,
    next_id: AtomicU64,
    pending: Pending,
    listeners: Arc<Mutex<Vec<Listener>>>,
    reader: Option<JoinHandle<()>>,
    timeout: Duration,
}

/// A pipe as (read end, write end), both closed on exec.
fn pipe() -> (OwnedFd, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: `fds` has room for the two descriptors pipe2 writes.
    let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    assert_eq!(rc, 0, "pipe2: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors were just created and are owned by nothing else.
    unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
}

impl Chromium {
    /// Starts `binary` headless with `args`, a profile in `profile` and its log in
    /// `profile/chromium.log`; every call waits at most `timeout` for its answer.
    pub fn launch(
        binary: &Path,
        args: &[&str],
        profile: &Path,
        timeout: Duration,
    ) -> std::io::Result<Chromium> {
        use std::os::fd::AsRawFd;
        let (commands_in, commands_out) = pipe();
        let (answers_in, answers_out) = pipe();
        let log = File::create(profile.join("chromium.log"))?;
        let mut command = Command::new(binary);
        command
            .args(["--headless", "--remote-debugging-pipe", "--no-sandbox"])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(args)
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            // Its own process group, so that drop can end its helper processes too.
            .process_group(0);
        let (child_reads, child_writes) = (commands_in.as_raw_fd(), answers_out.as_raw_fd());
        // SAFETY: only async-signal-safe calls (fcntl, dup2, close) between fork and exec.
        unsafe {
            command.pre_exec(move || {
                // Copies above 9 first: a pipe may itself be fd 3 or 4, and dup2 onto the same
                // number would neither move it nor clear its close-on-exec flag.
                let reads = libc::fcntl(child_reads, libc::F_DUPFD, 10);
                let writes = libc::fcntl(child_writes, libc::F_DUPFD, 10);
                if reads < 0 || writes < 0 || libc::dup2(reads, 3) < 0 || libc::dup2(writes, 4) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                libc::close(reads);
                libc::close(writes);
                Ok(())
            });
        }
        let child = command.spawn()?;
        drop((commands_in, answers_out));

        let pending: Pending = Arc::default();
        let listeners: Arc<Mutex<Vec<Listener>>> = Arc::default();
        let reader = {
            let (pending, listeners) = (Arc::clone(&pending), Arc::clone(&listeners));
            let mut answers = BufReader::new(File::from(answers_in));
            std::thread::spawn(move || {
                let mut message = Vec::new();
                loop {
                    message.clear();
                    match answers.read_until(0, &mut message) {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {}
                    }
                    if message.last() == Some(&0) {
                        message.pop();
                    }
                    let Ok(value) = serde_json::from_slice::<Value>(&message) else { continue };
                    if let Some(id) = value.get("id").and_then(Value::as_u64) {
                        let answer = match value.get("error") {
                            Some(error) => Err(error.to_string()),
                            None => Ok(value.get("result").cloned().unwrap_or(Value::Null)),
                        };
                        if let Some(waiting) = pending.lock().unwrap().remove(&id) {
                            let _ = waiting.send(answer);
                        }
                    } else if let Some(method) = value.get("method").and_then(Value::as_str) {
                        let event = Event {
                            session: value.get("sessionId").and_then(Value::as_str),
                            method,
                            params: value.get("params").unwrap_or(&Value::Null),
                        };
                        for listener in listeners.lock().unwrap().iter() {
                            listener(&event);
                        }
                    }
                }
                // Chromium is gone: fail every call still waiting.
                for (_, waiting) in pending.lock().unwrap().drain() {
                    let _ = waiting.send(Err("Chromium closed the pipe".into()));
                }
            })
        };
        Ok(Chromium {
            child,
            commands: Mutex::new(File::from(commands_out)),
            next_id: AtomicU64::new(1),
            pending,
            listeners,
            reader: Some(reader),
            timeout,
        })
    }

    /// Calls `method` (on a page's session, or on the browser) and waits for its result.
    pub fn call(&self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        let (answer, waiting) = channel();
        self.pending.lock().unwrap().insert(id, answer);
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.commands
            .lock()
            .unwrap()
            .write_all(&bytes)
            .map_err(|e| format!("{method}: writing to Chromium: {e}"))?;
        match waiting.recv_timeout(self.timeout) {
            Ok(answer) => answer.map_err(|e| format!("{method}: {e}")),
            Err(_) => {
                self.pending.lock().unwrap().remove(&id);
                Err(format!("{method}: no answer within {:?}", self.timeout))
            }
        }
    }

    /// Runs `listener` on every event, on the thread that reads Chromium's answers: it must not
    /// wait for a call's answer itself (start a thread for that).
    pub fn listen(&self, listener: impl Fn(&Event) + Send + 'static) {
        self.listeners.lock().unwrap().push(Box::new(listener));
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        // SAFETY: kill(2) on the process group this Chromium leads (its pid), which it was started in.
        unsafe {
            libc::kill(-(self.child.id() as i32), libc::SIGKILL);
        }
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

/// Decodes standard base64 (screenshots and PDFs come as such).
pub fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c:?}"),
    };
    let digits: Vec<u8> =
        text.bytes().filter(|&c| c != b'=' && !c.is_ascii_whitespace()).map(value).collect();
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &d)| n | (u32::from(d) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64("aGVsbG8gd29ybGQ="), b"hello world");
    assert_eq!(base64("YQ=="), b"a");
    assert_eq!(base64("YWI="), b"ab");
    assert_eq!(base64("YWJj"), b"abc");
}
