//! Generated artefacts, all rendered from the registry: shell completions, the man page and
//! the command reference. The committed copies (completions/, docs/) are rendered with every
//! group enabled; `mongooseimctl completions SHELL` renders for the current config.

use clap_complete::Shell;

use crate::cli::build;
use crate::registry::{self, ArgType, CommandSpec, Group, Named, Ty};

/// The completion script for `shell`, for these commands.
pub fn completions(shell: &str, commands: &[&'static CommandSpec]) -> Option<String> {
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "elvish" => Shell::Elvish,
        "powershell" => Shell::PowerShell,
        _ => return None,
    };
    let mut tree = build::tree(commands);
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut tree, build::BIN, &mut buf);
    String::from_utf8(buf).ok()
}

/// The man page (roff) of the whole tree: clap's name, synopsis, description and options,
/// then our own sections (groups, commands, built-ins, exit status, environment, files,
/// examples). It refers to no other page.
pub fn man_page(commands: &[&'static CommandSpec]) -> String {
    let tree = build::tree(commands);
    let man = clap_mangen::Man::new(tree);
    let mut buf = Vec::new();
    let rendered = man
        .render_title(&mut buf)
        .and_then(|_| man.render_name_section(&mut buf))
        .and_then(|_| man.render_synopsis_section(&mut buf))
        .and_then(|_| man.render_description_section(&mut buf))
        .and_then(|_| man.render_options_section(&mut buf));
    if rendered.is_err() {
        return String::new();
    }
    let mut page = String::from_utf8_lossy(&buf).into_owned();
    page.push_str(&man_groups_section(commands));
    page.push_str(&man_commands_section(commands));
    page.push_str(&man_builtins_section());
    page.push_str(MAN_TAIL);
    let mut version = Vec::new();
    if man.render_version_section(&mut version).is_ok() {
        page.push_str(&String::from_utf8_lossy(&version));
    }
    page
}

const MAN_TAIL: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
The command succeeded (also \fBhelp\fR \fICOMMAND\fR, \fBstatus\fR).
.TP
\fB1\fR
The command failed: a failure result of mongooseimctl 5.1 (\fI{error, ...}\fR, a false result code), an unknown command, a wrong number of arguments, a crash (\fIProblem '...' occurred executing the command.\fR), a command of a group the configuration does not enable, or data the store refuses.
.TP
\fB2\fR
Usage: no command was given (the usage text is printed), or our own options were misused.
.TP
\fB3\fR
The configuration is invalid, or the store cannot be opened or stayed locked by another process for longer than 5 seconds.
.SH ENVIRONMENT
.TP
\fBMONGOOSEIM_CONFIG\fR
The configuration file, as \fB\-c\fR (the option wins).
.TP
\fBMONGOOSEIM_STORE\fR
The SQLite store file, as \fB\-\-store\fR.
.TP
\fBMONGOOSEIMCTL_OUTPUT\fR
The output format, as \fB\-o\fR: \fBtext\fR, \fBtable\fR or \fBjson\fR.
.TP
\fBMONGOOSEIMCTL_LOG\fR
A tracing filter for the log lines on standard error (e.g. \fBdebug\fR); overrides \fB\-v\fR and \fB\-q\fR.
.TP
\fBXDG_DATA_HOME\fR
Where the default store lives (\fI$XDG_DATA_HOME/mongooseimctl/mongooseim.db\fR, else under \fI~/.local/share\fR).
.SH FILES
.TP
\fI./mongooseim.toml\fR, \fI/etc/mongooseim/mongooseim.toml\fR
The configuration, looked up in this order when neither \fB\-c\fR nor \fBMONGOOSEIM_CONFIG\fR is given; without one, built-in defaults serve \fIlocalhost\fR with every group enabled.
.TP
\fI~/.local/share/mongooseimctl/mongooseim.db\fR
The default store, created on first use, unless the configuration's \fB[outgoing_pools.rdbms.default]\fR pool names an SQLite \fBdatabase\fR.
.SH EXAMPLES
.TP
Register a user, reading the password from standard input:
\fBecho secret | mongooseimctl register_identified alice localhost \-\fR
.TP
The same command in the grouped form:
\fBmongooseimctl core register_identified alice localhost \-\fR
.TP
Check an account and read the answer as JSON:
\fBmongooseimctl \-o json check_account alice localhost\fR
.TP
List a roster with an explicit configuration and store:
\fBmongooseimctl \-c /etc/mongooseim/mongooseim.toml \-\-store /var/lib/mongooseim/mongooseim.db get_roster alice localhost\fR
.TP
The help of mongooseimctl 5.1 for one command, and every tag:
\fBmongooseimctl help check_account\fR; \fBmongooseimctl help \-\-tags\fR
"#;

fn man_groups_section(commands: &[&'static CommandSpec]) -> String {
    let mut out = String::from(
        ".SH GROUPS
",
    );
    for group in Group::all() {
        if commands.iter().any(|c| c.group == group) {
            out.push_str(&format!(
                ".TP
\\fB{}\\fR\n{}\n",
                group.name(),
                roff_escape(group.about())
            ));
        }
    }
    out
}

fn man_builtins_section() -> String {
    let mut out = String::from(".SH BUILT-INS\nWords handled before the command table:\n");
    for b in builtins_listed() {
        out.push_str(&format!(
            ".TP\n\\fB{}\\fR\n{}\n",
            roff_escape(&b.0),
            roff_escape(&b.1)
        ));
    }
    out
}

/// The built-ins as (usage, description), each name once.
fn builtins_listed() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for b in registry::BUILTINS.iter() {
        let desc = match (b.usage, b.about, b.action) {
            (Some((_, d)), _, _) => d.to_string(),
            (None, Some(a), _) => a.to_string(),
            (None, None, registry::BuiltinAction::Nothing) => {
                "Return at once with exit 0 (there is no node to wait for)".to_string()
            }
            _ => continue,
        };
        let args = b.usage.map(|(a, _)| a.join(" ")).unwrap_or_default();
        let call = if args.is_empty() {
            b.name.to_string()
        } else {
            format!("{} {args}", b.name)
        };
        if !out.iter().any(|(c, _)| c.split(' ').next() == Some(b.name)) {
            out.push((call, desc));
        }
    }
    out
}

fn roff_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('-', "\\-")
        .replace('\n', " ")
}

