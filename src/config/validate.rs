//! A small declarative validation engine for TOML trees.
//!
//! A section of the configuration is described by a [`Spec`] (the keys it may contain, each with
//! a value type [`Ty`], and the keys it requires). [`Ctx::check`] walks a TOML value against a
//! type and *collects* every problem as a [`ConfigError`] carrying the dotted TOML path (list
//! items are not part of the path) and the offending value rendered as TOML.

use std::collections::{HashMap, HashSet};

use toml::{Table, Value};

use super::ConfigError;

/// A hand-written check for values the declarative types cannot express.
/// Returns `true` when the value is valid; it must push its own errors otherwise.
pub(crate) type CustomCheck = fn(&mut Ctx, &str, &Value) -> bool;

/// The type (and validator) of one TOML value.
pub(crate) enum Ty {
    /// Anything at all.
    Any,
    Bool,
    /// Any string, possibly empty.
    Str,
    /// A non-empty string.
    NonEmpty,
    /// An integer > 0.
    Positive,
    /// An integer >= 0.
    NonNegative,
    /// An integer in 0..=65535.
    Port,
    /// A positive integer or the string "infinity".
    PositiveOrInfinity,
    /// A non-negative integer or the string "infinity".
    NonNegativeOrInfinity,
    /// An integer or a non-empty string.
    IntOrStr,
    /// One of the listed strings.
    Enum(&'static [&'static str]),
    /// An array whose items all have the given type.
    List(&'static Ty),
    /// Like `List`, and no item may appear twice.
    UniqueList(&'static Ty),
    /// Like `UniqueList`, and the array may not be empty.
    UniqueNonEmptyList(&'static Ty),
    /// A table described by a spec.
    Table(&'static Spec),
    /// A table with any content.
    AnyTable,
    /// A hand-written check.
    Custom(CustomCheck),
}

/// The shape of a TOML table.
pub(crate) struct Spec {
    /// Known keys and their types.
    pub keys: &'static [(&'static str, Ty)],
    /// Keys that must be present.
    pub required: &'static [&'static str],
    /// Type of any key not listed in `keys`; `None` = such keys are `unexpected_key` errors.
    pub other: Option<&'static Ty>,
}

impl Spec {
    pub(crate) fn key_names(&self) -> Vec<&'static str> {
        self.keys.iter().map(|(k, _)| *k).collect()
    }
}

/// Joins a dotted TOML path and a key.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Renders a TOML value the way it would be written in a file (inline form).
pub(crate) fn render(v: &Value) -> String {
    v.to_string()
}

/// Shortens a rendered value for use inside a one-line message.
fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    let one_line = collapse_whitespace(s);
    if one_line.chars().count() <= MAX {
        one_line
    } else {
        let mut out: String = one_line.chars().take(MAX).collect();
        out.push_str("...");
        out
    }
}

/// Replaces every run of whitespace (including newlines) with a single space.
pub(crate) fn collapse_whitespace(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a datetime",
        Value::Array(_) => "an array",
        Value::Table(_) => "a table",
    }
}

/// Collects errors and warnings while a configuration is validated.
#[derive(Debug, Default)]
pub(crate) struct Ctx {
    pub errors: Vec<ConfigError>,
    pub warnings: Vec<String>,
}

impl Ctx {
    /// Records an error about a value (`value` = the bad value) or about a section (`None`).
    pub(crate) fn error(&mut self, path: &str, value: Option<&Value>, reason: &str, detail: &str) {
        let rendered = value.map(render);
        let mut text = match &rendered {
            Some(r) => format!("invalid value {}: {reason}", shorten(r)),
            None => reason.to_string(),
        };
        if !detail.is_empty() {
            text.push_str(&format!(" ({detail})"));
        }
        self.errors.push(ConfigError {
            path: path.to_string(),
            value: rendered,
            reason: reason.to_string(),
            text,
        });
    }

    pub(crate) fn warn(&mut self, path: &str, message: &str) {
        self.warnings.push(format!("{path}: {message}"));
    }

    pub(crate) fn wrong_type(&mut self, path: &str, v: &Value, expected: &str) {
        let detail = format!("expected {expected}, got {}", type_name(v));
        self.error(path, Some(v), "wrong_type", &detail);
    }

