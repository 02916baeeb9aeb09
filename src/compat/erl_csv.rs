//! CSV as erl_csv 0.2.0 encodes it (commands.md §12): fields separated by `,`, every record
//! (the header too) ended by one LF, a field enclosed in `"` with inner `"` doubled iff it
//! contains `,`, `"`, CR or LF; bytes are written as they are (no BOM, no re-encoding).
//! Also `calendar:system_time_to_rfc3339/2` with `{offset, "Z"}` for the timestamps of the
//! export.

use std::io::{self, Write};

use crate::clock::date_time;

/// Whether erl_csv encloses this field in double quotes.
pub fn needs_quotes(field: &[u8]) -> bool {
    field
        .iter()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
}

/// Write one field (quoted if needed).
pub fn write_field(out: &mut impl Write, field: &[u8]) -> io::Result<()> {
    if !needs_quotes(field) {
        return out.write_all(field);
    }
    out.write_all(b"\"")?;
    let mut rest = field;
    while let Some(i) = rest.iter().position(|&b| b == b'"') {
        out.write_all(&rest[..=i])?;
        out.write_all(b"\"")?;
        rest = &rest[i + 1..];
    }
    out.write_all(rest)?;
    out.write_all(b"\"")
}

/// Write one record: the fields separated by `,`, then LF.
pub fn write_record(out: &mut impl Write, fields: &[&[u8]]) -> io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_field(out, f)?;
    }
    out.write_all(b"\n")
}

/// `calendar:system_time_to_rfc3339(Micros div 10⁶, [{offset, "Z"}])`: whole seconds
/// (microseconds rounded down, as `erlang:convert_time_unit` does), e.g.
/// `2022-06-01T12:00:00Z`.
pub fn rfc3339_seconds(micros: i64) -> String {
    format!("{}Z", date_time(micros.div_euclid(1_000_000)))
}

/// `calendar:system_time_to_rfc3339(Micros, [{offset, "Z"}, {unit, microsecond}])`: six
/// fraction digits, e.g. `2022-06-01T12:00:00.000123Z`.
pub fn rfc3339_micros(micros: i64) -> String {
    format!(
        "{}.{:06}Z",
        date_time(micros.div_euclid(1_000_000)),
        micros.rem_euclid(1_000_000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&str]) -> String {
        let mut out = Vec::new();
        let fields: Vec<&[u8]> = fields.iter().map(|f| f.as_bytes()).collect();
        write_record(&mut out, &fields).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(record(&["jid", "vcard"]), "jid,vcard\n");
        assert_eq!(record(&["a b", "<x y='1'/>", ""]), "a b,<x y='1'/>,\n");
        assert_eq!(record(&["a,b"]), "\"a,b\"\n");
        assert_eq!(record(&["say \"hi\""]), "\"say \"\"hi\"\"\"\n");
        assert_eq!(record(&["\"", "x"]), "\"\"\"\",x\n");
        assert_eq!(record(&["l1\nl2", "cr\r"]), "\"l1\nl2\",\"cr\r\"\n");
        assert_eq!(record(&["tab\there;semi"]), "tab\there;semi\n");
        assert_eq!(record(&[]), "\n");
    }

    #[test]
    fn timestamps_are_utc_rfc3339() {
        assert_eq!(rfc3339_seconds(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            rfc3339_seconds(1_654_000_000_999_999),
            "2022-05-31T12:26:40Z"
        );
        assert_eq!(rfc3339_seconds(-1), "1969-12-31T23:59:59Z");
        assert_eq!(
            rfc3339_micros(1_654_000_000_000_123),
            "2022-05-31T12:26:40.000123Z"
        );
        assert_eq!(
            rfc3339_micros(951_782_400_000_000),
            "2000-02-29T00:00:00.000000Z"
        );
        assert_eq!(
            rfc3339_seconds(253_402_300_799_000_000),
            "9999-12-31T23:59:59Z"
        );
        for secs in [0i64, 59, 86_399, 951_782_400, 1_700_000_000, 4_102_444_800] {
            assert_eq!(
                rfc3339_seconds(secs * 1_000_000),
                crate::clock::rfc3339_secs(secs)
            );
        }
    }
}
