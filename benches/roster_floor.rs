//! The floor for push_roster_alltoall: raw prepared inserts of the same N·(N−1) rosterusers and
//! rostergroups rows into a fresh store with our schema, in one transaction.
//! Run via bench/bench.sh (`cargo bench --bench roster_floor -- N`).

use std::time::Instant;

#[allow(clippy::print_stdout)]
fn main() -> anyhow::Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2000);
    let dir = std::env::temp_dir().join(format!("mim-floor-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("floor.db");
    let mut store = mongooseimctl::store::Store::open(&path)?;
    let users: Vec<String> = (0..n).map(|i| format!("user{i:05}")).collect();
    let start = Instant::now();
    let tx = store.write_tx()?;
    {
        let mut up = tx.prepare(
            "INSERT INTO rosterusers (server, username, jid, nick, subscription, ask, askmessage) \
             VALUES ('localhost', ?1, ?2, ?3, 'B', 'N', '')",
        )?;
        let mut grp =
            tx.prepare("INSERT INTO rostergroups (server, username, jid, grp) VALUES ('localhost', ?1, ?2, 'all')")?;
        for a in &users {
            for b in &users {
                if a == b {
                    continue;
                }
                let jid = format!("{b}@localhost");
                up.execute(rusqlite::params![a, jid, b])?;
                grp.execute(rusqlite::params![a, jid])?;
            }
        }
    }
    tx.commit()?;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "raw insert floor: {} users, {} items, {:.2} s",
        n,
        n * (n - 1),
        secs
    );
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
