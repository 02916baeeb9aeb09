// STUB
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    List,
    Delete,
}
pub struct Filter {
    pub action: Action,
}
pub enum FilterError {
    Invalid(String),
    WrongRegexps(Vec<String>),
    InvalidJidPattern(String),
}
pub fn parse_filter(
    _a: &str,
    _s: &str,
    _k: &str,
    _u: &str,
    _c: &str,
    _j: &dyn Fn(&str) -> Option<(String, String)>,
) -> Result<Filter, FilterError> {
    Err(FilterError::Invalid("stub".into()))
}
impl Filter {
    pub fn matches(&self, _a: &str, _b: &str, _c: &str, _d: &str, _e: &str, _f: &str) -> bool {
        false
    }
}
