//! `-o table`: lists rendered with comfy-table and a header row; scalars and messages print
//! as in `text`.

use comfy_table::{
    presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED},
    ContentArrangement, Table,
};

use super::Legacy;
use crate::registry::{CommandSpec, Ty};

/// A cell's text, terminal-safe: every control character but LF (which comfy-table lays out
/// as a line break inside the cell) is escaped, TAB included.
fn cell(v: &Legacy) -> String {
    let raw = match v {
        Legacy::Text(s) => s.clone(),
        Legacy::Int(i) => i.to_string(),
        other => super::text::render(other)
            .trim_end_matches('\n')
            .to_string(),
    };
    super::text::escape_controls(&raw, false).into_owned()
}

/// How tables are drawn (docs/output.md): ASCII borders instead of UTF-8 ones (`TERM=dumb`
/// or a non-UTF-8 locale), and without the header row (`--no-headers`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableStyle {
    pub ascii: bool,
    pub no_headers: bool,
}

pub fn render(cmd: &CommandSpec, value: &Legacy, tty: bool, style: TableStyle) -> String {
    let (Ty::List(elem), Legacy::List(items)) = (&cmd.result.ty, value) else {
        return super::text::render(value);
    };
    let mut table = Table::new();
    table.load_preset(if style.ascii {
        ASCII_FULL_CONDENSED
    } else {
        UTF8_FULL_CONDENSED
    });
    // Wrap to the terminal's width only when it is known and sensible (a pseudo-terminal may
    // report 0 columns).
    if tty && table.width().is_some_and(|w| w >= 40) {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    match &elem.ty {
        Ty::Tuple(fields) => {
            if !style.no_headers {
                table.set_header(fields.iter().map(|f| f.name));
            }
            for item in items {
                match item {
                    Legacy::Tuple(vals) => table.add_row(vals.iter().map(cell)),
                    other => table.add_row(vec![cell(other)]),
                };
            }
        }
        _ => {
            if !style.no_headers {
                table.set_header(vec![if elem.name.is_empty() {
                    cmd.result.name
                } else {
                    elem.name
                }]);
            }
            for item in items {
                table.add_row(vec![cell(item)]);
            }
        }
    }
    format!("{table}\n")
}
