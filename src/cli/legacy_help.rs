//! The help and usage texts of mongooseimctl 5.1, byte for byte (cli-output.md §4 and §7).
//!
//! Every function returns the complete text to write to stdout as-is: the trailing newlines
//! that 5.1 prints are included (each doc comment says which), nothing else must be added.
//! Widths are those of a node without a terminal: 78 columns, no ANSI escapes. Lengths are
//! counted in characters (Erlang string length).

use crate::compat::erlang::p_string;
use crate::registry::types::{ArgSpec, ArgType, CommandSpec, Named, Ty};
use std::borrow::Cow;

/// Width of the text area used by the 5.1 help printer.
const MAX_C: usize = 78;
/// Width of `"  Arguments: "`: continuation column of the argument list.
const ARGS_INDENT: usize = 13;
/// Width of `"  Returns: "`: starting column of the result type.
const RETURNS_INDENT: usize = 11;
/// Indent of wrapped tags in a help block.
const TAGS_INDENT: usize = 8;
/// Indent of the wrapped description in a help block.
const DESC_INDENT: usize = 15;
/// Indent of descriptions in long-mode usage entries.
const LONG_DESC_INDENT: usize = 8;
/// Indent of the command names in `help --tags`.
const TAG_LIST_INDENT: usize = 5;
/// Separator printed between two blocks of `help PATTERN` (a space, 39 tildes, a space).
const SEPARATOR: &str = " ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~ \n";

const USAGE_HEADER: &str = "Usage: mongooseimctl [--node nodename] [--auth user host password] \
command [options]\n\nAvailable commands in this MongooseIM node:\n";
const USAGE_FOOTER: &str =
    "\nExamples:\n  mongooseimctl restart\n  mongooseimctl --node mongooseim@host restart\n";

/// Description of the `help` pseudo-command (`help help`).
const HELP_DESC: &str = "Show help of MongooseIM commands";
/// Long description of `help help` (own wording; wrapped with indent 0 like 5.1 does, which
/// collapses the alignment spaces).
const HELP_LONG_DESC: &str = concat!(
    "The 'help' command describes the commands of this MongooseIM node.\n\n",
    "Syntax:\n",
    "  mongooseimctl help [--tags [tag] | command | com?*]\n\n",
    "  --tags      list every tag with the commands that carry it\n",
    "  --tags tag  list the commands that carry the tag 'tag'\n",
    "  command     show the arguments, result, tags and description of 'command'\n",
    "  com?*       the same for every command whose name matches the shell pattern ",
    "(* any text, ? one character, [abc] one character of a set)\n\n",
    "Examples:\n",
    "  mongooseimctl help\n",
    "  mongooseimctl help --tags\n",
    "  mongooseimctl help --tags accounts\n",
    "  mongooseimctl help register\n",
    "  mongooseimctl help regist*\n\n",
    "A description starting with '*' marks a command that cannot be called from the shell; ",
    "this node has none.",
);

/// The result type of `help help`.
const HELP_RESULT: Named = Named {
    name: "help",
    ty: Ty::String,
};
/// Element type of `{list, binary}` arguments: a bare `binary`.
static BARE_BINARY: Named = Named {
    name: "",
    ty: Ty::Binary,
};

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Greedy word wrap of 5.1 (`prepare_long_line`) over already split words.
fn wrap_words<'a>(indent: usize, words: impl IntoIterator<Item = &'a str>) -> String {
    let limit = MAX_C.saturating_sub(indent);
    let mut lines: Vec<String> = vec![String::new()];
    let mut cur = 0usize;
    for word in words {
        let len = char_len(word);
        match lines.last_mut() {
            Some(line) if len + cur < limit => {
                line.push_str(word);
                line.push(' ');
                cur = if word.contains('\n') {
                    len + 1
                } else {
                    cur + len + 1
                };
            }
            _ => {
                lines.push(format!("{word} "));
                cur = len;
            }
        }
    }
    lines.join(&format!("\n{}", spaces(indent)))
}

/// Word wrap of 5.1's `prepare_description(Indent, Text)` (cli-output §7).
///
/// `text` is split on single spaces (empty pieces dropped, so runs of spaces collapse;
/// newlines stay inside words). With `L = 78 - indent`, a word of length `n` is appended to
/// the current line when `n + cur < L`, after which `cur += n + 1` — or `cur = n + 1` when the
/// word contains a newline; otherwise it starts a new line with `cur = n` (so a first word
/// that is too long leaves the first line empty). Every word is followed by one space, lines
/// after the first are prefixed by a newline and `indent` spaces. No final newline; an empty
/// or all-space text gives "".
pub fn wrap(indent: usize, text: &str) -> String {
    wrap_words(indent, text.split(' ').filter(|w| !w.is_empty()))
}

fn simple_type_name(ty: &Ty) -> Option<&'static str> {
    match ty {
        Ty::Binary => Some("binary"),
        Ty::String => Some("string"),
        Ty::Integer => Some("integer"),
        Ty::Atom => Some("atom"),
        Ty::RestTuple => Some("restuple"),
        Ty::ResCode => Some("rescode"),
        Ty::List(_) | Ty::Tuple(_) => None,
    }
}

