//! The shape of the source, read as text from `src/`:
//!
//! - no source file is over 700 lines;
//! - no function is over 120 lines, outside `#[cfg(test)]` code (counted from
//!   the line with `fn name` to the closing brace at the same indentation);
//! - no import cycles between modules: each file `src/a/b.rs` is module
//!   `a::b`; every path it names (`use` statements and paths in the code,
//!   `crate::…`, `super::…`, `self::…` and child modules) is an edge, taken
//!   at the level where the two modules part — `commands::case` naming
//!   `ui::app` is `commands` → `ui`, `store::bulk` naming `store::cases` is
//!   `store::bulk` → `store::cases` (a module naming its own parent or child
//!   is no edge) — and no strongly connected component of two or more
//!   modules may remain;
//! - layering: a module names only modules of its own layer or below (see
//!   `LAYERS`: the case engine names nothing outside itself, the store only the
//!   engine, …, the command line and the screens sit on top).
//!
//! - SQLite is the store's: no module outside `store` names `rusqlite`.
//!
//! Every violation is printed with its file and line numbers.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 700;
const MAX_FN_LINES: usize = 120;

/// A module path: `["store", "bulk"]` for `src/store/bulk.rs`; empty for the crate root.
type Module = Vec<String>;

struct Source {
    path: PathBuf,
    module: Module,
    lines: Vec<String>,
}

fn show(m: &[String]) -> String {
    if m.is_empty() {
        "crate".to_string()
    } else {
        m.join("::")
    }
}

/// Every `.rs` file under `src/`, with its module path.
fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Module = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                let last = module.pop().unwrap();
                if last == "main" {
                    module.push("main".into());
                }
            }
            let text = std::fs::read_to_string(&path).unwrap();
            Source {
                path: path.strip_prefix(root.parent().unwrap()).unwrap().to_path_buf(),
                module,
                lines: text.lines().map(str::to_string).collect(),
            }
        })
        .collect()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The line (index) closing the item that starts at `start`: the first later
/// line that is `}` (or `};`) at the item's indentation; `start` itself for
/// an item without a body on its own lines.
fn item_end(lines: &[String], start: usize) -> usize {
    let at = indent(&lines[start]);
    let head = lines[start].trim_end();
    if head.ends_with(';') || (head.ends_with('}') && head.contains('{')) {
        return start;
    }
    (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i].trim_end();
            indent(l) == at && (l.trim_start() == "}" || l.trim_start() == "};")
        })
        .unwrap_or(lines.len() - 1)
}

