//! The committed generated artefacts (completions/, docs/man, docs/commands.md) must match
//! what the registry renders. Regenerate with `UPDATE_GENERATED=1 cargo test generated`.

#[test]
fn generated_files_are_up_to_date() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let update = std::env::var_os("UPDATE_GENERATED").is_some();
    let mut stale = Vec::new();
    for (rel, content) in mongooseimctl::generate::artefacts() {
        let path = root.join(&rel);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current != content {
            if update {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &content).unwrap();
            } else {
                stale.push(rel);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run UPDATE_GENERATED=1 cargo test generated"
    );
}

#[test]
fn committed_completions_cover_every_group() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let bash = std::fs::read_to_string(root.join("completions/mongooseimctl.bash")).unwrap();
    for g in ["accounts", "core"] {
        assert!(bash.contains(g), "{g}");
    }
}