/// Renders a type as in the `Arguments:`/`Returns:` lines of `help CMD`; `pad` is the column
/// at which the rendering starts (13 for arguments, 11 for the result).
///
/// * simple types: `name::type` (`binary`, `string`, `integer`, `atom`, `restuple`,
///   `rescode`), or just `type` when the name is empty;
/// * lists: `name::[ ELEM ]`, ELEM rendered at column `pad + len(name) + 4`;
/// * tuples: `name::{ F1, ⏎<pad'>F2, ⏎… Fn }` where `pad' = pad + len(name) + 4` is the column
///   of the first field (each `, ` before a newline leaves a trailing space); an empty tuple
///   renders as `name::{ ` (as 5.1 does).
///
/// A list or tuple with an empty name (never produced by 5.1) renders without the `name::`
/// prefix, with its content at `pad + 2`. No trailing newline.
pub fn render_type(named: &Named, pad: usize) -> String {
    if let Some(ty) = simple_type_name(&named.ty) {
        return if named.name.is_empty() {
            ty.to_string()
        } else {
            format!("{}::{}", named.name, ty)
        };
    }
    let (prefix, inner) = if named.name.is_empty() {
        (String::new(), pad + 2)
    } else {
        (format!("{}::", named.name), pad + char_len(named.name) + 4)
    };
    match &named.ty {
        Ty::List(elem) => format!("{prefix}[ {} ]", render_type(elem, inner)),
        Ty::Tuple(fields) => {
            let mut out = format!("{prefix}{{ ");
            let sep = format!(", \n{}", spaces(inner));
            let rendered: Vec<String> = fields.iter().map(|f| render_type(f, inner)).collect();
            out.push_str(&rendered.join(&sep));
            if !fields.is_empty() {
                out.push_str(" }");
            }
            out
        }
        _ => String::new(),
    }
}

/// The declared type of an argument as a named type (`{list, binary}` → `name::[ binary ]`).
fn arg_type(arg: &ArgSpec) -> Named {
    let ty = match arg.ty {
        ArgType::Binary => Ty::Binary,
        ArgType::String => Ty::String,
        ArgType::Integer => Ty::Integer,
        ArgType::BinaryList => Ty::List(&BARE_BINARY),
        ArgType::Switch => Ty::Atom,
    };
    Named { name: arg.name, ty }
}

/// One help block from its parts (shared by registered commands and `help help`).
fn block(
    name: &str,
    args: &[ArgSpec],
    result: &Named,
    tags: &[&str],
    desc: &str,
    long_desc: &str,
) -> String {
    let mut out = format!("\n  Command Name: {name}\n\n  Arguments: ");
    if args.is_empty() {
        out.push('\n');
    } else {
        for arg in args {
            out.push_str(&render_type(&arg_type(arg), ARGS_INDENT));
            out.push('\n');
            out.push_str(&spaces(ARGS_INDENT));
        }
    }
    out.push('\n');
    out.push_str("  Returns: ");
    out.push_str(&render_type(result, RETURNS_INDENT));
    out.push_str("\n\n  Tags: ");
    out.push_str(&wrap_words(TAGS_INDENT, tags.iter().copied()));
    out.push_str("\n\n  Description: ");
    out.push_str(&wrap(DESC_INDENT, desc));
    out.push_str("\n\n");
    if !long_desc.is_empty() {
        out.push_str(&wrap(0, long_desc));
        out.push_str("\n\n");
    }
    out
}

/// One `help CMD` block (cli-output §7.3), including its leading empty line and ending with
/// `Description: …·⏎⏎` (plus `LONGDESC⏎⏎` when the command has a long description):
///
/// ```text
/// ⏎  Command Name: NAME⏎⏎  Arguments: A1⏎<13 sp>A2⏎<13 sp>⏎  Returns: R⏎⏎
///   Tags: T1 T2 ⏎⏎  Description: DESC ⏎⏎[LONGDESC⏎⏎]
/// ```
/// Without arguments the arguments part is `  Arguments: ⏎⏎`. Tags are wrapped with indent 8
/// (in declaration order), the description with indent 15, the long description with 0.
pub fn help_block(cmd: &CommandSpec) -> String {
    block(
        cmd.name,
        cmd.args,
        &cmd.result,
        cmd.tags,
        cmd.desc,
        cmd.long_desc,
    )
}

/// One element of a compiled shell glob.
#[derive(Debug)]
enum GlobTok {
    /// `*`: any (possibly empty) text.
    Star,
    /// `?`: any one character.
    Any,
    /// A literal character.
    Lit(char),
    /// `[...]`: one character of (or, negated, not of) a set.
    Class { negated: bool, members: Vec<char> },
}