/// Whether each line is test-only code: the item after `#[cfg(test)]`.
fn test_lines(lines: &[String]) -> Vec<bool> {
    let mut test = vec![false; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() == "#[cfg(test)]" {
            // Further attributes may follow before the item.
            let mut start = i + 1;
            while start < lines.len() && lines[start].trim_start().starts_with("#[") {
                start += 1;
            }
            let end = if start < lines.len() { item_end(lines, start) } else { i };
            for t in &mut test[i..=end.max(i)] {
                *t = true;
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
    test
}

/// The name of the function declared on this line, if any.
fn fn_name(line: &str) -> Option<&str> {
    let mut rest = line.trim_start();
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
        "extern \"C\" ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    matches!(rest.as_bytes()[end], b'(' | b'<').then(|| &rest[..end])
}

/// (a) and (b): long files and long functions.
fn sizes(sources: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for s in sources {
        if s.lines.len() > MAX_FILE_LINES {
            found.push(format!(
                "{}: {} lines (at most {MAX_FILE_LINES})",
                s.path.display(),
                s.lines.len()
            ));
        }
        let test = test_lines(&s.lines);
        for (i, line) in s.lines.iter().enumerate() {
            let Some(name) = fn_name(line) else { continue };
            if test[i] {
                continue;
            }
            let end = item_end(&s.lines, i);
            let n = end - i + 1;
            if n > MAX_FN_LINES {
                found.push(format!(
                    "{}:{}-{}: fn {name} is {n} lines (at most {MAX_FN_LINES})",
                    s.path.display(),
                    i + 1,
                    end + 1
                ));
            }
        }
    }
    found
}

/// A line without its `//` comment (not inside a string) and without string literals.
fn code_of(line: &str) -> String {
    let mut out = String::new();
    let mut in_str = false;
    let mut prev = ' ';
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if in_str {
            if c == '"' && prev != '\\' {
                in_str = false;
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
            continue;
        }
        if c == '"' {
            in_str = true;
            prev = ' ';
            continue;
        }
        if c == '/' && chars.peek() == Some(&'/') {
            break;
        }
        out.push(c);
        prev = c;
    }
    out
}

/// `a::{b, c::{d, e as f}}` as `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree);
        return vec![path.chars().filter(|c| !c.is_whitespace()).collect()];
    };
    let prefix: String = tree[..open].chars().filter(|c| !c.is_whitespace()).collect();
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut last) = (Vec::new(), 0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[last..i]);
                last = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[last..]);
    parts
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| {
            expand(p)
                .into_iter()
                .map(|e| format!("{prefix}{e}"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The crate's module a path names from inside `here`, if it names one.
fn resolve(path: &str, here: &[String], modules: &BTreeSet<Module>, binary: bool) -> Option<Module> {
    let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let (mut base, rest): (Module, &[&str]) = match segs.first()? {
        &"crate" => (Vec::new(), &segs[1..]),
        &"casedesk" if binary => (Vec::new(), &segs[1..]),
        &"self" => (here.to_vec(), &segs[1..]),
        &"super" => {
            let ups = segs.iter().take_while(|s| **s == "super").count();
            let mut b = here.to_vec();
            for _ in 0..ups {
                b.pop()?;
            }
            (b, &segs[ups..])
        }
        first => {
            // A child module of this one, named without `self::`.
            let mut child = here.to_vec();
            child.push((*first).to_string());
            if !modules.contains(&child) {
                return None;
            }
            (here.to_vec(), &segs[..])
        }
    };
    for s in rest {
        let mut next = base.clone();
        next.push((*s).to_string());
        if !modules.contains(&next) {
            break;
        }
        base = next;
    }
    Some(base)
}

/// Every module path named on each (non-test) line: (line number, text, module).
fn references(s: &Source, modules: &BTreeSet<Module>) -> Vec<(usize, String, Module)> {
    let test = test_lines(&s.lines);
    let binary = s.module == ["main"];
    let here: Module = if binary { Vec::new() } else { s.module.clone() };
    let mut found = Vec::new();
    // Inline modules (`mod hhmm { … }`): (name, indentation).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut statement: Option<(usize, String)> = None;
    for (i, line) in s.lines.iter().enumerate() {
        if test[i] {
            continue;
        }
        let code = code_of(line);
        let trimmed = code.trim();
        if let Some((_, at)) = inline.last()
            && trimmed == "}"
            && indent(&code) == *at
        {
            inline.pop();
            continue;
        }
        let mut scope = here.clone();
        scope.extend(inline.iter().map(|(n, _)| n.clone()));
        if let Some(rest) = trimmed
            .strip_prefix("mod ")
            .or_else(|| trimmed.strip_prefix("pub mod "))
            .and_then(|r| r.strip_suffix(" {"))
        {
            inline.push((rest.to_string(), indent(&code)));
            continue;
        }
        // `use` statements, which may run over several lines.
        let use_start = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|p| trimmed.strip_prefix(p));
        if let Some(start) = use_start {
            statement = Some((i, String::new()));
            statement.as_mut().unwrap().1.push_str(start);
        } else if let Some((_, text)) = statement.as_mut() {
            text.push(' ');
            text.push_str(trimmed);
        }
        if let Some((first, text)) = statement.take_if(|(_, t)| t.ends_with(';')) {
            for path in expand(text.trim_end_matches(';')) {
                if let Some(m) = resolve(&path, &scope, modules, binary) {
                    found.push((first + 1, format!("use {path}"), m));
                }
            }
            continue;
        }
        if statement.is_some() {
            continue;
        }
        // Paths in the code.
        for start in ["crate::", "super::", "self::", "casedesk::"] {
            let mut from = 0;
            while let Some(at) = code[from..].find(start) {
                let begin = from + at;
                from = begin + start.len();
                if code[..begin].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let path: String = code[begin..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                if let Some(m) = resolve(&path, &scope, modules, binary) {
                    found.push((i + 1, path, m));
                }
            }
        }
    }
    found
}

/// Where two modules part: the modules just below their common ancestor;
/// `None` when one is the other's ancestor.
fn parting(a: &[String], b: &[String]) -> Option<(Module, Module)> {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    (common < a.len() && common < b.len()).then(|| (a[..=common].to_vec(), b[..=common].to_vec()))
}

/// Strongly connected components (Tarjan), each sorted.
fn components(edges: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    struct State<'e> {
        edges: &'e BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        on_stack: BTreeSet<Module>,
        found: Vec<Vec<Module>>,
    }
    fn visit(s: &mut State<'_>, v: &Module) {
        let n = s.index.len();
        s.index.insert(v.clone(), n);
        s.low.insert(v.clone(), n);
        s.stack.push(v.clone());
        s.on_stack.insert(v.clone());
        for w in s.edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v.clone(), low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v.clone(), low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(&w);
                let done = w == *v;
                component.push(w);
                if done {
                    break;
                }
            }
            component.sort();
            s.found.push(component);
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    let nodes: BTreeSet<Module> = edges.iter().flat_map(|(a, bs)| bs.iter().chain([a])).cloned().collect();
    for v in &nodes {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.found
}

/// The crate's layers, lowest first: a module may name modules of its own
/// layer and of the layers below, never one above. The case engine names
/// nothing but itself; the store, nothing but the engine; the screens and the
/// command line sit on top, and only the command line starts the screens.
const LAYERS: &[&[&str]] = &[
    &["domain"],
    &["store", "paths"],
    &["words"],
    &["report", "print"],
    &["desk"],
    &["exchange", "demo"],
    &["cli"],
    &["ui"],
    &["commands"],
    &["service"],
];

/// A top-level module's layer, if it has one (the crate root and `main` have none).
fn layer(module: &[String]) -> Option<usize> {
    let top = module.first()?;
    LAYERS.iter().position(|l| l.contains(&top.as_str()))
}

/// (c) and (d): import cycles between sibling modules, and the layering.
fn imports(sources: &[Source]) -> Vec<String> {
    let modules: BTreeSet<Module> = sources.iter().map(|s| s.module.clone()).collect();
    let mut edges: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    // (from, to) at the level where they part → where: "file:line".
    let mut evidence: BTreeMap<(Module, Module), Vec<String>> = BTreeMap::new();
    let mut found = Vec::new();
    for s in sources {
        let mut layering: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (line, _text, target) in references(s, &modules) {
            if let (Some(here), Some(there)) = (layer(&s.module), layer(&target))
                && there > here
            {
                layering.entry(show(&target)).or_default().push(line);
            }
            if let Some((a, b)) = parting(&s.module, &target) {
                edges.entry(a.clone()).or_default().insert(b.clone());
                let at = format!("{}:{line}", s.path.display());
                let seen = evidence.entry((a, b)).or_default();
                if !seen.contains(&at) {
                    seen.push(at);
                }
            }
        }
        for (target, lines) in layering {
            found.push(format!(
                "layering: {} ({}) names {target}, a layer above it, lines {lines:?}",
                s.path.display(),
                show(&s.module)
            ));
        }
    }
    for component in components(&edges).into_iter().filter(|c| c.len() > 1) {
        let names: Vec<String> = component.iter().map(|m| show(m)).collect();
        let mut text = format!("import cycle among {} modules: {}", names.len(), names.join(", "));
        for a in &component {
            for b in edges.get(a).into_iter().flatten().filter(|b| component.contains(b)) {
                let at = &evidence[&(a.clone(), b.clone())];
                let shown: Vec<&str> = at.iter().take(6).map(String::as_str).collect();
                let more = if at.len() > 6 {
                    format!(" and {} more", at.len() - 6)
                } else {
                    String::new()
                };
                text.push_str(&format!("\n    {} → {}: {}{more}", show(a), show(b), shown.join(", ")));
            }
        }
        found.push(text);
    }
    found
}

/// (e) SQLite is the store's: no other module names `rusqlite`.
fn sql_outside_the_store(sources: &[Source]) -> Vec<String> {
    sources
        .iter()
        .filter(|s| s.module.first().map(String::as_str) != Some("store"))
        .flat_map(|s| {
            s.lines
                .iter()
                .enumerate()
                .filter(|(_, l)| code_of(l).contains("rusqlite"))
                .map(move |(i, _)| format!("{}:{}: names rusqlite outside the store", s.path.display(), i + 1))
        })
        .collect()
}

#[test]
fn the_source_keeps_its_shape() {
    let sources = sources();
    assert!(sources.len() > 20, "read {} files from src/", sources.len());
    let mut violations = sizes(&sources);
    violations.extend(imports(&sources));
    violations.extend(sql_outside_the_store(&sources));
    for v in &violations {
        println!("{v}");
    }
    assert!(violations.is_empty(), "{} violations (printed above)", violations.len());
}

/// The readers above find what they look for (on text made for the purpose),
/// so that a clean report means a clean tree.
#[test]
fn the_checks_find_what_they_look_for() {
    let lines = |t: &str| -> Vec<String> { t.lines().map(str::to_string).collect() };
    let f =
        lines("fn a() {\n    x();\n}\n#[cfg(test)]\nmod tests {\n    fn b() {\n    }\n}\npub(crate) fn c<T>(t: T);");
    assert_eq!(fn_name(&f[0]), Some("a"));
    assert_eq!(item_end(&f, 0), 2);
    assert_eq!(
        test_lines(&f),
        [false, false, false, true, true, true, true, true, false]
    );
    assert_eq!(fn_name(&f[8]), Some("c"));
    assert_eq!(item_end(&f, 8), 8);
    assert_eq!(
        expand("crate::a::{b, c::{d, e as f}}"),
        ["crate::a::b", "crate::a::c::d", "crate::a::c::e"]
    );
    let m = |s: &str| -> Module { s.split("::").filter(|x| !x.is_empty()).map(str::to_string).collect() };
    let modules: BTreeSet<Module> = ["a", "a::b", "a::c", "d"].into_iter().map(m).collect();
    assert_eq!(resolve("super::c::X", &m("a::b"), &modules, false), Some(m("a::c")));
    assert_eq!(resolve("crate::d::f", &m("a::b"), &modules, false), Some(m("d")));
    assert_eq!(resolve("b::Y", &m("a"), &modules, false), Some(m("a::b")));
    assert_eq!(resolve("chrono::Utc", &m("a"), &modules, false), None);
    assert_eq!(parting(&m("a::b"), &m("a::c")), Some((m("a::b"), m("a::c"))));
    assert_eq!(parting(&m("a::b"), &m("d")), Some((m("a"), m("d"))));
    assert_eq!(parting(&m("a::b"), &m("a")), None);
    let mut edges = BTreeMap::new();
    edges.insert(m("a"), BTreeSet::from([m("d")]));
    edges.insert(m("d"), BTreeSet::from([m("a")]));
    edges.insert(m("a::b"), BTreeSet::from([m("a::c")]));
    let cycles: Vec<_> = components(&edges).into_iter().filter(|c| c.len() > 1).collect();
    assert_eq!(cycles, [vec![m("a"), m("d")]]);
    assert_eq!(code_of(r#"let s = "crate::x"; // crate::y"#), "let s = ; ");

    let source = |module: &str, text: &str| Source {
        path: PathBuf::from(format!("src/{}.rs", module.replace("::", "/"))),
        module: m(module),
        lines: lines(text),
    };
    let found = imports(&[
        source("domain", "pub mod x;"),
        source("domain::x", "use super::y::Z;\nfn f() { crate::store::open(); }"),
        source("domain::y", "use crate::domain::x::{\n    A,\n    B as C,\n};"),
        source("store", "use crate::ui::App;"),
        source("ui", "#[cfg(test)]\nmod tests {\n    use crate::store::X;\n}"),
    ]);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(
        found[0].starts_with("layering: src/domain/x.rs (domain::x) names store, a layer above it"),
        "{found:#?}"
    );
    // The store naming the screens is a layer upside down, even without a loop
    // (the screens' test module is not counted).
    assert!(
        found[1].starts_with("layering: src/store.rs (store) names ui, a layer above it"),
        "{found:#?}"
    );
    assert!(
        found[2].starts_with("import cycle among 2 modules: domain::x, domain::y"),
        "{found:#?}"
    );
    assert!(
        found[2].contains("domain::x → domain::y: src/domain/x.rs:1"),
        "{found:#?}"
    );
    assert!(
        found[2].contains("domain::y → domain::x: src/domain/y.rs:1"),
        "{found:#?}"
    );
    let sql = sql_outside_the_store(&[
        source("store", "use rusqlite::Connection;"),
        source("ui::app", "fn f() {\n    let c: rusqlite::Connection;\n}"),
    ]);
    assert_eq!(sql, ["src/ui/app.rs:2: names rusqlite outside the store"]);
}
