// STUB
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScramHash { Sha, Sha224, Sha256, Sha384, Sha512 }
pub struct Scram;
impl Scram { pub fn serialize(&self) -> String { String::new() } }
pub enum PasswordError { Prep }
pub fn scram_new(_p: &str, _h: &[ScramHash], _i: u32) -> Result<Scram, PasswordError> { Ok(Scram) }
pub fn verify(_s: &str, _d: Option<&str>, _g: &str) -> bool { false }
pub fn hash_quirk(_m: &str, _d: &[u8]) -> Option<String> { None }
pub fn random_hex16() -> String { "0123456789abcdef".into() }
