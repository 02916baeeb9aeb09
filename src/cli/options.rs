//! Global options typed after a grouped command (`mongooseimctl accounts check_account alice
//! localhost -o json`). Only the grouped form is scanned: the legacy flat form keeps its words
//! verbatim, as mongooseimctl 5.1 passes them (docs/compat.md, issue 12).

use crate::registry::Group;

/// Global options that take a value (`-o json`, `-ojson`, `--output json`, `--output=json`).
const WITH_VALUE: [(&str, Option<char>); 4] = [
    ("config", Some('c')),
    ("store", None),
    ("output", Some('o')),
    ("progress", None),
];

/// Global flags (no value).
const FLAGS: [&str; 8] = [
    "-q",
    "--quiet",
    "--verbose",
    "--legacy-integers",
    "--no-headers",
    "--dry-run",
    "--yes",
    "-y",
];

/// How many words `word` takes as a global option: `Some(2)` for an option whose value is
/// the next word, `Some(1)` for a flag or an attached value, `None` when it is not one.
fn global_words(word: &str) -> Option<usize> {
    if FLAGS.contains(&word) {
        return Some(1);
    }
    // -v, -vv, -vvv
    if word.len() >= 2 && word.starts_with('-') && word[1..].bytes().all(|b| b == b'v') {
        return Some(1);
    }
    for (long, short) in WITH_VALUE {
        if let Some(body) = word.strip_prefix("--").and_then(|b| b.strip_prefix(long)) {
            if body.is_empty() {
                return Some(2);
            }
            if body.starts_with('=') {
                return Some(1);
            }
        }
        if let Some(s) = short {
            if let Some(body) = word.strip_prefix('-').and_then(|b| b.strip_prefix(s)) {
                return Some(if body.is_empty() { 2 } else { 1 });
            }
        }
    }
    None
}

/// `-oVALUE` / `-cVALUE` as two words (`-o`, `VALUE`): the parser's command-line positional
/// accepts words starting with `-`, so an attached short value must be split for the parser
/// to read it as the option.
fn detach(word: &str, out: &mut Vec<String>) {
    for (_, short) in WITH_VALUE {
        if let Some(s) = short {
            if let Some(value) = word
                .strip_prefix('-')
                .and_then(|b| b.strip_prefix(s))
                .filter(|v| !v.is_empty() && !word.starts_with("--"))
            {
                out.push(format!("-{s}"));
                out.push(value.to_string());
                return;
            }
        }
    }
    out.push(word.to_string());
}

/// The program's arguments with the attached short values of the leading global options
/// split (`mongooseimctl -ojson check_account …` reads as `-o json`). The words from the
/// first one that is not a global option on are kept as they are.
pub fn detach_leading(args: &[String]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len() + 1);
    let mut i = 0;
    if let Some(program) = args.first() {
        out.push(program.clone());
        i = 1;
    }
    while i < args.len() {
        let Some(n) = global_words(&args[i]) else {
            break;
        };
        let end = (i + n).min(args.len());
        detach(&args[i], &mut out);
        out.extend(args[i + 1..end].iter().cloned());
        i = end;
    }
    out.extend(args[i..].iter().cloned());
    out
}

/// The legacy command line `rest` (the words after the leading global options) split into
/// the global options typed after a grouped command and the command line without them.
/// `None` when `rest` is not the grouped form `[--auth U H P] GROUP COMMAND ARGS…` (then it
/// is kept verbatim). `--` ends the options: what follows is positional (the `--` itself is
/// kept for the commands that have `--name` options of their own, which read it too).
pub fn split_grouped(rest: &[String]) -> Option<(Vec<String>, Vec<String>)> {
    let prefix = if rest.len() >= 4 && rest[0] == "--auth" {
        4
    } else {
        0
    };
    let group = Group::from_name(rest.get(prefix)?)?;
    let second = rest.get(prefix + 1)?.replace('-', "_");
    let cmd = group.commands().iter().find(|c| c.name == second)?;
    let mut globals = Vec::new();
    let mut words: Vec<String> = rest[..prefix + 2].to_vec();
    let mut i = prefix + 2;
    while i < rest.len() {
        let w = &rest[i];
        if w == "--" {
            let from = if cmd.options.is_empty() { i + 1 } else { i };
            words.extend(rest[from..].iter().cloned());
            break;
        }
        match global_words(w) {
            Some(n) => {
                let end = (i + n).min(rest.len());
                detach(w, &mut globals);
                globals.extend(rest[i + 1..end].iter().cloned());
                i = end;
            }
            None => {
                words.push(w.clone());
                i += 1;
            }
        }
    }
    Some((globals, words))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn grouped_form_options_anywhere() {
        assert_eq!(
            split_grouped(&v(&["accounts", "check_account", "a", "-ojson", "h", "-v"])),
            Some((
                v(&["-o", "json", "-v"]),
                v(&["accounts", "check_account", "a", "h"])
            ))
        );
        assert_eq!(
            split_grouped(&v(&[
                "accounts",
                "check-account",
                "--output=json",
                "a",
                "-c",
                "x.toml",
                "h"
            ])),
            Some((
                v(&["--output=json", "-c", "x.toml"]),
                v(&["accounts", "check-account", "a", "h"])
            ))
        );
        assert_eq!(
            split_grouped(&v(&["accounts", "check_password", "a", "h", "--", "-o"])),
            Some((v(&[]), v(&["accounts", "check_password", "a", "h", "-o"])))
        );
        assert_eq!(
            split_grouped(&v(&[
                "--auth",
                "u",
                "h",
                "p",
                "accounts",
                "check_account",
                "-q"
            ])),
            Some((
                v(&["-q"]),
                v(&["--auth", "u", "h", "p", "accounts", "check_account"])
            ))
        );
        // A trailing option without its value goes to clap, which reports it.
        assert_eq!(
            split_grouped(&v(&["accounts", "check_account", "-o"])),
            Some((v(&["-o"]), v(&["accounts", "check_account"])))
        );
        // Not options: `-`, negative numbers, unknown dashes.
        assert_eq!(
            split_grouped(&v(&[
                "core",
                "register_identified",
                "a",
                "h",
                "-",
                "-5",
                "-x"
            ])),
            Some((
                v(&[]),
                v(&["core", "register_identified", "a", "h", "-", "-5", "-x"])
            ))
        );
    }

    #[test]
    fn leading_attached_values_are_detached() {
        assert_eq!(
            detach_leading(&v(&[
                "m",
                "-ojson",
                "-cx.toml",
                "-v",
                "check_account",
                "-ojson"
            ])),
            v(&[
                "m",
                "-o",
                "json",
                "-c",
                "x.toml",
                "-v",
                "check_account",
                "-ojson"
            ])
        );
        assert_eq!(
            detach_leading(&v(&["m", "--store", "-ox", "-otext", "c"])),
            v(&["m", "--store", "-ox", "-o", "text", "c"])
        );
    }

    #[test]
    fn flat_form_is_verbatim() {
        assert_eq!(
            split_grouped(&v(&["check_account", "-o", "json", "h"])),
            None
        );
        assert_eq!(split_grouped(&v(&["accounts"])), None);
        assert_eq!(split_grouped(&v(&["accounts", "nope", "-o", "json"])), None);
    }
}
