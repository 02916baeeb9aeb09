// STUB
pub fn atom(s: &str) -> String {
    s.to_string()
}
pub fn string(s: &str) -> String {
    format!("{s:?}")
}
pub fn binary(b: &[u8]) -> String {
    format!("{b:?}")
}
pub fn pair_list(p: &[(String, String)], _c: usize) -> String {
    format!("{p:?}")
}
