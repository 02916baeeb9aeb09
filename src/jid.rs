// STUB
pub fn nodeprep(s: &str) -> Option<String> { Some(s.to_lowercase()) }
pub fn nameprep(s: &str) -> Option<String> { Some(s.to_lowercase()) }
pub fn resourceprep(s: &str) -> Option<String> { Some(s.to_string()) }
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Jid { pub user: String, pub server: String, pub resource: String }
impl Jid {
    pub fn make(user: &str, server: &str, resource: &str) -> Option<Jid> { Some(Jid{user: nodeprep(user)?, server: nameprep(server)?, resource: resourceprep(resource)?}) }
    pub fn parse(s: &str) -> Option<Jid> { let (u, h) = s.split_once('@').unwrap_or(("", s)); Jid::make(u, h, "") }
    pub fn bare(&self) -> String { if self.user.is_empty() { self.server.clone() } else { format!("{}@{}", self.user, self.server) } }
    pub fn full(&self) -> String { self.bare() }
}