/// Compiles a shell glob the way 5.1 does (OTP `xmerl_regexp:sh_to_awk/1`, then PCRE):
/// `*`, `?`, `[set]`, `[!set]` (negation); `[^set]` is *not* a negation but a set that also
/// contains `^`; the exact sequence `[^]` is a literal `^`; a `]` right after `[`, `[!` or
/// `[^` is a member. Inside a set `\x` stands for `x`. Everything else is literal. `None` for
/// an unterminated set (5.1's regex fails to compile there; we treat it as matching nothing).
fn compile_glob(pattern: &str) -> Option<Vec<GlobTok>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                toks.push(GlobTok::Star);
                i += 1;
            }
            '?' => {
                toks.push(GlobTok::Any);
                i += 1;
            }
            '[' => {
                if chars.get(i + 1) == Some(&'^') && chars.get(i + 2) == Some(&']') {
                    toks.push(GlobTok::Lit('^'));
                    i += 3;
                    continue;
                }
                let (negated, with_caret, start) = match chars.get(i + 1) {
                    Some('^') => (false, true, i + 2),
                    Some('!') => (true, false, i + 2),
                    _ => (false, false, i + 1),
                };
                let mut members = Vec::new();
                let mut j = start;
                if chars.get(j) == Some(&']') {
                    members.push(']');
                    j += 1;
                }
                loop {
                    match chars.get(j) {
                        None => return None,
                        Some(']') => break,
                        Some('\\') => {
                            members.push(*chars.get(j + 1)?);
                            j += 2;
                        }
                        Some(&c) => {
                            members.push(c);
                            j += 1;
                        }
                    }
                }
                if with_caret {
                    members.push('^');
                }
                toks.push(GlobTok::Class { negated, members });
                i = j + 1;
            }
            c => {
                toks.push(GlobTok::Lit(c));
                i += 1;
            }
        }
    }
    Some(toks)
}

fn tok_matches(tok: &GlobTok, c: char) -> bool {
    match tok {
        GlobTok::Star => true,
        GlobTok::Any => c != '\n',
        GlobTok::Lit(l) => *l == c,
        GlobTok::Class { negated, members } => members.contains(&c) != *negated,
    }
}

/// Whole-string match of a compiled glob (iterative `*` backtracking).
fn glob_match(toks: &[GlobTok], name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    let (mut t, mut c) = (0usize, 0usize);
    let mut backtrack: Option<(usize, usize)> = None;
    while c < chars.len() {
        match toks.get(t) {
            Some(GlobTok::Star) => {
                backtrack = Some((t, c));
                t += 1;
            }
            Some(tok) if tok_matches(tok, chars[c]) => {
                t += 1;
                c += 1;
            }
            _ => match backtrack {
                Some((st, sc)) => {
                    t = st + 1;
                    c = sc + 1;
                    backtrack = Some((st, sc + 1));
                }
                None => return false,
            },
        }
    }
    toks[t.min(toks.len())..]
        .iter()
        .all(|tok| matches!(tok, GlobTok::Star))
}

/// `help CMD-OR-GLOB` (cli-output §7.3) over the registered `commands`.
///
/// Every `-` of `pattern` becomes `_` (inside `[...]` too, as in 5.1). If the result is
/// exactly a command name, that command is shown; otherwise it is a shell glob matched against
/// whole names, with 5.1's translation rules (OTP `xmerl_regexp:sh_to_awk`): `*` any text,
/// `?` one character, `[set]` one of a set, `[!set]` one character not in the set, `[^set]`
/// a set that also contains `^` (not a negation), `[^]` a literal `^`, a `]` right after the
/// opening bracket is a member, `\x` inside a set stands for `x`, everything else is literal.
/// An unterminated `[` (a regex compile error in 5.1) matches nothing. Matching blocks
/// ([`help_block`]) are printed sorted by name, separated by the line ` ~~~…~ ⏎` (a space,
/// 39 tildes, a space). No match → `Error: no command found that match: "X"⏎` with X the
/// pattern after the `-` replacement, `~p`-rendered ([`p_string`]). The result always
/// ends with a newline; exit code 0 in every case.
pub fn command_help(commands: &[&CommandSpec], pattern: &str) -> String {
    let pattern = pattern.replace('-', "_");
    let mut matched: Vec<&CommandSpec> = match commands.iter().find(|c| c.name == pattern) {
        Some(cmd) => vec![*cmd],
        None => match compile_glob(&pattern) {
            Some(toks) => commands
                .iter()
                .copied()
                .filter(|c| glob_match(&toks, c.name))
                .collect(),
            None => Vec::new(),
        },
    };
    if matched.is_empty() {
        return format!(
            "Error: no command found that match: {}\n",
            p_string(&pattern)
        );
    }
    matched.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let blocks: Vec<String> = matched.iter().map(|c| help_block(c)).collect();
    blocks.join(SEPARATOR)
}

/// A usage entry: name, argument names, description.
struct Entry<'a> {
    name: &'a str,
    args: Vec<Cow<'a, str>>,
    desc: &'a str,
}

impl Entry<'_> {
    fn len(&self) -> usize {
        char_len(self.name) + self.args.iter().map(|a| 1 + char_len(a)).sum::<usize>()
    }

    /// `NAME ARG1 ARG2 ` (each followed by one space).
    fn call(&self) -> String {
        let mut s = format!("{} ", self.name);
        for a in &self.args {
            s.push_str(a);
            s.push(' ');
        }
        s
    }
}

fn entry<'a>(cmd: &'a CommandSpec) -> Entry<'a> {
    let mut args: Vec<Cow<'a, str>> = cmd.args.iter().map(|a| Cow::Borrowed(a.name)).collect();
    args.extend(cmd.options.iter().map(|o| option_usage(o)));
    Entry {
        name: cmd.name,
        args,
        desc: cmd.desc,
    }
}

/// `[--name NAME]`: how the usage lists an extension command's flag.
fn option_usage(o: &crate::registry::OptSpec) -> Cow<'static, str> {
    let name = o.name;
    if o.ty == ArgType::Switch {
        return Cow::Owned(format!("[--{name}]"));
    }
    Cow::Owned(format!("[--{name} {}]", name.to_ascii_uppercase()))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Long,
    Dual,
}