fn man_commands_section(commands: &[&'static CommandSpec]) -> String {
    let mut out = String::from(".SH \"COMMAND REFERENCE\"\n");
    for group in Group::all() {
        let cmds: Vec<_> = commands.iter().filter(|c| c.group == group).collect();
        if cmds.is_empty() {
            continue;
        }
        out.push_str(&format!(".SS {}\n", group.name()));
        for c in cmds {
            let args: Vec<String> = usage_words(c);
            out.push_str(&format!(
                ".TP\n\\fB{}\\fR {}\n{}\n",
                roff_escape(c.name),
                roff_escape(&args.join(" ")),
                roff_escape(&squash(c.desc))
            ));
        }
    }
    out
}

/// A command's words in a usage line: its arguments, then `[--flag FLAG]` for each option.
fn usage_words(c: &CommandSpec) -> Vec<String> {
    let mut words: Vec<String> = c.args.iter().map(|a| a.name.to_ascii_uppercase()).collect();
    words.extend(c.options.iter().map(|o| match o.ty {
        ArgType::Switch => format!("[--{}]", o.name),
        _ => format!("[--{} {}]", o.name, o.name.to_ascii_uppercase()),
    }));
    words
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn type_text(ty: &ArgType) -> &'static str {
    match ty {
        ArgType::Binary => "binary",
        ArgType::String => "string",
        ArgType::Integer => "integer",
        ArgType::BinaryList => "list of binary (`;`-separated)",
        ArgType::Switch => "flag",
    }
}

fn result_text(n: &Named) -> String {
    let inner = match &n.ty {
        Ty::Binary => "binary".to_string(),
        Ty::String => "string".to_string(),
        Ty::Integer => "integer".to_string(),
        Ty::Atom => "atom".to_string(),
        Ty::RestTuple => "restuple".to_string(),
        Ty::ResCode => "rescode".to_string(),
        Ty::List(e) => format!("[ {} ]", result_text(e)),
        Ty::Tuple(fs) => format!(
            "{{ {} }}",
            fs.iter().map(result_text).collect::<Vec<_>>().join(", ")
        ),
    };
    if n.name.is_empty() {
        inner
    } else {
        format!("{}::{}", n.name, inner)
    }
}

/// docs/commands.md: every command by group.
pub fn reference(commands: &[&'static CommandSpec]) -> String {
    let mut out = String::from(
        "<!-- generated by `cargo test` from the command registry (src/registry); do not edit. \
         Update with UPDATE_GENERATED=1 cargo test -->\n\n# mongooseimctl command reference\n\n\
         Every command works in the legacy flat form (`mongooseimctl NAME ARG...`) and in the grouped form \
         (`mongooseimctl GROUP NAME ARG...`). A group other than `core` is available only when its submod is \
         listed in `[services.service_admin_extra] submods`.\n",
    );
    out.push_str("\n## Built-ins\n\nWords the tool handles before the command table (as mongooseimctl 5.1's script does):\n\n| call | what it does |\n|---|---|\n");
    for (call, desc) in builtins_listed() {
        out.push_str(&format!("| `{call}` | {desc} |\n"));
    }
    for group in Group::all() {
        let cmds: Vec<_> = commands.iter().filter(|c| c.group == group).collect();
        if cmds.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {}\n\n{}\n", group.name(), group.about()));
        for c in cmds {
            let args: Vec<String> = usage_words(c);
            out.push_str(&format!("\n### `{}`\n\n", c.name));
            out.push_str(
                &format!("```\nmongooseimctl {} {}\n```\n\n", c.name, args.join(" "))
                    .replace(" \n```", "\n```"),
            );
            out.push_str(&format!("{}\n\n", squash(c.desc)));
            if !c.args.is_empty() {
                out.push_str("| argument | type | meaning |\n|---|---|---|\n");
                for a in c.args {
                    let t = type_text(&a.ty);
                    let note = if a.secret {
                        " — password: `-` reads it from stdin"
                    } else {
                        ""
                    };
                    let meaning = registry::help::arg_help(c.name, a.name).unwrap_or("");
                    out.push_str(&format!("| `{}` | {t}{note} | {meaning} |\n", a.name));
                }
                out.push('\n');
            }
            if !c.options.is_empty() {
                out.push_str("| option | meaning |\n|---|---|\n");
                for o in c.options {
                    let flag = match o.ty {
                        ArgType::Switch => format!("--{}", o.name),
                        _ => format!("--{} {}", o.name, o.name.to_ascii_uppercase()),
                    };
                    out.push_str(&format!("| `{flag}` | {} |\n", o.help));
                }
                out.push('\n');
            }
            out.push_str(&format!(
                "Returns `{}`. Tags: {}.\n",
                result_text(&c.result),
                c.tags.join(", ")
            ));
            if let Some(g) = c.guarded {
                out.push_str(&format!("\n{}\n", g.note()));
            }
            if !c.long_desc.is_empty() {
                out.push_str(&format!("\n```\n{}\n```\n", c.long_desc));
            }
            out.push_str(&format!(
                "\n{}\n```\n",
                build::examples_text(c, build::BIN).replacen("Examples:", "Examples:\n\n```", 1)
            ));
        }
    }
    out
}

/// Every committed generated file: (path relative to the repository root, content).
pub fn artefacts() -> Vec<(String, String)> {
    let all: Vec<&'static CommandSpec> = registry::all().collect();
    let mut out = Vec::new();
    for (shell, file) in [
        ("bash", "mongooseimctl.bash"),
        ("zsh", "_mongooseimctl"),
        ("fish", "mongooseimctl.fish"),
    ] {
        if let Some(s) = completions(shell, &all) {
            out.push((format!("completions/{file}"), s));
        }
    }
    out.push(("docs/man/mongooseimctl.1".to_string(), man_page(&all)));
    out.push(("docs/commands.md".to_string(), reference(&all)));
    out
}
