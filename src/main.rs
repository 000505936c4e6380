//! The `gongkai` command line: parses arguments (`cli`) and calls the library.

mod cli;

use clap::FromArgMatches as _;
use cli::{
    BuildArgs, CheckArgs, Command, ExportArgs, Format, ImportArgs, MergeArgs, New, NewSectionArgs,
    NewSiteArgs, NewUnitArgs, ServeArgs, TemplateArgs,
};
use gongkai::build::{self, BuildError, BuildOptions};
use gongkai::content::LoadOptions;
use gongkai::content::model::SectionKind;
use gongkai::diagnostic::Diagnostics;
use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: a build makes and drops millions of small strings and
/// template values across threads, where glibc's allocator took about a tenth of the CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = cli::chinese::args();
    let parsed = cli::chinese::command()
        .try_get_matches_from(&args)
        .and_then(|matches| cli::Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return cli::chinese::exit(error, &args),
    };
    match cli.command {
        Command::Build(args) => build(args),
        Command::Merge(args) => merge(args),
        Command::Serve(args) => serve(args),
        Command::Check(CheckArgs { root, format }) => check(&root.root, format),
        Command::New { what: New::Site(args) } => new_site(args),
        Command::New { what: New::Section(args) } => new_section(args),
        Command::New { what: New::Unit(args) } => new_unit(args),
        Command::Template(args) => template(args),
        Command::Import(args) => import(args),
        Command::Export(args) => export(args),
        Command::Man(args) => match cli::docs::write_man_pages(&args.out) {
            Ok(pages) => {
                pages.iter().for_each(|page| println!("{}", page.display()));
                ExitCode::SUCCESS
            }
            Err(error) => usage_failure(error),
        },
        Command::Completions(args) => {
            cli::docs::print_completions(args.shell);
            ExitCode::SUCCESS
        }
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let BuildArgs { root, output, base_url, drafts, quiet, no_cache, shard, parts } = args;
    let options = BuildOptions { root: root.root, output, base_url, drafts, progress: !quiet, no_cache };
    if let (Some(shard), Some(parts)) = (shard, parts) {
        return match gongkai::shard::build_shard(&options, shard, &parts) {
            Ok(report) => {
                if !quiet {
                    print_diagnostics(&report.warnings);
                    println!(
                        "已生成分片 {shard}：{} 个单位、{} 名党员、{} 个文件，用时 {:.2} 秒 → {}",
                        report.units,
                        report.members,
                        report.pages,
                        report.seconds,
                        report.output.display()
                    );
                    println!("全部 {} 片生成后，运行 gongkai merge {} 合并", shard.n, parts.display());
                }
                ExitCode::SUCCESS
            }
            Err(error) => fail(error),
        };
    }
    match build::build(&options) {
        Ok(report) => {
            if !quiet {
                print_diagnostics(&report.warnings);
                let cached = match report.cached {
                    0 => String::new(),
                    n => format!("（其中 {n} 个单位没有改动，取自缓存）"),
                };
                println!(
                    "已生成 {} 个单位{cached}、{} 名党员、{} 个文件，用时 {:.2} 秒 → {}",
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

fn merge(args: MergeArgs) -> ExitCode {
    let MergeArgs { parts, root, output, quiet } = args;
    let options = gongkai::shard::MergeOptions { root: root.root, parts, output };
    match gongkai::shard::merge(&options) {
        Ok(report) => {
            if !quiet {
                print_diagnostics(&report.warnings);
                println!(
                    "已合并 {} 个单位、{} 名党员、{} 个文件，用时 {:.2} 秒 → {}",
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

fn serve(args: ServeArgs) -> ExitCode {
    let ServeArgs { root, port, bind, allow_host, open, drafts } = args;
    let options =
        gongkai::serve::ServeOptions { root: root.root, bind, port, open, drafts, allow_hosts: allow_host };
    match gongkai::serve::serve(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => usage_failure(error),
    }
}

fn new_site(args: NewSiteArgs) -> ExitCode {
    match gongkai::scaffold::new_site(&args.dir, &args.name, args.organizer.as_deref()) {
        Ok(()) => {
            let dir = args.dir.display();
            println!("已新建站点 {dir}；下一步见 {dir}/{}：", gongkai::scaffold::GUIDE_FILE);
            println!("  cd {dir}");
            println!("  gongkai new section nanhe-zhen --name 南河镇");
            println!("  gongkai new unit nanhe-zhen/xinzhuang-cun --kind village --name 新庄村");
            println!("  gongkai check");
            ExitCode::SUCCESS
        }
        Err(error) => usage_failure(error),
    }
}

fn new_section(args: NewSectionArgs) -> ExitCode {
    let NewSectionArgs { path, name, kind, organization, root } = args;
    match gongkai::scaffold::new_section(
        &root.root,
        &path,
        &name,
        kind.map(Into::into),
        organization.as_deref(),
    ) {
        Ok(section) => {
            let (what, kind) = match (section.kind, &section.organization) {
                (Some(SectionKind::Township), Some(org)) => (format!("（乡镇，{org}）"), "village"),
                (Some(SectionKind::Committee), org) => {
                    (org.as_ref().map(|o| format!("（{o}）")).unwrap_or_default(), "agency")
                }
                (_, org) => (org.as_ref().map(|o| format!("（{o}）")).unwrap_or_default(), "village"),
            };
            println!("已新建栏目 {}{what}", section.dir.display());
            println!(
                "接着新建单位：gongkai new unit {}/<单位> --kind {kind} --name <名称>",
                path.trim_matches('/')
            );
            ExitCode::SUCCESS
        }
        Err(error) => usage_failure(error),
    }
}

fn new_unit(args: NewUnitArgs) -> ExitCode {
    let NewUnitArgs { path, kind, name, root } = args;
    match gongkai::scaffold::new_unit(&root.root, &path, kind.into(), &name) {
        Ok(dir) => {
            println!("已新建单位 {}；运行 gongkai check 查看还缺什么", dir.display());
            ExitCode::SUCCESS
        }
        Err(error) => usage_failure(error),
    }
}

fn template(args: TemplateArgs) -> ExitCode {
    let TemplateArgs { unit, year, output, root } = args;
    let options = gongkai::sheet::template::TemplateOptions { root: root.root, unit, year, output };
    sheet_exit(gongkai::sheet::template::template(&options).map(|path| {
        println!("已生成 {}；填好后运行 gongkai import {0} 导入", path.display());
    }))
}

fn import(args: ImportArgs) -> ExitCode {
    let ImportArgs { files, unit, kind, name, year, dry_run, root } = args;
    let options = gongkai::sheet::import::ImportOptions {
        root: root.root,
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
            (false, _) => {
                println!("已导入 {} 个单位，写入 {files} 个文件；运行 gongkai build 发布", report.units)
            }
        }
    }))
}

fn export(args: ExportArgs) -> ExitCode {
    let ExportArgs { year, output, internal, root } = args;
    let options = gongkai::sheet::export::ExportOptions { root: root.root, year, output, internal };
    sheet_exit(gongkai::sheet::export::export(&options).map(|(path, warnings)| {
        print_diagnostics(&warnings);
        println!("已导出 {}", path.display());
    }))
}

/// Exit code of `template`, `import` and `export`: 1 for problems in the workbooks or content
/// (nothing written), 2 for usage and environment errors.
fn sheet_exit(result: Result<(), gongkai::sheet::SheetError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(gongkai::sheet::SheetError::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.errors().count();
            eprintln!("共 {errors} 个错误，没有写入任何文件；content/ 没有改动");
            ExitCode::from(1)
        }
        Err(gongkai::sheet::SheetError::Usage(error)) => usage_failure(error),
    }
}

/// A usage or environment error (exit code 2), with its cause.
fn usage_failure(error: anyhow::Error) -> ExitCode {
    eprintln!("错误: {error:#}");
    ExitCode::from(2)
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