/// The entries of the usage list, sorted by name (byte order, stable).
fn render_entries(mut entries: Vec<Entry<'_>>, mode: Mode) -> String {
    entries.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
    let max_len = entries.iter().map(Entry::len).max().unwrap_or(80);
    let mode = if mode == Mode::Dual && (MAX_C as i64 - max_len as i64) < 40 {
        Mode::Long
    } else {
        mode
    };
    let mut out = String::new();
    for e in &entries {
        match mode {
            Mode::Long => {
                out.push_str("\n  ");
                out.push_str(&e.call());
                out.push('\n');
                out.push_str(&spaces(LONG_DESC_INDENT));
                out.push_str(&wrap(LONG_DESC_INDENT, e.desc));
                out.push('\n');
            }
            Mode::Dual => {
                out.push_str("  ");
                out.push_str(&e.call());
                out.push_str(&spaces(max_len - e.len() + 1));
                out.push_str(&wrap(max_len + 4, e.desc));
                out.push('\n');
            }
        }
    }
    out
}

fn usage_with(commands: &[&CommandSpec], mode: Mode) -> String {
    let builtins = &crate::registry::BUILTINS;
    let mut entries: Vec<Entry<'_>> = builtins
        .iter()
        .filter_map(|b| {
            b.usage.map(|(args, desc)| Entry {
                name: b.name,
                args: args.iter().map(|a| Cow::Borrowed(*a)).collect(),
                desc,
            })
        })
        .collect();
    entries.extend(
        commands
            .iter()
            .filter(|c| !builtins.iter().any(|b| b.shadows && b.name == c.name))
            .map(|c| entry(c)),
    );
    format!(
        "{USAGE_HEADER}{}{USAGE_FOOTER}",
        render_entries(entries, mode)
    )
}

/// The usage text (cli-output §7.1) printed for no arguments and plain `help` (exit 2): the
/// header, the entries and the `Examples:` footer, ending with a newline.
///
/// Entries: the built-ins `status`, `stop`, `restart`, `help [--tags [tag] | com?*]`,
/// `mnesia [info]` plus every command of `commands` except those named `status`, `stop`,
/// `restart`; sorted by name. This is the dual mode, which falls back to the long mode when
/// `78 - MaxLen < 40` (always the case with the full command set).
pub fn usage(commands: &[&CommandSpec]) -> String {
    usage_with(commands, Mode::Dual)
}

/// `help --long`: the usage text with every entry in long mode
/// (`⏎  NAME ARG… ⏎        <description wrapped with indent 8>⏎`). Ends with a newline.
pub fn usage_long(commands: &[&CommandSpec]) -> String {
    usage_with(commands, Mode::Long)
}

/// `help --dual`: the usage text in dual mode (`  NAME ARG… <pad><description>⏎`, the
/// description starting at column MaxLen+4 and wrapped with that indent), falling back to the
/// long mode when `78 - MaxLen < 40`. Identical to [`usage`]. Ends with a newline.
pub fn usage_dual(commands: &[&CommandSpec]) -> String {
    usage_with(commands, Mode::Dual)
}

/// The tags of a command for `help --tags`: its tags, or `untagged` when it has none.
fn command_tags(cmd: &CommandSpec) -> Vec<&'static str> {
    if cmd.tags.is_empty() {
        vec!["untagged"]
    } else {
        cmd.tags.to_vec()
    }
}

/// `help --tags` (cli-output §7.4): `Available tags and commands:` then, for every tag in
/// byte order (commands without tags are listed under `untagged`), `⏎⏎  TAG⏎     ` followed
/// by the tag's command names (sorted) wrapped with indent 5; finally `⏎⏎`. So the text ends
/// with the last names line (ending in a space), a newline and an empty line.
pub fn tags(commands: &[&CommandSpec]) -> String {
    let mut by_tag: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for cmd in commands {
        for tag in command_tags(cmd) {
            by_tag.entry(tag).or_default().push(cmd.name);
        }
    }
    let mut out = String::from("Available tags and commands:");
    for (tag, mut names) in by_tag {
        names.sort_unstable();
        out.push_str("\n\n  ");
        out.push_str(tag);
        out.push_str("\n     ");
        out.push_str(&wrap_words(TAG_LIST_INDENT, names));
    }
    out.push_str("\n\n");
    out
}

/// `help --tags TAG` (cli-output §7.5): `Available commands with tag TAG:⏎`, then the
/// commands carrying TAG (`untagged` = commands without tags) as long-mode usage entries
/// sorted by name, then `⏎`. An unknown tag gives the header line followed by an empty line.
pub fn tag_commands(commands: &[&CommandSpec], tag: &str) -> String {
    let entries: Vec<Entry<'_>> = commands
        .iter()
        .filter(|c| command_tags(c).contains(&tag))
        .map(|c| entry(c))
        .collect();
    format!(
        "Available commands with tag {tag}:\n{}\n",
        render_entries(entries, Mode::Long)
    )
}

/// `help help` (cli-output §7.6): the [`help_block`]-style block of the pseudo-command
/// `help` (no arguments, `Returns: help::string`, no tags, description "Show help of
/// MongooseIM commands") followed by its long description wrapped with indent 0 and `⏎⏎`.
pub fn help_help() -> String {
    block("help", &[], &HELP_RESULT, &[], HELP_DESC, HELP_LONG_DESC)
}

