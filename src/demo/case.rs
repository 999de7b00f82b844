//! One demo case: taken in through the engine at a simulated time, then
//! moved along its lifecycle (an answer, a referral or a department's
//! reply; feedback; a return visit, sometimes a second round; closing) as
//! far as the demo's now allows. Every draw of the dice happens in a fixed
//! order, so the same seed makes the same case.

use std::collections::{HashMap, VecDeque};

use chrono::Duration;

use super::vocab::{Rng, Vocab, VocabDept, person_name};
use crate::domain::{
    Actor, AssignMode, Calendar, Case, CategoryId, Channel, Command, Complainant, Context, DeptId, Event,
    FeedbackMethod, Flag, History, IntakeForm, Kind, Origin, Policy, Satisfaction, Severity, State, SubjectPerson,
    Time, Verdict, VisitMethod, decide,
};

/// Recent intakes, for the repeat rules (kept to the policy's window).
#[derive(Default)]
pub(super) struct Recent {
    callers: HashMap<String, VecDeque<Time>>,
    subjects: HashMap<(DeptId, CategoryId), VecDeque<Time>>,
}

/// How many of `q` fall on or after `since` (older ones are dropped).
fn count_recent(q: &mut VecDeque<Time>, since: Time) -> u32 {
    while q.front().is_some_and(|t| *t < since) {
        q.pop_front();
    }
    u32::try_from(q.len()).unwrap_or(u32::MAX)
}

/// What the demo's cases are made of: its people, departments, categories,
/// repeat callers and rules, and the time no step may reach.
pub(super) struct Gen<'a> {
    /// Names and texts.
    pub(super) vocab: &'a Vocab,
    /// Who takes cases in.
    pub(super) clerks: &'a [Actor],
    /// Who signs off a second round.
    pub(super) supervisors: &'a [Actor],
    /// Departments with their vocabulary and the people they employ.
    pub(super) depts: &'a [(DeptId, &'a VocabDept, Vec<SubjectPerson>)],
    /// Categories (id, code).
    pub(super) categories: &'a [(CategoryId, String)],
    /// Callers who come back (name, phone).
    pub(super) repeaters: &'a [(String, String)],
    /// The demo's now: no step at or after it.
    pub(super) now: Time,
    /// The rules in force.
    pub(super) policy: &'a Policy,
    /// Working days and holidays.
    pub(super) calendar: &'a Calendar,
}

/// What a case is about: its kind, category, texts and department (with the
/// people the department employs).
struct Topic {
    kind: Kind,
    category: CategoryId,
    summary: String,
    details: String,
    dept: DeptId,
    people: Vec<SubjectPerson>,
}

/// An intake as the owner takes it.
struct Taken {
    intake: Command,
    owner: Actor,
    kind: Kind,
    dept: DeptId,
}

/// A case being moved along: its events so far and the time reached.
struct Story<'a> {
    case: Case,
    events: Vec<Event>,
    at: Time,
    gen_now: Time,
    policy: &'a Policy,
    calendar: &'a Calendar,
}

impl Story<'_> {
    /// Runs `command` by `actor` at `at`, if that is before the demo's now;
    /// whether the rules took it.
    fn step(&mut self, actor: &Actor, at: Time, command: Command) -> bool {
        // A step never goes before the one recorded before it (a slow
        // department's reply after its urge, a reply after a resumed pause):
        // an import retraces the timeline in order.
        let at = at.max(self.case.last_event_at);
        if at >= self.gen_now {
            return false;
        }
        match decide(
            Some(&self.case),
            &command,
            &Context {
                now: at,
                actor,
                policy: self.policy,
                calendar: self.calendar,
            },
        ) {
            Ok(new) => {
                for e in &new {
                    self.case.apply(e);
                }
                self.events.extend(new);
                true
            }
            Err(_) => false,
        }
    }

    /// The case and its events.
    fn end(self) -> Option<(Case, Vec<Event>)> {
        Some((self.case, self.events))
    }
}

