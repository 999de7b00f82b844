//! Policy: the numbers the rules run on, from `assets/policy.toml` and the user's file.

use chrono::NaiveTime;
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

const BUILTIN: &str = include_str!("../../assets/policy.toml");

/// Every limit, threshold and window of the desk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The desk's local time zone.
    pub timezone: Tz,
    /// The preset that was applied ("" = none).
    #[serde(default)]
    pub preset: String,
    /// Time limits.
    pub deadlines: Deadlines,
    /// Escalation thresholds.
    pub escalation: Escalation,
    /// Return-visit rules.
    pub return_visit: ReturnVisitPolicy,
    /// Shift times.
    pub shifts: Shifts,
    /// Sign-in security.
    pub security: Security,
    /// Handover checklist.
    pub handover: HandoverPolicy,
    /// Daily backups.
    #[serde(default)]
    pub backup: BackupPolicy,
    /// How reports count.
    #[serde(default)]
    pub report: ReportPolicy,
    /// Files kept with cases.
    #[serde(default)]
    pub attachments: AttachmentPolicy,
    /// The penalty table of graded responsibility (002 五); absent, the
    /// desk does not use penalties and reports leave them out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub penalties: Option<super::responsibility::Penalties>,
    /// The organisation the desk serves, as printed pages name it.
    #[serde(default)]
    pub organisation: Organisation,
    /// Named sets of overrides.
    #[serde(default, skip_serializing)]
    pub presets: toml::Table,
}

/// Time limits, in working days unless named in hours or months.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs, clippy::struct_excessive_bools)]
pub struct Deadlines {
    pub acknowledge_same_day: bool,
    pub department_reply_written_wd: u32,
    pub department_reply_phone_wd: u32,
    pub internal_first_investigation_wd: u32,
    pub internal_process_wd: u32,
    pub urgent_answer_wd: u32,
    pub answer_wd: u32,
    pub answer_multi_dept_wd: u32,
    pub resolution_wd: u32,
    pub major_report_hours: u32,
    /// How long after the fact a step may still be entered (补录), in hours;
    /// 0 = never.
    #[serde(default = "default_late_entry_hours")]
    pub late_entry_hours: u32,
    /// A drug-quality incident reported to quality management within this
    /// many working days (002 pharmacy: 2).
    #[serde(default = "default_quality_report_wd")]
    pub quality_report_wd: u32,
    /// … and its cause and result within this many months (002: one).
    #[serde(default = "default_quality_result_months")]
    pub quality_result_months: u32,
    pub return_visit_wd: u32,
    pub follow_up_count: u32,
    pub follow_up_interval_months: u32,
    pub archive_wd: u32,
}

/// Escalation thresholds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Escalation {
    /// Days back that count for repeat callers and subjects.
    pub repeat_window_days: u32,
    /// Cases from one caller in the window that make a repeat.
    pub repeat_caller_cases: u32,
    /// Cases about one department and category in the window that make a repeat subject.
    pub repeat_subject_cases: u32,
    /// Working days past due before an overdue step escalates.
    pub overdue_grace_wd: u32,
}

/// Return-visit rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnVisitPolicy {
    /// Failed attempts on distinct days before a case may close as unreachable.
    pub attempts: u32,
    /// A praise or inquiry answered on the spot closes without a return visit.
    pub close_praise_inquiry_without_visit: bool,
    /// A complainant still unsatisfied at a follow-up visit (002: 若仍不满意，
    /// 发起二次投诉): `new_case`, a second complaint linked to the first, or
    /// `reopen`, the first case again.
    #[serde(default)]
    pub unsatisfied_follow_up: SecondComplaint,
}

/// What an unsatisfied follow-up starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondComplaint {
    /// A new case, linked to the first, one level above it, flagged repeat.
    #[default]
    NewCase,
    /// The first case, reopened one level up.
    Reopen,
}

/// Shift start times (local).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shifts {
    /// When the day shift starts.
    #[serde(with = "hhmm")]
    pub day_start: NaiveTime,
    /// When the night shift starts.
    #[serde(with = "hhmm")]
    pub night_start: NaiveTime,
    /// Signing in this many minutes before a shift starts joins that shift.
    pub early_join_minutes: u32,
}

