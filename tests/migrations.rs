//! Shipped migrations never change. A desk made by an older version has run
//! them already and never runs them again, so an edited migration would
//! leave older and newer desks with different schemas ("never edit one that
//! has shipped", `src/store/schema.rs`): a change to the schema is a new
//! migration appended after them.
//!
//! The SQL of every migration shipped so far (1–9), and of the search-index
//! part they rely on (`SEARCH_PART`), is kept as it shipped in
//! `tests/shipped_migrations/`; the migrations the store runs
//! (`store::schema::migrations()`) must begin with exactly those, in order.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use casedesk::store::schema::{SEARCH_PART, migrations};
use rusqlite_migration::{M, Migrations};

/// The migrations as they shipped, oldest first.
const SHIPPED: [&str; 18] = [
    include_str!("shipped_migrations/v1.sql"),
    include_str!("shipped_migrations/v2.sql"),
    include_str!("shipped_migrations/v3.sql"),
    include_str!("shipped_migrations/v4.sql"),
    include_str!("shipped_migrations/v5.sql"),
    include_str!("shipped_migrations/v6.sql"),
    include_str!("shipped_migrations/v7.sql"),
    include_str!("shipped_migrations/v8.sql"),
    include_str!("shipped_migrations/v9.sql"),
    include_str!("shipped_migrations/v10.sql"),
    include_str!("shipped_migrations/v11.sql"),
    include_str!("shipped_migrations/v12.sql"),
    include_str!("shipped_migrations/v13.sql"),
    include_str!("shipped_migrations/v14.sql"),
    include_str!("shipped_migrations/v15.sql"),
    include_str!("shipped_migrations/v16.sql"),
    include_str!("shipped_migrations/v17.sql"),
    include_str!("shipped_migrations/v18.sql"),
];

#[test]
fn shipped_migrations_are_never_edited_nor_reordered() {
    // The list compares as its debug form: every migration's SQL and settings, in order.
    let now = format!("{:?}", migrations());
    let shipped = format!("{:?}", Migrations::new(SHIPPED.iter().map(|sql| M::up(sql)).collect()));
    let open = shipped.strip_suffix("] }").expect("a list of migrations");
    let rest = now.strip_prefix(open);
    let appended_only = rest.is_some_and(|r| r == "] }" || r.starts_with(", M {"));
    if !appended_only {
        let changed: Vec<String> = SHIPPED
            .iter()
            .enumerate()
            .filter(|(_, sql)| !now.contains(&format!("{:?}", M::up(sql))))
            .map(|(i, sql)| format!("migration {} as it shipped:\n{sql}", i + 1))
            .collect();
        panic!(
            "the shipped migrations were edited, removed or reordered (add a new migration instead).\n{}\n\
             the migrations now: {now}",
            if changed.is_empty() {
                "each is still there, but not first and in order".to_string()
            } else {
                changed.join("\n")
            }
        );
    }
}

#[test]
fn the_search_index_part_is_never_edited() {
    assert_eq!(
        SEARCH_PART,
        include_str!("shipped_migrations/search_part.sql"),
        "SEARCH_PART changed: a change is a new migration that drops and refills the parts"
    );
}

/// The frozen list is the one a desk runs: a new database ends at version 9 or later.
#[test]
fn a_new_desk_runs_every_shipped_migration() {
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    migrations().to_latest(&mut conn).unwrap();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert!(version >= 9, "user_version {version}");
}