impl Gen<'_> {
    /// One case, taken in at `received` and moved along its lifecycle as far as time allows.
    pub(super) fn case(
        &self,
        rng: &mut Rng,
        recent: &mut Recent,
        number: String,
        received: Time,
    ) -> Option<(Case, Vec<Event>)> {
        let Taken {
            intake,
            owner,
            kind,
            dept,
        } = self.intake(rng, recent, number, received);
        let intake_ctx = Context {
            now: received + Duration::minutes(3),
            actor: &owner,
            policy: self.policy,
            calendar: self.calendar,
        };
        let events = decide(None, &intake, &intake_ctx).ok()?;
        let mut case = Case::open(events.first()?).ok()?;
        for e in events.iter().skip(1) {
            case.apply(e);
        }
        let mut story = Story {
            case,
            events,
            at: received + Duration::minutes(3),
            gen_now: self.now,
            policy: self.policy,
            calendar: self.calendar,
        };
        let sup = rng.pick(self.supervisors).cloned().unwrap_or_else(|| owner.clone());
        if !self.first_answer(rng, &mut story, &owner, kind, dept) {
            return story.end();
        }
        if story.case.is_closed() || story.case.state == State::Received {
            return story.end();
        }
        if !self.return_visit(rng, &mut story, &owner, &sup, kind, dept) {
            return story.end();
        }
        close(rng, &mut story, &owner);
        story.end()
    }

    /// The intake: what it is about, who took it, through which channel,
    /// from whom, how serious, and what came before within the repeat window.
    fn intake(&self, rng: &mut Rng, recent: &mut Recent, number: String, received: Time) -> Taken {
        let Topic {
            kind,
            category: cat_id,
            summary,
            details,
            dept,
            people,
        } = self.topic(rng);
        let owner = rng.pick(self.clerks).cloned().unwrap_or_else(|| self.clerks[0].clone());
        let channel = match rng.below(100) {
            0..=44 => Channel::Phone,
            45..=59 => Channel::Visit,
            60..=69 => Channel::Letter,
            70..=79 => Channel::Online,
            80..=86 => Channel::Email,
            87..=89 => Channel::Fax,
            90..=95 => Channel::Survey,
            _ => Channel::Internal,
        };
        let origin = if channel == Channel::Internal {
            Origin::Internal
        } else {
            Origin::External
        };
        let complainant = self.complainant(rng);
        let severity = if kind == Kind::Complaint {
            match rng.below(100) {
                0..=79 => Severity::Minor,
                80..=95 => Severity::Important,
                _ => Severity::Major,
            }
        } else {
            Severity::Minor
        };
        let mut flags = Vec::new();
        if severity == Severity::Major && rng.chance(30) {
            flags.push(Flag::Dispute);
        }
        let subject = (kind == Kind::Complaint && rng.chance(40))
            .then(|| rng.pick(&people).cloned())
            .flatten();
        let history = self.history(recent, &complainant, kind, (dept, cat_id), received);
        let form = IntakeForm {
            number,
            received_at: Some(received),
            channel,
            kind,
            origin,
            complainant,
            confidential: rng.chance(5),
            dept: Some(dept),
            subject_staff: None,
            subject_person: subject,
            category: Some(cat_id),
            severity,
            summary,
            details,
            promised_reply_at: None,
            flags,
        };
        Taken {
            intake: Command::Intake {
                form: Box::new(form),
                history,
            },
            owner,
            kind,
            dept,
        }
    }

    /// What a case is about: a kind, a category with texts for it, a department.
    fn topic(&self, rng: &mut Rng) -> Topic {
        let v = self.vocab;
        let kind = match rng.below(100) {
            0..=54 => Kind::Complaint,
            55..=66 => Kind::Suggestion,
            67..=74 => Kind::Praise,
            75..=87 => Kind::Inquiry,
            _ => Kind::Repair,
        };
        let (cat_id, cat_code) = {
            let fitting: Vec<&(CategoryId, String)> = self
                .categories
                .iter()
                .filter(|(_, code)| {
                    v.categories
                        .get(code)
                        .and_then(|m| m.get(kind_key(kind)))
                        .is_some_and(|l| !l.is_empty())
                })
                .collect();
            let chosen = rng.pick(&fitting).copied().or_else(|| self.categories.first());
            chosen.cloned().unwrap_or((CategoryId(1), "other".into()))
        };
        let text = v
            .categories
            .get(&cat_code)
            .and_then(|m| m.get(kind_key(kind)))
            .and_then(|l| rng.pick(l));
        let (summary, details) = text.map_or_else(
            || ("来电反映问题".to_string(), String::new()),
            |t| (t.summary.clone(), t.details.clone()),
        );
        let (dept, _, people) = rng
            .pick(self.depts)
            .map_or((DeptId(1), None, Vec::new()), |(d, vd, p)| (*d, Some(vd), p.clone()));
        Topic {
            kind,
            category: cat_id,
            summary,
            details,
            dept,
            people,
        }
    }

    /// Who complained: now and then anonymous, sometimes a repeat caller,
    /// mostly someone new.
    fn complainant(&self, rng: &mut Rng) -> Complainant {
        let v = self.vocab;
        if rng.chance(4) {
            Complainant::Anonymous
        } else if rng.chance(6) {
            let (name, phone) = rng.pick(self.repeaters).cloned().unwrap_or_default();
            Complainant::Named {
                name,
                phone: Some(phone),
                address: None,
                relation: Some(rng.text(&v.relations)),
            }
        } else {
            Complainant::Named {
                name: person_name(rng, v),
                phone: Some(format!(
                    "1{}{:09}",
                    [3, 5, 7, 8, 9][rng.below(5)],
                    rng.next() % 1_000_000_000
                )),
                address: rng.chance(30).then(|| rng.text(&v.responses.addresses)),
                relation: Some(rng.text(&v.relations)),
            }
        }
    }

    /// What the repeat rules need of what came before, within the window;
    /// this intake is remembered for the ones after it.
    fn history(
        &self,
        recent: &mut Recent,
        complainant: &Complainant,
        kind: Kind,
        subject: (DeptId, CategoryId),
        received: Time,
    ) -> History {
        let since = received - Duration::days(i64::from(self.policy.escalation.repeat_window_days));
        let caller_key = complainant.phone_key();
        let caller_cases = caller_key
            .as_ref()
            .map_or(0, |k| count_recent(recent.callers.entry(k.clone()).or_default(), since));
        let subject_complaints = if kind == Kind::Complaint {
            count_recent(recent.subjects.entry(subject).or_default(), since)
        } else {
            0
        };
        if let Some(k) = caller_key {
            recent.callers.entry(k).or_default().push_back(received);
        }
        if kind == Kind::Complaint {
            recent.subjects.entry(subject).or_default().push_back(received);
        }
        History {
            caller_cases,
            subject_complaints,
        }
    }

    /// A reply time promised, then an answer on the spot, a referral, or the
    /// department's work; false when the case goes no further.
    fn first_answer(&self, rng: &mut Rng, s: &mut Story<'_>, owner: &Actor, kind: Kind, dept: DeptId) -> bool {
        let r = &self.vocab.responses;
        s.at += Duration::minutes(2);
        let promise = s.at + Duration::days(3);
        s.step(
            owner,
            s.at,
            Command::Promise {
                at: promise,
                reason: None,
            },
        );
        let on_spot = matches!(kind, Kind::Inquiry | Kind::Praise) && rng.chance(75) || rng.chance(8);
        if on_spot {
            s.at += Duration::minutes(5);
            s.step(
                owner,
                s.at,
                Command::Answer {
                    text: rng.text(&r.answers_on_spot),
                },
            );
        } else if rng.chance(4) {
            s.at += Duration::minutes(5);
            let dept_name = self
                .depts
                .iter()
                .find(|(d, _, _)| *d == dept)
                .map(|(_, vd, _)| vd.name.clone())
                .unwrap_or_default();
            let text = format!("{}（{}）", rng.text(&r.refer_texts), dept_name);
            s.step(owner, s.at, Command::Refer { dept, text });
        } else {
            return self.department_work(rng, s, owner, dept);
        }
        true
    }

    /// Assigned to the department, which replies (some slowly: urged,
    /// sometimes extended; now and then paused), and the complainant is told;
    /// false when the case goes no further.
    fn department_work(&self, rng: &mut Rng, s: &mut Story<'_>, owner: &Actor, dept: DeptId) -> bool {
        let r = &self.vocab.responses;
        s.at += Duration::hours(1);
        let mode = if rng.chance(60) {
            AssignMode::Written
        } else {
            AssignMode::Phone
        };
        if !s.step(owner, s.at, Command::Assign { dept, mode }) {
            return false;
        }
        // Some departments are slow: urged, sometimes extended, sometimes late.
        let slow = rng.chance(25);
        let reply_after = if slow {
            Duration::hours(24 * (3 + rng.below(6) as i64))
        } else {
            Duration::hours(2 + rng.below(40) as i64)
        };
        if slow {
            self.urge(rng, s, owner);
        }
        if rng.chance(3) {
            s.step(
                owner,
                s.at + Duration::hours(1),
                Command::Pause {
                    reason: rng.text(&r.pause_reasons),
                },
            );
            s.step(owner, s.at + Duration::days(2), Command::Resume { reason: None });
        }
        s.at += reply_after;
        let verdict = match rng.below(10) {
            0..=3 => Verdict::Justified,
            4..=5 => Verdict::Partly,
            6..=8 => Verdict::Unjustified,
            _ => Verdict::NotOurs,
        };
        let replied = s.step(
            owner,
            s.at,
            Command::Reply {
                verdict,
                facts: rng.text(&r.facts),
                responsible: Some(rng.text(&r.responsible)),
                measures: Some(rng.text(&r.measures)),
                dept: None,
                tier: None,
            },
        );
        if !replied {
            return false;
        }
        s.at += Duration::hours(1 + rng.below(20) as i64);
        s.step(
            owner,
            s.at,
            Command::Feedback {
                method: FeedbackMethod::Phone,
                text: rng.text(&r.feedback_texts),
            },
        )
    }

    /// A slow department urged two hours past due, and sometimes given four more days.
    fn urge(&self, rng: &mut Rng, s: &mut Story<'_>, owner: &Actor) {
        let r = &self.vocab.responses;
        let due = s.case.running_deadlines().next().map_or(s.at, |d| d.due);
        let urge_at = due + Duration::hours(2);
        s.step(
            owner,
            urge_at,
            Command::Urge {
                deadline: None,
                whom: None,
                method: Some("电话".into()),
                note: rng.text(&r.urge_notes),
                answer: None,
                promised_at: None,
                dept: None,
            },
        );
        if rng.chance(30) {
            s.step(
                owner,
                urge_at + Duration::minutes(10),
                Command::Extend {
                    deadline: None,
                    to: due + Duration::days(4),
                    reason: rng.text(&r.extend_reasons),
                    dept: None,
                },
            );
        }
    }

    /// The return visit: sometimes nobody answers; now and then the
    /// complainant is unhappy and the case goes round again. False when the
    /// case goes no further.
    fn return_visit(
        &self,
        rng: &mut Rng,
        s: &mut Story<'_>,
        owner: &Actor,
        sup: &Actor,
        kind: Kind,
        dept: DeptId,
    ) -> bool {
        let r = &self.vocab.responses;
        s.at += Duration::hours(20 + rng.below(50) as i64);
        if rng.chance(10) {
            for day in 0..3 {
                s.step(
                    owner,
                    s.at + Duration::days(day),
                    Command::VisitFailed {
                        note: Some("无人接听".into()),
                    },
                );
            }
            s.at += Duration::days(3);
        } else if s.case.intake.complainant.has_contact() && !on_spot_exempt(&s.case, self.policy) {
            let unhappy = rng.chance(6);
            let satisfaction = if unhappy {
                Satisfaction::Unsatisfied
            } else if rng.chance(20) {
                Satisfaction::Basic
            } else {
                Satisfaction::Satisfied
            };
            let comment = if unhappy {
                rng.text(&r.visit_comments_unsatisfied)
            } else {
                rng.text(&r.visit_comments_satisfied)
            };
            let rated = kind == Kind::Repair;
            let visited = s.step(
                owner,
                s.at,
                Command::Visit {
                    method: VisitMethod::Phone,
                    satisfaction,
                    attitude: rated.then(|| 3 + u8::try_from(rng.below(3)).unwrap_or(0)),
                    speed: rated.then(|| 2 + u8::try_from(rng.below(4)).unwrap_or(0)),
                    result: rated.then(|| 3 + u8::try_from(rng.below(3)).unwrap_or(0)),
                    comment: Some(comment),
                },
            );
            if !visited {
                return false;
            }
            if unhappy {
                self.second_round(rng, s, owner, sup, dept);
            }
        }
        true
    }

    /// Second round: reassigned, replied, signed off by a supervisor, fed
    /// back, visited again.
    fn second_round(&self, rng: &mut Rng, s: &mut Story<'_>, owner: &Actor, sup: &Actor, dept: DeptId) {
        let r = &self.vocab.responses;
        s.at += Duration::hours(2);
        s.step(
            owner,
            s.at,
            Command::Assign {
                dept,
                mode: AssignMode::Written,
            },
        );
        s.at += Duration::days(2);
        s.step(
            owner,
            s.at,
            Command::Reply {
                verdict: Verdict::Justified,
                facts: rng.text(&r.facts),
                responsible: Some(rng.text(&r.responsible)),
                measures: Some(rng.text(&r.measures)),
                dept: None,
                tier: None,
            },
        );
        s.step(sup, s.at + Duration::hours(3), Command::Review { note: None });
        s.at += Duration::hours(5);
        s.step(
            owner,
            s.at,
            Command::Feedback {
                method: FeedbackMethod::Phone,
                text: rng.text(&r.feedback_texts),
            },
        );
        s.at += Duration::days(1);
        // A repair's visit asks all three ratings.
        let rated = (s.case.intake.kind == Kind::Repair).then_some(4);
        s.step(
            owner,
            s.at,
            Command::Visit {
                method: VisitMethod::Phone,
                satisfaction: Satisfaction::Basic,
                attitude: rated,
                speed: rated,
                result: rated,
                comment: None,
            },
        );
    }
}

/// Closed an hour on; mostly archived ten days later.
fn close(rng: &mut Rng, s: &mut Story<'_>, owner: &Actor) {
    s.at += Duration::hours(1);
    s.step(owner, s.at, Command::Close);
    if s.case.is_closed() && rng.chance(70) {
        s.step(owner, s.at + Duration::days(10), Command::Archive);
    }
}

/// Whether the rules excuse the case from a return visit.
fn on_spot_exempt(case: &Case, policy: &Policy) -> bool {
    !crate::domain::gate::visit_required(case, policy)
}

/// The key of a kind's texts in `assets/demo.toml`.
fn kind_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Complaint => "complaint",
        Kind::Suggestion => "suggestion",
        Kind::Praise => "praise",
        Kind::Inquiry => "inquiry",
        Kind::Repair => "repair",
    }
}
