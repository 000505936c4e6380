//! `gongkai serve`: run the build's stages in memory, serve over HTTP, redo what a change touches,
//! reload the browser; on an error keep the last good pages and show the error over them.

pub mod http;
pub mod preview;
pub mod watch;

use crate::content::LoadOptions;
use anyhow::{Context as _, Result, bail};
use preview::{Outcome, Preview};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

/// Settings of `gongkai serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// Names besides this computer's own that the preview answers (`--allow-host`).
    pub allow_hosts: Vec<String>,
}

/// Runs until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<()> {
    if !options.root.join("content").is_dir() {
        bail!("{} 里没有 content/ 文件夹；请在站点根目录运行，或用 --root 指定", options.root.display());
    }
    // Watch events name absolute paths; resolve the root once so they can be made relative.
    let root = options.root.canonicalize().with_context(|| format!("无法打开 {}", options.root.display()))?;
    // An IPv6 address (`::1`) needs brackets in `addr:port`; parse the address alone.
    let ip: std::net::IpAddr = options.bind.trim_matches(['[', ']']).parse().map_err(|_| {
        anyhow::anyhow!("--bind {} 不是有效的 IP 地址；例如 --bind 127.0.0.1 或 --bind 0.0.0.0", options.bind)
    })?;
    let address = SocketAddr::new(ip, options.port);
    let guard =
        http::HostGuard::new(address.ip(), options.port, &options.allow_hosts).map_err(anyhow::Error::msg)?;
    let listener = std::net::TcpListener::bind(address).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::anyhow!(
                "端口 {} 已被占用；请用 --port 换一个端口，例如 --port {}",
                options.port,
                options.port + 1
            )
        } else {
            anyhow::anyhow!("无法监听 {address}：{e}")
        }
    })?;
    listener.set_nonblocking(true)?;

    let (reloads, _) = tokio::sync::broadcast::channel(16);
    let shared = Arc::new(http::Shared { pages: preview::Pages::new(), overlay: RwLock::new(None), reloads });
    let mut preview = Preview::new(&root, LoadOptions { drafts: options.drafts }, http::live_reload_script());
    let started = Instant::now();
    let outcome = preview.rebuild_all(&shared.pages);
    report(&shared, &outcome, started, 0);

    let batches = watch::watch(&root).context("无法监视 content/ 和 themes/ 的变化")?;
    let worker = Arc::clone(&shared);
    std::thread::spawn(move || {
        let mut generation = 0;
        for batch in batches {
            let started = Instant::now();
            let batch: Vec<PathBuf> = batch
                .into_iter()
                .map(|p| p.strip_prefix(&root).map(|r| r.to_path_buf()).unwrap_or(p))
                .collect();
            let outcome = preview.apply(&batch, &worker.pages);
            generation += 1;
            report(&worker, &outcome, started, generation);
        }
    });

    // Listening on every address (0.0.0.0) is no address to open: this computer uses 127.0.0.1.
    let url = if address.ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", options.port)
    } else {
        format!("http://{address}/")
    };
    println!("正在预览 {url} （修改 content/ 或 themes/ 后页面自动刷新；按 Ctrl-C 停止）");
    print_other_devices(&guard, address);
    if options.open {
        open_browser(&url);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, http::router(shared, guard))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })?;
    println!("已停止预览");
    Ok(())
}

/// Publishes the outcome: terminal line, overlay, reload event.
fn report(shared: &http::Shared, outcome: &Outcome, started: Instant, generation: u64) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match outcome {
        Outcome::Unchanged => return,
        Outcome::Updated { changed, full } => {
            *shared.overlay.write().unwrap_or_else(|e| e.into_inner()) = None;
            let how = if *full { "全部重新生成" } else { "增量更新" };
            println!("{how}：{} 个文件有变化，用时 {ms:.1} 毫秒", changed.len());
        }
        Outcome::Failed(diagnostics) => {
            let text: Vec<String> = diagnostics.errors().map(|d| d.to_string()).collect();
            let text = text.join("\n");
            eprintln!("{text}\n内容有错误，继续显示上一次成功生成的页面（{ms:.1} 毫秒）");
            *shared.overlay.write().unwrap_or_else(|e| e.into_inner()) = Some(http::overlay_html(&text));
        }
    }
    let _ = shared.reloads.send(generation);
}

/// Tells the editor which other addresses the preview answers, or how to preview from a phone
/// when it listens on every address but answers none of them yet.
fn print_other_devices(guard: &http::HostGuard, address: SocketAddr) {
    for name in guard.extra_names() {
        let host = if name.contains(':') { format!("[{name}]") } else { name.clone() };
        println!("也可以打开 http://{host}:{}/", address.port());
    }
    if address.ip().is_unspecified() && guard.extra_names().is_empty() {
        let lan = outward_address().map_or_else(|| "这台电脑的局域网地址".to_string(), |ip| ip.to_string());
        println!(
            "提示：其他设备（如手机）访问时会被拒绝；请加上 --allow-host {lan} 后用 http://{lan}:{}/ 打开",
            address.port()
        );
    }
}

/// This computer's address on its outward-facing interface, if it has one: the local end of a
/// UDP socket "connected" to a documentation address (connecting a UDP socket sends nothing).
fn outward_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind(("0.0.0.0", 0)).ok()?;
    socket.connect(("192.0.2.1", 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener).arg(url).spawn();
}
