//! Departments and categories: the names the desk files cases under.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::rows::DeptNames;
use super::{Result, Store, StoreError};
use crate::domain::{CategoryId, DeptId};

/// A department (科室/部门).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Department {
    /// Store id.
    pub id: DeptId,
    /// Name, e.g. 护理部.
    pub name: String,
    /// How to reach it.
    pub phone: Option<String>,
    /// Inactive departments take no new cases.
    pub active: bool,
}

/// A category of the taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Category {
    /// Store id.
    pub id: CategoryId,
    /// Stable code.
    pub code: String,
    /// Chinese name.
    pub name_zh: String,
    /// English name.
    pub name_en: String,
}

/// The default taxonomy of domain.md.
pub const DEFAULT_CATEGORIES: &[(&str, &str, &str)] = &[
    ("attitude", "服务态度", "Service attitude"),
    ("quality", "医疗护理/服务质量", "Quality of care/work"),
    ("error", "业务失误", "Business error"),
    ("billing", "收费物价", "Pricing/billing"),
    ("environment", "环境", "Environment"),
    ("efficiency", "效率/等候", "Efficiency/waiting"),
    ("conduct", "行风", "Conduct/ethics"),
    ("facilities", "设施维修", "Facilities/repair"),
    ("privacy", "信息安全", "Information/privacy"),
    ("not_ours", "非我方责任", "Not our responsibility"),
    ("other", "其他", "Other"),
];

impl Store {
    /// Adds a department.
    pub fn add_department(&mut self, name: &str, phone: Option<&str>) -> Result<Department> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Unknown {
                what: "department",
                given: String::new(),
                known: self.departments()?.into_iter().map(|d| d.name).collect(),
            });
        }
        self.transaction(|tx| {
            let exists: bool =
                tx.query_row("SELECT EXISTS(SELECT 1 FROM departments WHERE name = ?)", [name], |r| {
                    r.get(0)
                })?;
            if exists {
                return Err(StoreError::Duplicate(name.to_string()));
            }
            Ok(Department {
                id: insert_department(tx, name, phone)?,
                name: name.to_string(),
                phone: phone.map(str::to_string),
                active: true,
            })
        })
    }

    /// Every department, by name.
    pub fn departments(&self) -> Result<Vec<Department>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, phone, active FROM departments ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Department {
                id: DeptId(r.get(0)?),
                name: r.get(1)?,
                phone: r.get(2)?,
                active: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A department by name; an unknown name lists the known ones.
    pub fn department(&self, name: &str) -> Result<Department> {
        let name = name.trim();
        self.departments()?.into_iter().find(|d| d.name == name).map_or_else(
            || {
                Err(StoreError::Unknown {
                    what: "department",
                    given: name.to_string(),
                    known: self.departments()?.into_iter().map(|d| d.name).collect(),
                })
            },
            Ok,
        )
    }

    /// Every department's name by id, for the search index.
    pub fn dept_names(&self) -> Result<DeptNames> {
        dept_names(&self.conn)
    }

    /// A department's name by id.
    pub fn department_name(&self, id: DeptId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT name FROM departments WHERE id = ?")?
            .query_row([id.0], |r| r.get(0))
            .optional()?)
    }

    /// Every category, in taxonomy order.
    pub fn categories(&self) -> Result<Vec<Category>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, code, name_zh, name_en FROM categories WHERE active = 1 ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Category {
                id: CategoryId(r.get(0)?),
                code: r.get(1)?,
                name_zh: r.get(2)?,
                name_en: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A category by code or by either name.
    pub fn category(&self, name: &str) -> Result<Category> {
        let name = name.trim();
        let all = self.categories()?;
        all.iter()
            .find(|c| c.code == name || c.name_zh == name || c.name_en.eq_ignore_ascii_case(name))
            .cloned()
            .ok_or_else(|| StoreError::Unknown {
                what: "category",
                given: name.to_string(),
                known: all.iter().map(|c| format!("{} ({})", c.code, c.name_zh)).collect(),
            })
    }

    /// Adds a category (admin).
    pub fn add_category(&mut self, code: &str, name_zh: &str, name_en: &str) -> Result<Category> {
        self.transaction(|tx| {
            let exists: bool = tx.query_row("SELECT EXISTS(SELECT 1 FROM categories WHERE code = ?)", [code], |r| {
                r.get(0)
            })?;
            if exists {
                return Err(StoreError::Duplicate(code.to_string()));
            }
            Ok(Category {
                id: insert_category(tx, code, name_zh, name_en)?,
                code: code.to_string(),
                name_zh: name_zh.to_string(),
                name_en: name_en.to_string(),
            })
        })
    }
}

/// Inserts a department (its name not yet taken); returns its id.
pub(crate) fn insert_department(tx: &Transaction<'_>, name: &str, phone: Option<&str>) -> Result<DeptId> {
    tx.execute(
        "INSERT INTO departments (name, phone) VALUES (?, ?)",
        params![name, phone],
    )?;
    Ok(DeptId(tx.last_insert_rowid()))
}

/// Inserts a category (its code not yet taken); returns its id.
pub(crate) fn insert_category(tx: &Transaction<'_>, code: &str, name_zh: &str, name_en: &str) -> Result<CategoryId> {
    tx.execute(
        "INSERT INTO categories (code, name_zh, name_en) VALUES (?, ?, ?)",
        params![code, name_zh, name_en],
    )?;
    Ok(CategoryId(tx.last_insert_rowid()))
}

/// The ids of the directory's names: staff and departments by name,
/// categories by code (every one, active or not).
#[derive(Clone, Debug, Default)]
pub struct IdsByName {
    /// Staff ids by name.
    pub staff: HashMap<String, i64>,
    /// Department ids by name.
    pub depts: HashMap<String, i64>,
    /// Category ids by code.
    pub categories: HashMap<String, i64>,
    /// Staff roles by id.
    pub roles: HashMap<i64, crate::domain::Role>,
}

/// Reads [`IdsByName`] inside any connection or transaction.
pub(crate) fn ids_by_name(conn: &Connection) -> Result<IdsByName> {
    let pairs = |sql: &str| -> Result<HashMap<String, i64>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    };
    let mut roles = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, role FROM staff")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let role: String = row.get(1)?;
        let role = crate::domain::Role::parse(&role).map_err(|e| StoreError::Damaged(e.to_string()))?;
        roles.insert(row.get(0)?, role);
    }
    Ok(IdsByName {
        staff: pairs("SELECT name, id FROM staff")?,
        depts: pairs("SELECT name, id FROM departments")?,
        categories: pairs("SELECT code, id FROM categories")?,
        roles,
    })
}

/// Every department's name by id, inside any connection or transaction.
pub(crate) fn dept_names(conn: &Connection) -> Result<DeptNames> {
    let mut stmt = conn.prepare("SELECT id, name FROM departments")?;
    let rows = stmt.query_map([], |r| Ok((DeptId(r.get(0)?), r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Inserts the default taxonomy (at desk creation).
pub fn seed_categories(tx: &Transaction<'_>) -> Result<()> {
    let mut stmt = tx.prepare("INSERT OR IGNORE INTO categories (code, name_zh, name_en) VALUES (?, ?, ?)")?;
    for (code, zh, en) in DEFAULT_CATEGORIES {
        stmt.execute(params![code, zh, en])?;
    }
    Ok(())
}
