//! This desk's ids of the names an export gives, and its accounts as the rules
//! see them, as an import goes.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::super::{What, name_fields};
use crate::domain::{Actor, DeptId, Role, StaffId};
use crate::store::StoreError;
use crate::store::directory::IdsByName;
use crate::store::load::Load;
use crate::store::rows::DeptNames;

/// This desk's ids by name, as the import goes (it adds what it lacks).
pub(super) struct Ids {
    pub(super) staff: HashMap<String, i64>,
    pub(super) depts: HashMap<String, i64>,
    pub(super) cats: HashMap<String, i64>,
    /// Each account's name and role by id, for the rules.
    pub(super) people: HashMap<i64, (String, Role)>,
    /// Accounts this import made as clerks for want of a role (a CSV file has none).
    pub(super) guessed: HashSet<i64>,
    /// Department names by id, for the search index.
    pub(super) dept_names: DeptNames,
}

impl Ids {
    pub(super) fn read(load: &Load<'_, '_>) -> Result<Ids, StoreError> {
        let IdsByName {
            mut staff,
            depts,
            categories: cats,
            roles,
        } = load.ids_by_name()?;
        let people = staff
            .iter()
            .filter_map(|(name, id)| Some((*id, (name.clone(), *roles.get(id)?))))
            .collect();
        staff.insert("system".into(), 0);
        let dept_names = depts.iter().map(|(name, id)| (DeptId(*id), name.clone())).collect();
        Ok(Ids {
            staff,
            depts,
            cats,
            people,
            guessed: HashSet::new(),
            dept_names,
        })
    }

    pub(super) fn get(&self, what: What, name: &str) -> Option<i64> {
        match what {
            What::Staff => self.staff.get(name),
            What::Dept => self.depts.get(name),
            What::Category => self.cats.get(name),
        }
        .copied()
    }

    pub(super) fn add_dept(&mut self, name: &str, id: i64) {
        self.depts.insert(name.to_string(), id);
        self.dept_names.insert(DeptId(id), name.to_string());
    }

    /// The account of `id` as it was when it acted: active, in its role now.
    pub(super) fn actor(&self, id: StaffId) -> Option<Actor> {
        self.people.get(&id.0).map(|(name, role)| Actor {
            id,
            name: name.clone(),
            role: *role,
            active: true,
        })
    }

    /// Whether every name the events give is known here (a field that is
    /// not a name is left for [`events_of`] to refuse).
    pub(super) fn know_all(&self, events: &[Value]) -> bool {
        events.iter().all(|v| {
            let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
            name_fields(kind).iter().all(|&(key, what)| match v.get(key) {
                Some(Value::String(name)) => name.is_empty() || self.get(what, name).is_some(),
                _ => true,
            })
        })
    }
}