/// The wrong-arity output (cli-output §4): `⏎M⏎<help block>M⏎` where M is
/// `Error: the command "CMD" requires N more argument.` (fewer arguments given than declared)
/// or `… requires N less argument.` (more given), CMD being `typed_name` as typed, rendered
/// with [`p_string`]. Ends with a newline. (With `given` equal to the declared count it
/// says `requires 0 less argument.`; callers only use it on a mismatch.)
pub fn arity_error(cmd: &CommandSpec, typed_name: &str, given: usize) -> String {
    let declared = cmd.args.len();
    let (n, word) = if given < declared {
        (declared - given, "more")
    } else {
        (given - declared, "less")
    };
    let m = format!(
        "Error: the command {} requires {n} {word} argument.",
        p_string(typed_name)
    );
    format!("\n{m}\n{}{m}\n", help_block(cmd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::types::Group;

    fn dummy(
        _: &mut crate::context::Ctx,
        _: &crate::registry::Args,
    ) -> crate::error::Result<crate::registry::Reply> {
        Ok(crate::registry::Reply::One(Box::new(
            crate::services::core::NoEffect {
                node: String::new(),
            },
        )))
    }

    const fn arg(name: &'static str, ty: ArgType) -> ArgSpec {
        ArgSpec {
            name,
            ty,
            secret: false,
        }
    }

    const fn named(name: &'static str, ty: Ty) -> Named {
        Named { name, ty }
    }

    const RES: Named = named("res", Ty::RestTuple);

    /// A command of the real registry: the expected texts below are the spec's, so these
    /// tests also check the registry entries against it.
    fn reg(name: &str) -> &'static CommandSpec {
        crate::registry::find(name).unwrap_or_else(|| panic!("{name} is not in the registry"))
    }

    const fn cmd(
        name: &'static str,
        args: &'static [ArgSpec],
        result: Named,
        tags: &'static [&'static str],
        desc: &'static str,
        long_desc: &'static str,
    ) -> CommandSpec {
        CommandSpec {
            name,
            group: Group::Accounts,
            args,
            options: &[],
            result,
            tags,
            desc,
            long_desc,
            available: crate::registry::Availability::Always,
            destructive: false,
            guarded: None,
            handler: dummy,
        }
    }

    static UNTAGGED: CommandSpec = cmd("zzz_untagged", &[], RES, &[], "No tags here", "");

    fn simple(name: &'static str, tags: &'static [&'static str]) -> CommandSpec {
        cmd(name, &[], RES, tags, "d", "")
    }

    const CHECK_ACCOUNT_BLOCK: &str = "\n  Command Name: check_account\n\n  Arguments: user::binary\n             host::binary\n             \n  Returns: res::restuple\n\n  Tags: accounts \n\n  Description: Check if an account exists or not \n\n";

    #[test]
    fn arity_error_check_account() {
        let expected = "\nError: the command \"check_account\" requires 1 more argument.\n\n  Command Name: check_account\n\n  Arguments: user::binary\n             host::binary\n             \n  Returns: res::restuple\n\n  Tags: accounts \n\n  Description: Check if an account exists or not \n\nError: the command \"check_account\" requires 1 more argument.\n";
        assert_eq!(
            arity_error(reg("check_account"), "check_account", 1),
            expected
        );
        // the same text as the spec example, line by line
        let lines: Vec<&str> = expected.split('\n').collect();
        assert_eq!(lines[0], "");
        assert_eq!(lines[7], " ".repeat(13));
        assert_eq!(lines[10], "  Tags: accounts ");
        let less = arity_error(reg("check_account"), "check-account", 5);
        assert!(less.starts_with("\nError: the command \"check-account\" requires 3 less argument.\n\n  Command Name: check_account\n"));
        assert!(
            less.ends_with("\n\nError: the command \"check-account\" requires 3 less argument.\n")
        );
        let none = arity_error(reg("check_account"), "check_account", 0);
        assert!(none.contains("requires 2 more argument."));
    }

    #[test]
    fn help_block_check_account() {
        assert_eq!(help_block(reg("check_account")), CHECK_ACCOUNT_BLOCK);
    }

    #[test]
    fn get_roster_returns_block() {
        let expected_returns = "  Returns: contacts::[ contact::{ jid::binary, \n                                  nick::binary, \n                                  subscription::binary, \n                                  ask::binary, \n                                  group::binary } ]\n";
        let block = help_block(reg("get_roster"));
        assert!(block.contains(expected_returns), "{block}");
        let expected = format!(
            "\n  Command Name: get_roster\n\n  Arguments: user::binary\n             host::binary\n             \n{expected_returns}\n  Tags: roster \n\n  Description: Get roster of a local user \n\n"
        );
        assert_eq!(block, expected);
        assert_eq!(
            render_type(&reg("get_roster").result, 11).lines().nth(1),
            Some("                                  nick::binary, ")
        );
    }

    #[test]
    fn type_rendering() {
        assert_eq!(render_type(&named("res", Ty::ResCode), 11), "res::rescode");
        assert_eq!(render_type(&named("n", Ty::Integer), 0), "n::integer");
        assert_eq!(render_type(&named("a", Ty::Atom), 0), "a::atom");
        assert_eq!(render_type(&named("", Ty::Binary), 0), "binary");
        static USERNAME: Named = named("username", Ty::Binary);
        assert_eq!(
            render_type(&named("users", Ty::List(&USERNAME)), 11),
            "users::[ username::binary ]"
        );
        static RES_FIELDS: [Named; 2] = [named("result", Ty::Atom), named("user", Ty::Binary)];
        static RES_T: Named = named("res", Ty::Tuple(&RES_FIELDS));
        // import_users: users::[res::{result::atom,user::binary}]
        assert_eq!(
            render_type(&named("users", Ty::List(&RES_T)), 11),
            format!(
                "users::[ res::{{ result::atom, \n{}user::binary }} ]",
                " ".repeat(27)
            )
        );
        assert_eq!(render_type(&named("t", Ty::Tuple(&[])), 0), "t::{ ");
        assert_eq!(
            render_type(&named("", Ty::List(&USERNAME)), 0),
            "[ username::binary ]"
        );
        // {list, binary} argument
        let block = help_block(reg("set_vcard2_multi"));
        assert!(block.contains(
            "  Arguments: user::binary\n             host::binary\n             name::binary\n             subname::binary\n             contents::[ binary ]\n             \n  Returns: res::restuple\n"
        ));
        let block = help_block(reg("set_last"));
        assert!(block.contains("             timestamp::integer\n"));
        assert!(block.ends_with("  Description: Set last activity information \n\nTimestamp is the seconds since1970-01-01 00:00:00 UTC, for example: date +%s \n\n"));
    }

    #[test]
    fn no_arguments_block() {
        assert_eq!(
            help_block(reg("get_cookie")),
            "\n  Command Name: get_cookie\n\n  Arguments: \n\n  Returns: cookie::string\n\n  Tags: erlang \n\n  Description: Get the Erlang cookie of this node \n\n"
        );
        assert_eq!(
            help_block(&UNTAGGED),
            "\n  Command Name: zzz_untagged\n\n  Arguments: \n\n  Returns: res::restuple\n\n  Tags: \n\n  Description: No tags here \n\n"
        );
    }

    #[test]
    fn word_wrap() {
        assert_eq!(wrap(15, ""), "");
        assert_eq!(wrap(15, "   "), "");
        assert_eq!(wrap(0, "a  b"), "a b ");
        assert_eq!(
            wrap(8, reg("join_cluster").desc),
            "Join the node to a cluster. Call it from the joining node.\n Use `-f` or `--force` flag to avoid question prompt and force \n        join the node "
        );
        // a first word that does not fit leaves an empty first line
        assert_eq!(
            wrap(70, "abcdefghij x"),
            format!("\n{}abcdefghij \n{}x ", " ".repeat(70), " ".repeat(70))
        );
        // boundary: word length + current column must be < 78 - indent
        let w = "x".repeat(9);
        let text = [w.as_str(); 8].join(" "); // 8 words of 9: 10 columns each
                                              // L = 78: 7 words take 70 columns, the 8th: 9 + 70 = 79 >= 78 -> new line
        assert_eq!(
            wrap(0, &text),
            format!("{} \n{} ", [w.as_str(); 7].join(" "), w)
        );
        let w8 = "x".repeat(7);
        // cur after 9 words of 7 = 72; next word of 5: 77 < 78 fits
        let text = format!("{} abcde f", [w8.as_str(); 9].join(" "));
        assert_eq!(
            wrap(0, &text),
            format!("{} abcde \nf ", [w8.as_str(); 9].join(" "))
        );
        // a newline inside a word resets the column to the word length + 1: without the
        // reset the 8th word after "b\n" would start a new line
        let nine = ["bbbbbbbbb"; 7].join(" ");
        let text = format!("{nine} b\n {nine}");
        assert_eq!(wrap(0, &text), format!("{nine} b\n {nine} "));
        // the length of a word with a newline counts all its characters
        let text = format!("{}\n {}", "a".repeat(60), nine);
        assert_eq!(
            wrap(0, &text),
            format!(
                "{}\n bbbbbbbbb \n{} ",
                "a".repeat(60),
                ["bbbbbbbbb"; 6].join(" ")
            )
        );
    }

    #[test]
    fn long_description_wrapped_with_indent_0() {
        static HTTP: CommandSpec = cmd(
            "http_upload",
            &[],
            RES,
            &["http", "upload"],
            "Generate upload/download URLs for the file",
            "Returns upload/download URLs generated by mod_http_upload. Example:\n mongooseimctl http_upload localhost tmp.txt 5 '' 60",
        );
        let b = help_block(&HTTP);
        assert!(b.contains("  Tags: http upload \n\n"));
        assert!(b.ends_with("\n\nReturns upload/download URLs generated by mod_http_upload. Example:\n mongooseimctl http_upload localhost tmp.txt 5 '' 60 \n\n"), "{b:?}");
    }

    #[test]
    fn tags_listing() {
        let names = [
            ("ban_account", &["accounts"][..]),
            ("change_password", &["accounts"]),
            ("check_account", &["accounts"]),
            ("check_password", &["accounts"]),
            ("check_password_hash", &["accounts"]),
            ("delete_old_users", &["accounts", "purge"]),
            ("delete_old_users_vhost", &["accounts", "purge"]),
            ("import_users", &["accounts"]),
            ("num_active_users", &["accounts", "stats"]),
            ("register", &["accounts"]),
            ("register_identified", &["accounts"]),
            ("registered_users", &["accounts"]),
            ("unregister", &["accounts"]),
            ("insert_domain", &["domain"]),
            ("delete_domain", &["domain"]),
            ("disable_domain", &["domain"]),
            ("enable_domain", &["domain"]),
        ];
        let specs: Vec<CommandSpec> = names.iter().rev().map(|(n, t)| simple(n, t)).collect();
        let mut refs: Vec<&CommandSpec> = specs.iter().collect();
        refs.push(&UNTAGGED);
        let expected = "Available tags and commands:

  accounts
     ban_account change_password check_account check_password 
     check_password_hash delete_old_users delete_old_users_vhost import_users 
     num_active_users register register_identified registered_users unregister 

  domain
     delete_domain disable_domain enable_domain insert_domain 

  purge
     delete_old_users delete_old_users_vhost 

  stats
     num_active_users 

  untagged
     zzz_untagged 

";
        assert_eq!(tags(&refs), expected);
        assert_eq!(tags(&[]), "Available tags and commands:\n\n");
    }

    #[test]
    fn tag_commands_listing() {
        let all: Vec<&CommandSpec> = vec![
            reg("get_roster"),
            reg("check_account"),
            reg("status"),
            reg("join_cluster"),
        ];
        assert_eq!(
            tag_commands(&all, "server"),
            "Available commands with tag server:\n\n  join_cluster node \n        Join the node to a cluster. Call it from the joining node.\n Use `-f` or `--force` flag to avoid question prompt and force \n        join the node \n\n  status \n        Get status of the ejabberd server \n\n"
        );
        assert_eq!(
            tag_commands(&all, "nope"),
            "Available commands with tag nope:\n\n"
        );
        let with_untagged: Vec<&CommandSpec> = vec![&UNTAGGED, reg("check_account")];
        assert_eq!(
            tag_commands(&with_untagged, "untagged"),
            "Available commands with tag untagged:\n\n  zzz_untagged \n        No tags here \n\n"
        );
    }

    const HEADER: &str = "Usage: mongooseimctl [--node nodename] [--auth user host password] command [options]\n\nAvailable commands in this MongooseIM node:\n";
    const FOOTER: &str =
        "\nExamples:\n  mongooseimctl restart\n  mongooseimctl --node mongooseim@host restart\n";

    #[test]
    fn usage_dual_mode() {
        let cmds: Vec<&CommandSpec> = vec![reg("status"), reg("check_account")];
        let expected = format!(
            "{HEADER}  check_account user host      Check if an account exists or not 
  help [--tags [tag] | com?*]  Show help (try: mongooseimctl help help) 
  mnesia [info]                show information of Mnesia system 
  restart                      Restart MongooseIM 
  status                       Get MongooseIM status 
  stop                         Stop MongooseIM 
{FOOTER}"
        );
        assert_eq!(usage(&cmds), expected);
        assert_eq!(usage_dual(&cmds), expected);
    }

    #[test]
    fn usage_long_mode() {
        let cmds: Vec<&CommandSpec> = vec![reg("check_account"), reg("status")];
        let expected = format!(
            "{HEADER}
  check_account user host 
        Check if an account exists or not 

  help [--tags [tag] | com?*] 
        Show help (try: mongooseimctl help help) 

  mnesia [info] 
        show information of Mnesia system 

  restart 
        Restart MongooseIM 

  status 
        Get MongooseIM status 

  stop 
        Stop MongooseIM 
{FOOTER}"
        );
        assert_eq!(usage_long(&cmds), expected);
    }

    #[test]
    fn usage_falls_back_to_long() {
        // add_rosteritem: 14 + 50 = 64 -> 78 - 64 < 40
        let cmds: Vec<&CommandSpec> = vec![reg("add_rosteritem"), reg("check_account")];
        let text = usage(&cmds);
        assert_eq!(text, usage_long(&cmds));
        assert!(text.contains("\n  add_rosteritem localuser localserver user server nick group subs \n        Add an item to a user's roster (supports RDBMS) \n"));
        // dual mode with descriptions wrapped at column MaxLen + 4
        static LONG_ARGS: CommandSpec = cmd(
            "abc",
            &[
                arg("aaaaaaaaaa", ArgType::Binary),
                arg("bbbbbbbbbb", ArgType::Binary),
                arg("cccccccccc", ArgType::Binary),
            ],
            RES,
            &[],
            "one two three four five six seven eight nine ten eleven twelve",
            "",
        );
        // len = 3 + 33 = 36; 78 - 36 = 42 >= 40 -> dual, indent 40, L = 38
        let text = usage_dual(&[&LONG_ARGS]);
        assert!(text.contains(&format!(
            "  abc aaaaaaaaaa bbbbbbbbbb cccccccccc  one two three four five six seven \n{}eight nine ten eleven twelve \n  help",
            " ".repeat(40)
        )), "{text}");
        // one more column -> long
        static LONGER_ARGS: CommandSpec = cmd(
            "abcdefghi",
            &[
                arg("aaaaaaaaaa", ArgType::Binary),
                arg("bbbbbbbbbb", ArgType::Binary),
                arg("cccccccccc", ArgType::Binary),
            ],
            RES,
            &[],
            "x",
            "",
        );
        assert_eq!(usage(&[&LONGER_ARGS]), usage_long(&[&LONGER_ARGS]));
    }

    #[test]
    fn command_help_exact_and_glob() {
        let check_password = cmd(
            "check_password",
            reg("check_password").args,
            RES,
            &["accounts"],
            "d1",
            "",
        );
        let check_password_hash = cmd(
            "check_password_hash",
            reg("check_account").args,
            RES,
            &["accounts"],
            "d2",
            "",
        );
        let all: Vec<&CommandSpec> = vec![
            reg("get_roster"),
            &check_password_hash,
            reg("check_account"),
            &check_password,
            reg("status"),
        ];
        assert_eq!(command_help(&all, "check-account"), CHECK_ACCOUNT_BLOCK);
        assert_eq!(command_help(&all, "check_account"), CHECK_ACCOUNT_BLOCK);
        let sep = format!(" {} \n", "~".repeat(39));
        let glob = command_help(&all, "check*");
        assert_eq!(
            glob,
            format!(
                "{CHECK_ACCOUNT_BLOCK}{sep}{}{sep}{}",
                help_block(&check_password),
                help_block(&check_password_hash)
            )
        );
        assert_eq!(
            command_help(&all, "check_passwor?"),
            help_block(&check_password)
        );
        assert_eq!(
            command_help(&all, "*hash"),
            help_block(&check_password_hash)
        );
        assert_eq!(
            command_help(&all, "[gs]*"),
            format!(
                "{}{sep}{}",
                help_block(reg("get_roster")),
                help_block(reg("status"))
            )
        );
        assert_eq!(command_help(&all, "[!c]*"), command_help(&all, "[gs]*"));
        assert_eq!(command_help(&all, "status"), help_block(reg("status")));
        assert_eq!(
            command_help(&all, "check"),
            "Error: no command found that match: \"check\"\n"
        );
        assert_eq!(
            command_help(&all, "mnesia"),
            "Error: no command found that match: \"mnesia\"\n"
        );
        assert_eq!(
            command_help(&all, "a\"b\\c-d"),
            "Error: no command found that match: \"a\\\"b\\\\c_d\"\n"
        );
        assert_eq!(
            command_help(&all, "[check"),
            "Error: no command found that match: \"[check\"\n"
        );
        assert_eq!(
            command_help(&all, ""),
            "Error: no command found that match: []\n"
        );
    }

    #[test]
    fn glob_rules() {
        let m = |p: &str, n: &str| compile_glob(p).is_some_and(|t| glob_match(&t, n));
        assert!(m("*", ""));
        assert!(m("*", "abc"));
        assert!(m("a*c", "abbbc"));
        assert!(m("a*c", "ac"));
        assert!(!m("a*c", "acb"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(m("?", "x"));
        assert!(!m("?", ""));
        assert!(!m("?", "xy"));
        assert!(m("[abc]x", "bx"));
        assert!(!m("[abc]x", "dx"));
        assert!(m("[!abc]x", "dx"));
        assert!(!m("[!abc]x", "ax"));
        // [^...] is not a negation: it also contains '^'
        assert!(m("[^abc]", "a"));
        assert!(m("[^abc]", "^"));
        assert!(!m("[^abc]", "d"));
        // [^] is a literal caret
        assert!(m("a[^]", "a^"));
        // ']' first in a set is a member
        assert!(m("[]a]", "]"));
        assert!(m("[!]a]", "b"));
        assert!(!m("[!]a]", "]"));
        // regex metacharacters are literal
        assert!(m("a.b", "a.b"));
        assert!(!m("a.b", "axb"));
        assert!(m("a+(b)|$", "a+(b)|$"));
        assert!(m("a]", "a]"));
        assert!(m("[\\]]", "]"));
        // unterminated set
        assert!(compile_glob("[abc").is_none());
        assert!(compile_glob("[^abc").is_none());
        assert!(compile_glob("[").is_none());
        assert!(compile_glob("[\\").is_none());
    }

    #[test]
    fn erlang_string_rendering() {
        assert_eq!(p_string("check_account"), "\"check_account\"");
        assert_eq!(p_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(p_string("a\tb\nc"), "\"a\\tb\\nc\"");
        assert_eq!(p_string(""), "[]");
        assert_eq!(p_string("\u{e9}"), "\"\u{e9}\""); // C3 A9: both printable Latin-1
        assert_eq!(p_string("\u{142}"), "[197,130]"); // C5 82: 0x82 is not printable
        assert_eq!(p_string("a\u{1}"), "[97,1]");
        assert_eq!(p_string("\u{7f}"), "[127]");
    }

    #[test]
    fn help_help_block() {
        let text = help_help();
        assert!(text.starts_with(
            "\n  Command Name: help\n\n  Arguments: \n\n  Returns: help::string\n\n  Tags: \n\n  Description: Show help of MongooseIM commands \n\n"
        ));
        assert!(text.ends_with(" \n\n"));
        for needle in [
            "--tags",
            "tag",
            "command",
            "com?*",
            "mongooseimctl help",
            "mongooseimctl help --tags",
            "mongooseimctl help --tags accounts",
            "mongooseimctl help register",
            "mongooseimctl help regist*",
            "'*'",
        ] {
            assert!(text.contains(needle), "{needle}");
        }
        // the long description went through the indent-0 wrap: no runs of spaces after the
        // block header, no line longer than 78 + 1 columns (words end with a space)
        let long = &text[text.find("commands \n\n").unwrap_or(0) + 11..];
        assert_eq!(wrap(0, HELP_LONG_DESC) + "\n\n", long);
        assert!(long.lines().all(|l| l.chars().count() <= 79), "{long}");
    }
}
