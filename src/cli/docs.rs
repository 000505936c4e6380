//! The manual pages and shell completions, made from the command-line definition itself
//! (`gongkai man --out DIR`, `gongkai completions SHELL`; hidden, used by `packaging/deb`).

use super::{Shell, VERSION, chinese};
use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};

/// clap_mangen's fixed section names, in Chinese (as the manpages-zh pages have them).
const SECTIONS: &[(&str, &str)] = &[
    ("NAME", "名称"),
    ("SYNOPSIS", "用法"),
    ("DESCRIPTION", "说明"),
    ("EXTRA", "示例"),
    ("VERSION", "版本"),
];

/// Writes `gongkai.1` and one page per visible command (`gongkai-new-unit.1`) into `out`.
pub fn write_man_pages(out: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).with_context(|| format!("无法新建 {}", out.display()))?;
    let mut command = chinese::command();
    command.build();
    let mut written = Vec::new();
    write_pages(&command, out, &mut written)?;
    written.sort();
    Ok(written)
}

fn write_pages(command: &clap::Command, out: &Path, written: &mut Vec<PathBuf>) -> Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, out, written)?;
    }
    let man = clap_mangen::Man::new(command.clone())
        .date(env!("GONGKAI_COMMIT_DATE"))
        .source(format!("gongkai {VERSION}"))
        .manual("gongkai 使用手册");
    let mut roff = Vec::new();
    man.render(&mut roff)?;
    let path = out.join(man.get_filename());
    std::fs::write(&path, chinese_sections(&String::from_utf8_lossy(&roff)))
        .with_context(|| format!("无法写入 {}", path.display()))?;
    written.push(path);
    Ok(())
}

/// The page with Chinese section names, left-aligned without hyphenation (groff would stretch
/// Chinese lines, which have no spaces to break at, and hyphenate `town-ship`), and the
/// examples kept line by line without their repeated "示例：" line.
fn chinese_sections(roff: &str) -> String {
    let mut text = String::with_capacity(roff.len() + 64);
    let mut in_examples = false;
    for line in roff.lines() {
        if let Some(name) = line.strip_prefix(".SH ") {
            if in_examples {
                text.push_str(".fi\n");
            }
            let (en, zh) = SECTIONS.iter().find(|(en, _)| *en == name).copied().unwrap_or((name, name));
            text.push_str(&format!(".SH {zh}\n"));
            in_examples = en == "EXTRA";
            if in_examples {
                text.push_str(".nf\n");
            }
            continue;
        }
        if in_examples && line.trim() == "示例：" {
            continue;
        }
        text.push_str(line);
        text.push('\n');
        if line.starts_with(".TH ") {
            text.push_str(".ad l\n.nh\n");
        }
    }
    if in_examples {
        text.push_str(".fi\n");
    }
    text
}

/// Prints the completion script for `shell`.
pub fn print_completions(shell: Shell) {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(shell, &mut visible_command(), "gongkai", &mut std::io::stdout());
}

/// The command line without its hidden commands (`man`, `completions`), which clap_complete
/// would otherwise offer: the top level copied with only the visible subcommands.
fn visible_command() -> clap::Command {
    let full = chinese::command();
    let mut visible = clap::Command::new("gongkai")
        .about(full.get_about().cloned().unwrap_or_default())
        .version(VERSION)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true);
    for arg in full.get_arguments() {
        visible = visible.arg(arg.clone());
    }
    for sub in full.get_subcommands().filter(|s| !s.is_hide_set()) {
        visible = visible.subcommand(sub.clone());
    }
    visible
}