    /// `key` (with value `v`) is not allowed in the section at `parent`.
    pub(crate) fn unexpected_key(&mut self, parent: &str, key: &str, v: &Value, allowed: &[&str]) {
        let path = join(parent, key);
        let rendered = render(v);
        let allowed = if allowed.is_empty() {
            "this section takes no keys".to_string()
        } else {
            format!("allowed keys: {}", allowed.join(", "))
        };
        self.errors.push(ConfigError {
            text: format!(
                "unknown key {key} = {}: unexpected_key ({allowed})",
                shorten(&rendered)
            ),
            path,
            value: Some(rendered),
            reason: "unexpected_key".to_string(),
        });
    }

    /// The section at `path` lacks the mandatory `keys`.
    pub(crate) fn missing_keys(&mut self, path: &str, keys: &[&str]) {
        let full: Vec<String> = keys.iter().map(|k| join(path, k)).collect();
        let detail = format!("required: {}", full.join(", "));
        self.error(path, None, "missing_mandatory_keys", &detail);
    }

    pub(crate) fn not_unique(&mut self, path: &str, item: &Value) {
        self.error(
            path,
            Some(item),
            "not_unique",
            "duplicate item in a list whose items must be unique",
        );
    }

    /// Checks `v` against `ty`; returns `true` when it is valid.
    pub(crate) fn check(&mut self, path: &str, v: &Value, ty: &Ty) -> bool {
        match ty {
            Ty::Any => true,
            Ty::Bool => {
                let ok = v.is_bool();
                if !ok {
                    self.wrong_type(path, v, "a boolean");
                }
                ok
            }
            Ty::Str => {
                let ok = v.is_str();
                if !ok {
                    self.wrong_type(path, v, "a string");
                }
                ok
            }
            Ty::NonEmpty => self.check_non_empty(path, v),
            Ty::Positive => self.check_int(path, v, 1),
            Ty::NonNegative => self.check_int(path, v, 0),
            Ty::Port => match v {
                Value::Integer(i) if (0..=65535).contains(i) => true,
                Value::Integer(_) => {
                    self.error(
                        path,
                        Some(v),
                        "invalid_port",
                        "expected an integer 0..65535",
                    );
                    false
                }
                _ => {
                    self.wrong_type(path, v, "an integer (port number)");
                    false
                }
            },
            Ty::PositiveOrInfinity | Ty::NonNegativeOrInfinity => match v {
                Value::String(s) if s == "infinity" => true,
                Value::Integer(_) => {
                    let min = if matches!(ty, Ty::PositiveOrInfinity) {
                        1
                    } else {
                        0
                    };
                    self.check_int(path, v, min)
                }
                _ => {
                    self.wrong_type(path, v, "an integer or \"infinity\"");
                    false
                }
            },
            Ty::IntOrStr => match v {
                Value::Integer(_) => true,
                Value::String(_) => self.check_non_empty(path, v),
                _ => {
                    self.wrong_type(path, v, "an integer or a string");
                    false
                }
            },
            Ty::Enum(allowed) => self.check_enum(path, v, allowed),
            Ty::List(item) => self.check_list(path, v, item, false, false),
            Ty::UniqueList(item) => self.check_list(path, v, item, true, false),
            Ty::UniqueNonEmptyList(item) => self.check_list(path, v, item, true, true),
            Ty::Table(spec) => match v {
                Value::Table(t) => self.check_fields(path, t, spec),
                _ => {
                    self.wrong_type(path, v, "a table");
                    false
                }
            },
            Ty::AnyTable => {
                let ok = v.is_table();
                if !ok {
                    self.wrong_type(path, v, "a table");
                }
                ok
            }
            Ty::Custom(f) => f(self, path, v),
        }
    }

    /// Checks the keys of table `t` (at `path`) against `spec`.
    pub(crate) fn check_fields(&mut self, path: &str, t: &Table, spec: &Spec) -> bool {
        let before = self.errors.len();
        for (key, value) in t {
            match spec.keys.iter().find(|(k, _)| k == key) {
                Some((_, ty)) => {
                    self.check(&join(path, key), value, ty);
                }
                None => match spec.other {
                    Some(ty) => {
                        self.check(&join(path, key), value, ty);
                    }
                    None => self.unexpected_key(path, key, value, &spec.key_names()),
                },
            }
        }
        let missing: Vec<&str> = spec
            .required
            .iter()
            .copied()
            .filter(|k| !t.contains_key(*k))
            .collect();
        if !missing.is_empty() {
            self.missing_keys(path, &missing);
        }
        self.errors.len() == before
    }