/// Sign-in security.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// Idle minutes before the screen locks (0: never).
    pub idle_lock_minutes: u32,
    /// Wrong PINs before the account locks.
    pub pin_attempts: u32,
    /// How long a locked account stays locked.
    pub lockout_minutes: u32,
}

/// Handover checklist items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverPolicy {
    /// The items every handover ticks or explains.
    pub checklist: Vec<String>,
}

/// Daily backups with rotation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupPolicy {
    /// Make a copy once a day (when the desk is first opened that day).
    pub daily: bool,
    /// How many daily copies to keep.
    pub keep: u32,
    /// Where ("" = a `backups` folder beside the database).
    pub folder: String,
}

/// Files kept with cases.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentPolicy {
    /// The largest file a case may keep, in MB.
    pub max_mb: u32,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        AttachmentPolicy { max_mb: 10 }
    }
}

/// How reports count.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportPolicy {
    /// What the complaint rate's base counts, per month (门诊人次, 户数,
    /// 用户数 …); "" names it plainly as the base.
    #[serde(default)]
    pub base_label: String,
}

/// The organisation the desk serves: its name heads every printed page and
/// its phone is the one a visitor's receipt gives; "" leaves either off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Its name (某某市第一人民医院, 某某物业服务中心 …).
    #[serde(default)]
    pub name: String,
    /// The desk's phone for complainants.
    #[serde(default)]
    pub phone: String,
}

/// A policy file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Not valid TOML, or a key or value the desk does not know.
    #[error("policy: {0}")]
    Invalid(String),
    /// `preset = "…"` names no preset.
    #[error("policy: unknown preset '{name}'; known: {known}")]
    UnknownPreset {
        /// The name given.
        name: String,
        /// Presets that exist.
        known: String,
    },
}

impl Policy {
    /// The built-in defaults.
    pub fn builtin() -> Result<Policy, PolicyError> {
        Self::with_override(None)
    }

    /// The defaults, then the preset the user (or defaults) name, then the user's own keys.
    pub fn with_override(user: Option<&str>) -> Result<Policy, PolicyError> {
        let mut base: toml::Table = toml::from_str(BUILTIN).map_err(|e| PolicyError::Invalid(e.to_string()))?;
        let user: Option<toml::Table> = user
            .map(toml::from_str)
            .transpose()
            .map_err(|e| PolicyError::Invalid(e.to_string()))?;
        let preset = user
            .as_ref()
            .and_then(|u| u.get("preset"))
            .or_else(|| base.get("preset"))
            .and_then(toml::Value::as_str)
            .unwrap_or("")
            .to_string();
        if !preset.is_empty() {
            let presets = base
                .get("presets")
                .and_then(toml::Value::as_table)
                .cloned()
                .unwrap_or_default();
            let Some(chosen) = presets.get(&preset).and_then(toml::Value::as_table) else {
                return Err(PolicyError::UnknownPreset {
                    name: preset,
                    known: presets.keys().cloned().collect::<Vec<_>>().join(", "),
                });
            };
            merge(&mut base, chosen);
        }
        if let Some(user) = &user {
            merge(&mut base, user);
        }
        let policy: Policy = toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| PolicyError::Invalid(e.to_string()))?;
        if let Some(p) = &policy.penalties {
            p.check().map_err(PolicyError::Invalid)?;
        }
        Ok(policy)
    }
}

/// Deep-merges `over` into `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut toml::Table, over: &toml::Table) {
    for (key, value) in over {
        match (base.get_mut(key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            _ => {
                base.insert(key.clone(), value.clone());
            }
        }
    }
}

/// `"08:00"` ⇄ a local time of day.
mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M").map_err(serde::de::Error::custom)
    }
}

/// The late-entry window of a policy written before there was one.
fn default_late_entry_hours() -> u32 {
    72
}

fn default_quality_report_wd() -> u32 {
    2
}

