//! The `gongkai` command line: parses arguments and calls the library.

use clap::{Parser, Subcommand, ValueEnum};
use gongkai::build::{self, BuildError, BuildOptions};
use gongkai::content::LoadOptions;
use gongkai::content::model::UnitKind;
use gongkai::diagnostic::Diagnostics;
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: a build makes and drops millions of small strings and
/// template values across threads, where glibc's allocator took about a tenth of the CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Builds the public disclosure site of the 七权七责 mechanism (三个内容公开) from per-unit files.
#[derive(Parser)]
#[command(name = "gongkai", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into ROOT/output (or --output), replacing it only when the build succeeds.
    Build {
        /// Site root holding content/ (default: the current folder).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: ROOT/output).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml, e.g. for a staging host.
        #[arg(long)]
        base_url: Option<String>,
        /// Include notices marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Preview the site: build in memory, serve it, rebuild what a change touches and reload the browser.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this computer can connect unless you change it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Also answer requests addressed to this name (repeatable), e.g. the computer's LAN address.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include notices marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Validate the content and print which units fail which disclosure; exit 1 on errors.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Create something new.
    New {
        #[command(subcommand)]
        what: New,
    },
}

#[derive(Subcommand)]
enum New {
    /// A working skeleton for a new unit: `gongkai new unit nanhe-zhen/dongwangzhuang --kind village --name 东王庄村`.
    Unit {
        /// <section>/<unit>, as folder names (slugs).
        path: String,
        #[arg(long, value_enum)]
        kind: Kind,
        /// The unit's name, e.g. 东王庄村.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Village,
    Community,
    Agency,
    Enterprise,
    School,
}

impl From<Kind> for UnitKind {
    fn from(kind: Kind) -> UnitKind {
        match kind {
            Kind::Village => UnitKind::Village,
            Kind::Community => UnitKind::Community,
            Kind::Agency => UnitKind::Agency,
            Kind::Enterprise => UnitKind::Enterprise,
            Kind::School => UnitKind::School,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { root, output, base_url, drafts, quiet } => {
            let options = BuildOptions { root, output, base_url, drafts, progress: !quiet };
            match build::build(&options) {
                Ok(report) => {
                    if !quiet {
                        print_diagnostics(&report.warnings);
                        println!(
                            "已生成 {} 个单位、{} 名党员、{} 个文件，用时 {:.2} 秒 → {}",
                            report.units,
                            report.members,
                            report.pages,
                            report.seconds,
                            report.output.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(error) => fail(error),
            }
        }
        Command::Check { root, format } => check(&root, format),
        Command::Serve { root, port, bind, allow_host, open, drafts } => {
            let options =
                gongkai::serve::ServeOptions { root, bind, port, open, drafts, allow_hosts: allow_host };
            match gongkai::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("错误: {error:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::New { what: New::Unit { path, kind, name, root } } => {
            match gongkai::scaffold::new_unit(&root, &path, kind.into(), &name) {
                Ok(dir) => {
                    println!("已新建单位 {}；运行 gongkai check 查看还缺什么", dir.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("错误: {error:#}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// Problems printed one by one before the rest are counted; `check --format json` lists all.
const PRINTED_PROBLEMS: usize = 100;

fn print_diagnostics(diagnostics: &Diagnostics) {
    let all: Vec<_> = diagnostics.errors().chain(diagnostics.warnings()).collect();
    for d in all.iter().take(PRINTED_PROBLEMS) {
        eprintln!("{d}");
    }
    if all.len() > PRINTED_PROBLEMS {
        eprintln!(
            "……另有 {} 条问题未列出；改好上面的问题后再运行，或用 gongkai check --format json 查看全部",
            all.len() - PRINTED_PROBLEMS
        );
    }
}

fn fail(error: BuildError) -> ExitCode {
    match error {
        BuildError::Content(diagnostics) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.errors().count();
            eprintln!("共 {errors} 个错误，未生成网站；已发布的内容没有改动");
            ExitCode::from(1)
        }
        BuildError::Environment(error) => {
            eprintln!("错误: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn check(root: &std::path::Path, format: Format) -> ExitCode {
    let checked = match build::load_checked(root, LoadOptions { drafts: true }) {
        Ok(checked) => checked,
        Err(BuildError::Content(diagnostics)) if matches!(format, Format::Json) => {
            println!("{}", gongkai::report::json(&diagnostics, None));
            return ExitCode::from(1);
        }
        Err(error) => return fail(error),
    };
    match format {
        Format::Text => {
            print_diagnostics(&checked.warnings);
            print!("{}", gongkai::report::text(&checked));
        }
        Format::Json => println!("{}", gongkai::report::json(&checked.warnings, Some(&checked))),
    }
    ExitCode::SUCCESS
}