    /// Checks that `v` is a table (else `wrong_type`) and returns it.
    pub(crate) fn table<'a>(&mut self, path: &str, v: &'a Value) -> Option<&'a Table> {
        match v {
            Value::Table(t) => Some(t),
            _ => {
                self.wrong_type(path, v, "a table");
                None
            }
        }
    }

    fn check_non_empty(&mut self, path: &str, v: &Value) -> bool {
        match v {
            Value::String(s) if !s.is_empty() => true,
            Value::String(_) => {
                self.error(path, Some(v), "non_empty", "expected a non-empty string");
                false
            }
            _ => {
                self.wrong_type(path, v, "a non-empty string");
                false
            }
        }
    }

    fn check_int(&mut self, path: &str, v: &Value, min: i64) -> bool {
        match v {
            Value::Integer(i) if *i >= min => true,
            Value::Integer(_) if min > 0 => {
                self.error(path, Some(v), "not_positive", "expected an integer > 0");
                false
            }
            Value::Integer(_) => {
                self.error(path, Some(v), "non_negative", "expected an integer >= 0");
                false
            }
            _ => {
                self.wrong_type(path, v, "an integer");
                false
            }
        }
    }

    fn check_enum(&mut self, path: &str, v: &Value, allowed: &[&str]) -> bool {
        match v {
            Value::String(s) if allowed.contains(&s.as_str()) => true,
            Value::String(_) => {
                let detail = format!("expected one of {}", allowed.join(", "));
                self.error(path, Some(v), "validate_enum_failed", &detail);
                false
            }
            _ => {
                let detail = format!("one of {}", allowed.join(", "));
                self.wrong_type(path, v, &format!("a string, {detail}"));
                false
            }
        }
    }

    fn check_list(
        &mut self,
        path: &str,
        v: &Value,
        item: &Ty,
        unique: bool,
        non_empty: bool,
    ) -> bool {
        let Value::Array(items) = v else {
            self.wrong_type(path, v, "an array");
            return false;
        };
        let mut ok = true;
        for it in items {
            ok &= self.check(path, it, item);
        }
        if non_empty && items.is_empty() {
            self.error(path, Some(v), "non_empty", "expected a non-empty array");
            ok = false;
        }
        if unique {
            ok &= self.check_unique(path, items);
        }
        ok
    }

    /// Reports each value that occurs more than once in `items` (once per value, at its first
    /// occurrence, in list order). Linear for strings, integers and booleans (hashed); other
    /// values (floats, arrays, tables, datetimes), whose equality is not a hash key, are compared
    /// pairwise among themselves only (issue 7 item 10).
    pub(crate) fn check_unique(&mut self, path: &str, items: &[Value]) -> bool {
        #[derive(PartialEq, Eq, Hash)]
        enum Key<'a> {
            Str(&'a str),
            Int(i64),
            Bool(bool),
        }
        fn key(v: &Value) -> Option<Key<'_>> {
            match v {
                Value::String(s) => Some(Key::Str(s)),
                Value::Integer(i) => Some(Key::Int(*i)),
                Value::Boolean(b) => Some(Key::Bool(*b)),
                _ => None,
            }
        }
        let mut counts: HashMap<Key, usize> = HashMap::with_capacity(items.len());
        let mut others: Vec<&Value> = Vec::new();
        for it in items {
            match key(it) {
                Some(k) => *counts.entry(k).or_insert(0) += 1,
                None => others.push(it),
            }
        }
        let mut ok = true;
        let mut reported: HashSet<Key> = HashSet::new();
        let mut other_index = 0;
        for it in items {
            let duplicate = match key(it) {
                Some(k) => counts.get(&k).is_some_and(|n| *n > 1) && reported.insert(k),
                None => {
                    let i = other_index;
                    other_index += 1;
                    let first = others.iter().position(|x| *x == it) == Some(i);
                    first && others[i + 1..].contains(&it)
                }
            };
            if duplicate {
                self.not_unique(path, it);
                ok = false;
            }
        }
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: Spec = Spec {
        keys: &[("n", Ty::Positive), ("e", Ty::Enum(&["a", "b"]))],
        required: &["n"],
        other: None,
    };
    static OUTER: Spec = Spec {
        keys: &[
            ("inner", Ty::Table(&INNER)),
            ("list", Ty::UniqueList(&Ty::NonEmpty)),
            ("nel", Ty::UniqueNonEmptyList(&Ty::Str)),
            ("port", Ty::Port),
            ("inf", Ty::PositiveOrInfinity),
        ],
        required: &[],
        other: None,
    };

    fn run(text: &str) -> Vec<ConfigError> {
        let t: Table = text.parse().unwrap();
        let mut cx = Ctx::default();
        cx.check_fields("root", &t, &OUTER);
        cx.errors
    }

    #[test]
    fn valid_table_passes() {
        let errs = run("inner = {n = 1, e = \"a\"}\nlist = [\"x\", \"y\"]\nnel = [\"\"]\nport = 80\ninf = \"infinity\"");
        assert!(errs.is_empty(), "{errs:?}");
    }

    #[test]
    fn collects_all_errors_with_paths_and_values() {
        let errs = run(
            "inner = {n = 0, e = \"c\", z = 1}\nlist = [\"x\", \"x\", \"\"]\nnel = []\nport = 70000\ninf = \"forever\"\nbogus = true",
        );
        let got: Vec<(&str, Option<&str>, &str)> = errs
            .iter()
            .map(|e| (e.path.as_str(), e.value.as_deref(), e.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("root.inner.n", Some("0"), "not_positive"),
                ("root.inner.e", Some("\"c\""), "validate_enum_failed"),
                ("root.inner.z", Some("1"), "unexpected_key"),
                ("root.list", Some("\"\""), "non_empty"),
                ("root.list", Some("\"x\""), "not_unique"),
                ("root.nel", Some("[]"), "non_empty"),
                ("root.port", Some("70000"), "invalid_port"),
                ("root.inf", Some("\"forever\""), "wrong_type"),
                ("root.bogus", Some("true"), "unexpected_key"),
            ]
        );
    }

    #[test]
    fn missing_mandatory_key_is_reported_on_the_section() {
        let errs = run("inner = {e = \"a\"}");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].path, "root.inner");
        assert_eq!(errs[0].reason, "missing_mandatory_keys");
        assert_eq!(errs[0].value, None);
        assert!(errs[0].text.contains("root.inner.n"), "{}", errs[0].text);
    }

    /// The hashed duplicate check reports exactly what the pairwise one did: each value that
    /// occurs more than once, once, at its first occurrence, in list order, for values of
    /// every type (tables compare regardless of key order).
    #[test]
    fn check_unique_agrees_with_the_pairwise_check() {
        use proptest::prelude::*;
        fn naive(items: &[Value]) -> Vec<String> {
            let mut out = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let first = items.iter().position(|x| x == it) == Some(i);
                if first && items[i + 1..].contains(it) {
                    out.push(render(it));
                }
            }
            out
        }
        let value = prop_oneof![
            (0i64..3).prop_map(Value::Integer),
            prop::sample::select(vec!["a", "b", "1"]).prop_map(|s| Value::String(s.into())),
            any::<bool>().prop_map(Value::Boolean),
            prop::sample::select(vec![0.0, -0.0, 1.0, f64::NAN]).prop_map(Value::Float),
            (0i64..2).prop_map(|i| Value::Array(vec![Value::Integer(i)])),
            any::<bool>().prop_map(|swap| {
                let mut t = Table::new();
                let kv = [("x", Value::Integer(1)), ("y", Value::Integer(2))];
                for (k, v) in if swap {
                    [kv[1].clone(), kv[0].clone()]
                } else {
                    kv
                } {
                    t.insert(k.into(), v);
                }
                Value::Table(t)
            }),
        ];
        let mut runner = proptest::test_runner::TestRunner::default();
        let result = runner.run(&prop::collection::vec(value, 0..12), |items| {
            let mut cx = Ctx::default();
            let ok = cx.check_unique("p", &items);
            let got: Vec<String> = cx.errors.iter().filter_map(|e| e.value.clone()).collect();
            let want = naive(&items);
            prop_assert_eq!(ok, want.is_empty());
            prop_assert_eq!(got, want);
            Ok(())
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }

    #[test]
    fn check_unique_is_linear() {
        let items: Vec<Value> = (0..200_000)
            .map(|i| Value::String(format!("h{i}")))
            .chain([Value::String("h7".into())])
            .collect();
        let start = std::time::Instant::now();
        let mut cx = Ctx::default();
        assert!(!cx.check_unique("p", &items));
        assert_eq!(cx.errors.len(), 1);
        assert_eq!(cx.errors[0].value.as_deref(), Some("\"h7\""));
        // The pairwise check needs 2 × 10^10 comparisons here.
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn long_values_are_shortened_in_text_only() {
        let long = "x".repeat(200);
        let errs = run(&format!("port = \"{long}\""));
        assert_eq!(errs[0].value.as_deref().map(str::len), Some(202));
        assert!(errs[0].text.len() < 200);
    }
}