fn default_quality_result_months() -> u32 {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_carries_the_domain_defaults() {
        let p = Policy::builtin().unwrap();
        assert_eq!(p.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(p.deadlines.department_reply_written_wd, 3);
        assert_eq!(p.deadlines.department_reply_phone_wd, 1);
        assert_eq!(p.deadlines.resolution_wd, 15);
        assert_eq!(p.deadlines.major_report_hours, 12);
        assert_eq!(p.deadlines.archive_wd, 15);
        assert_eq!(p.escalation.repeat_window_days, 90);
        assert_eq!(p.return_visit.attempts, 3);
        assert_eq!(p.shifts.night_start, NaiveTime::from_hms_opt(17, 30, 0).unwrap());
        assert_eq!(p.deadlines.answer_wd, 0);
    }

    #[test]
    fn hospital_preset_and_user_keys_override_in_order() {
        let p = Policy::with_override(Some("preset = \"hospital\"\n")).unwrap();
        assert_eq!(p.deadlines.answer_wd, 5);
        assert_eq!(p.deadlines.answer_multi_dept_wd, 10);
        let p = Policy::with_override(Some(
            "preset = \"hospital\"\n[deadlines]\nanswer_wd = 4\nresolution_wd = 20\n",
        ))
        .unwrap();
        assert_eq!(p.deadlines.answer_wd, 4);
        assert_eq!(p.deadlines.resolution_wd, 20);
        assert_eq!(p.deadlines.department_reply_written_wd, 3);
    }

    #[test]
    fn the_penalty_table_is_absent_by_default_and_checked_when_given() {
        assert_eq!(Policy::builtin().unwrap().penalties, None);
        let table = "[penalties]\njoint_liability_percent = 20\noverdue_yuan = 50\noverdue_yuan_per_day = 50\n\
                     second_complaint_factor = 2\n\
                     light = { internal_yuan = 50, external_yuan = 50, points = 2 }\n\
                     medium = { internal_yuan = 100, external_yuan = 100, points = 5 }\n\
                     severe = { internal_yuan = 200, external_yuan = 200, points = 10 }\n";
        let p = Policy::with_override(Some(table)).unwrap().penalties.unwrap();
        assert_eq!((p.medium.external_yuan, p.severe.points), (100, 10));
        let err = Policy::with_override(Some(&table.replace("= 20", "= 200"))).unwrap_err();
        assert!(err.to_string().contains("joint_liability_percent"), "{err}");
        let err = Policy::with_override(Some("[penalties]\noverdue_yuan = 50\n")).unwrap_err();
        assert!(err.to_string().contains("missing field"), "{err}");
    }

    #[test]
    fn bad_policy_files_are_refused_with_the_reason() {
        assert!(matches!(
            Policy::with_override(Some("preset = \"zoo\"")),
            Err(PolicyError::UnknownPreset { .. })
        ));
        let err = Policy::with_override(Some("[deadlines]\nresolution_days = 3\n")).unwrap_err();
        assert!(err.to_string().contains("resolution_days"), "{err}");
        let err = Policy::with_override(Some("[deadlines]\nresolution_wd = -1\n")).unwrap_err();
        assert!(matches!(err, PolicyError::Invalid(_)));
        let err = Policy::with_override(Some("[organisation]\ntelephone = \"1\"\n")).unwrap_err();
        assert!(err.to_string().contains("telephone"), "{err}");
    }

    #[test]
    fn organisation_is_empty_unless_given() {
        assert_eq!(Policy::builtin().unwrap().organisation, Organisation::default());
        let p = Policy::with_override(Some("[organisation]\nname = \"某市第一人民医院\"\n")).unwrap();
        assert_eq!(p.organisation.name, "某市第一人民医院");
        assert_eq!(p.organisation.phone, "");
        // A policy kept before there was an organisation still reads.
        let mut old: toml::Table = toml::from_str(BUILTIN).unwrap();
        old.remove("organisation");
        let old: Policy = toml::Value::Table(old).try_into().unwrap();
        assert_eq!(old.organisation, Organisation::default());
    }
}
