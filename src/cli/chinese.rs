//! clap's own words in Chinese: help headings, the `-h/--help/-V` flags, and usage errors.
//!
//! clap writes a few English words that no setting changes: `[OPTIONS]` in usage lines and the
//! texts of its errors. Help and errors both come out of [`command`] and [`exit`], which swap
//! those words, so every command (including ones added later) is Chinese without further work.

use super::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory};
use std::process::ExitCode;

/// Every command's help page: about, usage, the argument sections, then the examples.
const TEMPLATE: &str = "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command line with Chinese headings and help flags; parse and document with this, never
/// with `Cli::command()` alone.
pub fn command() -> clap::Command {
    localise(Cli::command(), true).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本号和构建所用的提交")
            .help_heading("选项"),
    )
}

fn localise(command: clap::Command, top: bool) -> clap::Command {
    let help = if top {
        "显示帮助（--help 显示完整说明）"
    } else {
        "显示帮助（--help 显示完整说明和示例）"
    };
    command
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).help(help))
        .mut_args(|arg| {
            let heading = if arg.is_positional() { "参数" } else { "选项" };
            arg.help_heading(heading)
        })
        .mut_subcommands(|sub| localise(sub, false))
}

/// `gongkai help [命令…]` is `gongkai [命令…] --help`: clap's own `help` command is switched off
/// because its description cannot be put into Chinese.
pub fn args() -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "help") {
        args.remove(1);
        args.push("--help".into());
    }
    args
}

/// Prints what clap stopped for — help, the version, or a usage error in Chinese — and returns
/// the exit code: 0 for help and version, 2 for a usage error.
pub fn exit(error: clap::Error, args: &[std::ffi::OsString]) -> ExitCode {
    match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            print!("{}", words(&error.render().to_string()));
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{}", words(&error.render().to_string()));
            ExitCode::from(2)
        }
        _ => {
            eprint!("{}", usage_error(&error, &command_path(args)));
            ExitCode::from(2)
        }
    }
}

/// clap's words that no setting reaches, and the full-width colon after its section headings.
fn words(text: &str) -> String {
    let mut text = text.replace("[OPTIONS]", "[选项]").replace("Usage: ", "用法：");
    for heading in ["命令", "参数", "选项"] {
        text = text.replace(&format!("\n{heading}:\n"), &format!("\n{heading}：\n"));
    }
    text
}

/// The names of the command the arguments run, `["gongkai", "new", "unit"]`: every argument that
/// names a subcommand of the command before it.
fn command_path(args: &[std::ffi::OsString]) -> Vec<String> {
    let root = command();
    let mut command = &root;
    let mut path = vec![root.get_name().to_string()];
    for arg in args.iter().skip(1) {
        if let Some(sub) = arg.to_str().and_then(|a| command.find_subcommand(a)) {
            path.push(sub.get_name().to_string());
            command = sub;
        }
    }
    path
}

/// The Chinese text of a usage error about the command at `path`: what is wrong, a hint, the
/// usage and where to read more.
pub fn usage_error(error: &clap::Error, path: &[String]) -> String {
    let string = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(s)) => s.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(s)) => s.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let list = |kind| match error.get(kind) {
        Some(ContextValue::Strings(s)) => s.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let arg = string(ContextKind::InvalidArg);
    // `--kind <类型>` is named `--kind` where its value is wrong.
    let flag = arg.split(' ').next().unwrap_or_default().to_string();
    let value = string(ContextKind::InvalidValue);
    let mut root = command();
    root.build();
    let mut command = &root;
    for name in path.iter().skip(1) {
        command = command.find_subcommand(name).unwrap_or(command);
    }
    let usage = words(&command.clone().render_usage().to_string());
    let usage = usage.trim();
    let mut hints = Vec::new();
    let suggested = list(ContextKind::SuggestedArg);
    let suggested_commands = list(ContextKind::SuggestedSubcommand);
    let message = match error.kind() {
        ErrorKind::UnknownArgument if arg.starts_with('-') => format!("不认识的选项“{arg}”"),
        ErrorKind::UnknownArgument => format!("多余的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            let name = string(ContextKind::InvalidSubcommand);
            hints.extend(subcommands(command));
            format!("没有“{name}”这个命令")
        }
        ErrorKind::MissingSubcommand => {
            hints.extend(subcommands(command));
            format!("“{}”后面要写一个命令", path.join(" "))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}", string(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue => {
            let valid = list(ContextKind::ValidValue);
            if !valid.is_empty() {
                hints.push(format!("可以写：{}", valid.join("、")));
            }
            if value.is_empty() {
                format!("“{flag}”后面要写一个值")
            } else {
                format!("“{flag}”不能取“{value}”")
            }
        }
        ErrorKind::ValueValidation => {
            // Our own value parsers explain in Chinese; the standard ones (English) are left out.
            let why = std::error::Error::source(error).map(|e| e.to_string()).unwrap_or_default();
            if !why.is_ascii() {
                hints.push(why);
            } else if why.contains("digit") || why.contains("integer") || why.contains("too large") {
                // Rust's own number parsing (`--year abc`) says why in English.
                hints.push(format!("“{flag}”后面要写一个整数，例如 {flag} 2016"));
            }
            format!("“{flag}”的值“{value}”无效")
        }
        ErrorKind::ArgumentConflict => {
            let prior = string(ContextKind::PriorArg);
            if prior == arg {
                // clap reports a flag given twice as conflicting with itself.
                format!("“{flag}”只能写一次")
            } else {
                format!("“{arg}”不能和“{prior}”一起用")
            }
        }
        ErrorKind::NoEquals => format!("“{arg}”的值要用等号连写，例如 {arg}=值"),
        ErrorKind::TooManyValues => format!("“{arg}”多了一个值“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => format!("“{arg}”的值的个数不对"),
        ErrorKind::InvalidUtf8 => "命令行里有无法识别的字符（不是 UTF-8 编码）".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let mut text = format!("错误：{message}\n");
    if let Some(first) = suggested.first().or(suggested_commands.first()) {
        text.push_str(&format!("  提示：是不是“{first}”？\n"));
    }
    for hint in hints {
        text.push_str(&format!("  提示：{hint}\n"));
    }
    if !usage.is_empty() {
        text.push_str(&format!("\n{usage}\n"));
    }
    text.push_str(&format!("运行 {} --help 查看全部用法和示例\n", path.join(" ")));
    text
}

/// "可用的命令：…" for a command with visible subcommands.
fn subcommands(command: &clap::Command) -> Option<String> {
    let names: Vec<&str> =
        command.get_subcommands().filter(|s| !s.is_hide_set()).map(|s| s.get_name()).collect();
    (!names.is_empty()).then(|| format!("可用的命令：{}", names.join("、")))
}
