// STUB
#[derive(Debug, Clone, PartialEq)]
pub struct RosterTemplateEntry {
    pub user: String,
    pub server: String,
    pub group: String,
    pub nick: String,
}
#[derive(Debug, Clone, PartialEq)]
pub struct TermError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}
impl std::fmt::Display for TermError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}
pub fn parse_roster_template(_b: &[u8]) -> Result<Vec<RosterTemplateEntry>, TermError> {
    Ok(vec![])
}
