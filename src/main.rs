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
    /// 为一个单位生成 Excel 填报表，按现有内容预先填好
    ///
    /// 表里有 说明、单位、党小组、党员、责任区、岗位、履责记录 和 考核<年度> 各一张工作表，带下拉列表，
    /// 按 A4 打印。填好后用 gongkai import 导入；表里记着是哪个单位的，导入时不用再指定。
    ///
    /// 例：gongkai template nanhe-zhen/dongwangzhuang-cun --year 2016
    #[command(verbatim_doc_comment)]
    Template {
        /// 单位路径 <栏目>/<单位>，如 nanhe-zhen/dongwangzhuang-cun；单位还不存在时生成空表
        unit: String,
        /// 考核表的年度（默认：site.yaml 的 assessment.year）
        #[arg(long)]
        year: Option<i32>,
        /// 保存为（默认：当前文件夹下的“单位名称.xlsx”；已存在时不覆盖）
        #[arg(long)]
        output: Option<PathBuf>,
        /// 站点根目录（含 content/），默认当前文件夹
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 从 Excel、WPS 表格或 CSV 导入党员名单、责任区、岗位和考核结果
    ///
    /// 读取 .xlsx、.xls、.ods 和 .csv（UTF-8 或 GBK），写入单位的 YAML 文件；先列出改动，
    /// 有任何错误时指出文件、工作表和单元格，content/ 不做任何改动。身份证号码一律不读取。
    ///
    /// 例：gongkai import 东王庄村.xlsx
    ///     gongkai import 党员花名册.xls --unit nanhe-zhen/xinzhuang-cun --kind village --name 新庄村
    ///     gongkai import 2016年考核.csv --unit nanhe-zhen/dongwangzhuang-cun --year 2016 --dry-run
    #[command(verbatim_doc_comment)]
    Import {
        /// 要导入的文件，可以有多个
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 单位路径 <栏目>/<单位>：用于不是 gongkai template 生成的表
        #[arg(long)]
        unit: Option<String>,
        /// 新建单位时的类型
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// 新建单位时的名称，如 新庄村
        #[arg(long)]
        name: Option<String>,
        /// 考核表的年度（默认：从工作表名或标题里的年份看出）
        #[arg(long)]
        year: Option<i32>,
        /// 只列出改动，不写入
        #[arg(long)]
        dry_run: bool,
        /// 站点根目录（含 content/），默认当前文件夹
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 导出全县汇总工作簿，用于上报和通报
    ///
    /// 含各单位达标情况和原因、各栏目汇总、等次分布、先锋岗位名单、基本合格和不合格党员的帮助调整情况、
    /// 各单位公示期；A4 横向打印。姓名和电话按网站的方式遮挡，--internal 时不遮挡并在每张表标题注明仅供内部使用。
    ///
    /// 例：gongkai export --year 2016 --output 2016年度汇总.xlsx
    #[command(verbatim_doc_comment)]
    Export {
        /// 年度（默认：考核年度）
        #[arg(long)]
        year: Option<i32>,
        /// 保存为（默认：当前文件夹下的“公开情况汇总-年度.xlsx”）
        #[arg(long)]
        output: Option<PathBuf>,
        /// 内部用：姓名和电话不遮挡
        #[arg(long)]
        internal: bool,
        /// 站点根目录（含 content/），默认当前文件夹
        #[arg(long, default_value = ".")]
        root: PathBuf,
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
        Command::Serve { root, port, bind, open, drafts } => {
            match gongkai::serve::serve(&gongkai::serve::ServeOptions { root, bind, port, open, drafts }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => {
                    eprintln!("错误: {error:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Template { unit, year, output, root } => {
            let options = gongkai::sheet::template::TemplateOptions { root, unit, year, output };
            sheet_exit(gongkai::sheet::template::template(&options).map(|path| {
                println!("已生成 {}；填好后运行 gongkai import {0} 导入", path.display());
            }))
        }
        Command::Import { files, unit, kind, name, year, dry_run, root } => {
            let options = gongkai::sheet::import::ImportOptions {
                root,
                files,
                unit,
                kind: kind.map(Into::into),
                name,
                year,
                dry_run,
            };
            let result = gongkai::sheet::import::import(&options, &mut std::io::stdout());
            sheet_exit(result.map(|report| {
                print_diagnostics(&report.warnings);
                let files = report.files.len();
                match (dry_run, files) {
                    (true, _) => println!("试运行：{files} 个文件会改动，没有写入任何文件"),
                    (false, 0) => println!("没有需要写入的改动"),
                    (false, _) => println!(
                        "已导入 {} 个单位，写入 {files} 个文件；运行 gongkai build 发布",
                        report.units
                    ),
                }
            }))
        }
        Command::Export { year, output, internal, root } => {
            let options = gongkai::sheet::export::ExportOptions { root, year, output, internal };
            sheet_exit(gongkai::sheet::export::export(&options).map(|(path, warnings)| {
                print_diagnostics(&warnings);
                println!("已导出 {}", path.display());
            }))
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

/// Exit code and messages of `template`, `import` and `export`.
fn sheet_exit(result: Result<(), gongkai::sheet::SheetError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(gongkai::sheet::SheetError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.errors().count();
            eprintln!("共 {errors} 个错误，没有写入任何文件；content/ 没有改动");
            ExitCode::from(1)
        }
        Err(gongkai::sheet::SheetError::Usage(error)) => {
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
