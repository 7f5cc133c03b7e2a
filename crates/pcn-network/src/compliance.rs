//! The formation rules applied to one network on one date, as a report.

use std::borrow::Cow;
use std::fmt;

use chrono::NaiveDate;
use pcn_core::{FinancialYear, NetworkId, OdsCode};
use serde::{Deserialize, Serialize};

use crate::{
    FormationRules, Network, NetworkAgreement, NetworkError, NetworkIndex, NetworkKind,
    NominatedPayee, PracticeIndex, Registry, Rule, RuleException,
};

/// Settings for a compliance report that no publication fixes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceOptions {
    /// The farthest, in metres, a member practice may be from its nearest fellow
    /// member before the network counts as not contiguous. No figure is published
    /// (the rule is only that networks be "geographically contiguous"), so there is no
    /// default: without one, contiguity is not assessed. Choose it for the area:
    /// a few kilometres in a city, tens in the country.
    pub contiguity_distance_m: Option<u32>,
}

impl ComplianceOptions {
    /// Options that assess contiguity with the given distance.
    #[must_use]
    pub const fn with_contiguity_distance_m(metres: u32) -> Self {
        Self {
            contiguity_distance_m: Some(metres),
        }
    }
}

/// The outcome of one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule is met.
    Pass,
    /// The rule is not met and no exception is recorded.
    Fail,
    /// The rule is not met, but the commissioner has granted an exception in force on
    /// the date.
    ExceptionGranted,
    /// The rule could not be assessed (missing data or settings, or a rule that does
    /// not apply to this kind of network); the note says why.
    NotAssessed,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pass => "pass",
            Self::Fail => "FAIL",
            Self::ExceptionGranted => "exception granted",
            Self::NotAssessed => "not assessed",
        })
    }
}

/// A member practice too far from every other member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outlier {
    /// The practice.
    pub practice: OdsCode,
    /// The distance to its nearest fellow member with a known location, in metres.
    pub nearest_member_m: u32,
}

/// The figures behind one rule's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Figures {
    /// The registered population against the published range.
    Population {
        /// Patients registered with the members on the date.
        registered: u64,
        /// The minimum without an exception.
        minimum: u32,
        /// The top of the typical range (larger is allowed).
        typical_maximum: u32,
        /// Members with no published list size on or before the date.
        members_without_list_size: Vec<OdsCode>,
    },
    /// The members' distances from each other.
    Contiguity {
        /// The distance used, if one was set.
        distance_m: Option<u32>,
        /// Members whose location is known.
        located: u32,
        /// Members whose location is not known.
        unlocated: Vec<OdsCode>,
        /// Members farther than the distance from every other member.
        outliers: Vec<Outlier>,
    },
    /// The clinical directors in post.
    ClinicalDirector {
        /// Their names.
        in_post: Vec<String>,
        /// The number the rules call for.
        required: u32,
    },
    /// The Network Agreement on record.
    NetworkAgreement {
        /// The agreement, if recorded.
        agreement: Option<NetworkAgreement>,
    },
    /// The nominated payee on record.
    NominatedPayee {
        /// The payee, if recorded.
        payee: Option<NominatedPayee>,
        /// For a practice payee, whether it is a member on the date.
        payee_is_member: Option<bool>,
    },
    /// The commissioners of the network and its members.
    SingleCommissioner {
        /// The commissioner the network is registered with.
        network_commissioner: Option<OdsCode>,
        /// The distinct commissioners of the network and its members on the date.
        commissioners: Vec<OdsCode>,
        /// Members whose commissioner on the date is not known.
        unknown: Vec<OdsCode>,
    },
}

impl Figures {
    /// The rule the figures belong to.
    #[must_use]
    pub const fn rule(&self) -> Rule {
        match self {
            Self::Population { .. } => Rule::Population,
            Self::Contiguity { .. } => Rule::Contiguity,
            Self::ClinicalDirector { .. } => Rule::ClinicalDirector,
            Self::NetworkAgreement { .. } => Rule::NetworkAgreement,
            Self::NominatedPayee { .. } => Rule::NominatedPayee,
            Self::SingleCommissioner { .. } => Rule::SingleCommissioner,
        }
    }
}

/// One rule applied: its outcome, the figures behind it, any exception relied on and
/// the publication the rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleCheck {
    /// The outcome.
    pub outcome: Outcome,
    /// The figures.
    pub figures: Figures,
    /// Why the outcome is what it is, where the figures alone do not say.
    pub note: Option<String>,
    /// The exception relied on, for [`Outcome::ExceptionGranted`].
    pub exception: Option<RuleException>,
    /// Where the rule is published.
    pub source: Cow<'static, str>,
}

impl RuleCheck {
    /// The rule checked.
    #[must_use]
    pub const fn rule(&self) -> Rule {
        self.figures.rule()
    }
}

/// A network's compliance with the formation rules on one date: every rule with its
/// outcome and figures, never a bare yes or no.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    /// The network.
    pub network: NetworkId,
    /// Its ODS code.
    pub network_code: Option<OdsCode>,
    /// Its name.
    pub network_name: String,
    /// Its kind.
    pub kind: NetworkKind,
    /// The date assessed.
    pub date: NaiveDate,
    /// The contract year of the rules table applied.
    pub rules_from_year: FinancialYear,
    /// The member practices on the date.
    pub members: Vec<OdsCode>,
    /// Every rule, in [`Rule::ALL`] order.
    pub checks: Vec<RuleCheck>,
}

impl Compliance {
    /// The check of one rule.
    #[must_use]
    pub fn check(&self, rule: Rule) -> Option<&RuleCheck> {
        self.checks.iter().find(|c| c.rule() == rule)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &RuleCheck> {
        self.checks.iter().filter(|c| c.outcome == Outcome::Fail)
    }

    /// Whether no rule failed (every rule passed, was waived or could not be
    /// assessed).
    #[must_use]
    pub fn has_no_failures(&self) -> bool {
        self.failures().next().is_none()
    }
}

const PCN_ONLY: &str = "a Network Contract DES requirement, which applies to PCNs only";

struct Context<'a> {
    registry: &'a Registry,
    network: &'a Network,
    index: NetworkIndex,
    date: NaiveDate,
    rules: &'static FormationRules,
    members: Vec<PracticeIndex>,
}

impl Context<'_> {
    fn exception(&self, rule: Rule) -> Option<&RuleException> {
        self.network
            .exceptions()
            .iter()
            .find(|e| e.rule() == rule && e.during().contains(self.date))
    }

    fn code(&self, practice: PracticeIndex) -> Option<OdsCode> {
        self.registry.practice(practice).map(crate::Practice::code)
    }

    /// A check whose failure an exception in force can turn into a grant.
    fn waivable(&self, passed: bool, figures: Figures, note: Option<String>) -> RuleCheck {
        let rule = figures.rule();
        let exception = if passed {
            None
        } else {
            self.exception(rule).cloned()
        };
        let outcome = match (passed, &exception) {
            (true, _) => Outcome::Pass,
            (false, Some(_)) => Outcome::ExceptionGranted,
            (false, None) => Outcome::Fail,
        };
        self.check(outcome, figures, note, exception)
    }

    fn check(
        &self,
        outcome: Outcome,
        figures: Figures,
        note: Option<String>,
        exception: Option<RuleException>,
    ) -> RuleCheck {
        let source = Cow::Owned(self.rules.source(figures.rule()).to_owned());
        RuleCheck {
            outcome,
            figures,
            note,
            exception,
            source,
        }
    }

    fn population(&self) -> RuleCheck {
        let registered = self.registry.population_on(self.index, self.date);
        let without: Vec<OdsCode> = self
            .members
            .iter()
            .filter_map(|&p| self.registry.practice(p))
            .filter(|p| p.list_size_on(self.date).is_none())
            .map(crate::Practice::code)
            .collect();
        let minimum = self.rules.minimum_population.value;
        let typical_maximum = self.rules.typical_maximum_population.value;
        let passed = registered >= u64::from(minimum);
        let unknown = without.len();
        let figures = Figures::Population {
            registered,
            minimum,
            typical_maximum,
            members_without_list_size: without,
        };
        if !passed && unknown > 0 {
            let note = format!(
                "{unknown} member(s) have no published list size, so the population may be understated"
            );
            return self.check(Outcome::NotAssessed, figures, Some(note), None);
        }
        let note = if !passed {
            Some(format!("{registered} is below the minimum of {minimum}"))
        } else if registered > u64::from(typical_maximum) {
            Some(format!(
                "{registered} is above the typical {typical_maximum}, which is allowed"
            ))
        } else {
            None
        };
        self.waivable(passed, figures, note)
    }

    fn contiguity(&self, distance: Option<u32>) -> RuleCheck {
        let mut located = Vec::new();
        let mut unlocated = Vec::new();
        for &member in &self.members {
            if let Some(practice) = self.registry.practice(member) {
                match practice.location() {
                    Some(location) => located.push((practice.code(), location)),
                    None => unlocated.push(practice.code()),
                }
            }
        }
        let mut outliers = Vec::new();
        if let Some(limit) = distance {
            for (i, (code, here)) in located.iter().enumerate() {
                let nearest = located
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, (_, there))| here.distance_m(*there))
                    .min();
                if let Some(metres) = nearest.filter(|&m| m > limit) {
                    outliers.push(Outlier {
                        practice: *code,
                        nearest_member_m: metres,
                    });
                }
            }
        }
        let figures = Figures::Contiguity {
            distance_m: distance,
            located: u32::try_from(located.len()).unwrap_or(u32::MAX),
            unlocated: unlocated.clone(),
            outliers: outliers.clone(),
        };
        let (outcome, note) = match distance {
            None => (
                Outcome::NotAssessed,
                Some("no contiguity distance set (none is published): set ComplianceOptions::contiguity_distance_m".to_owned()),
            ),
            Some(limit) if !outliers.is_empty() => (
                Outcome::Fail,
                Some(format!("{} member(s) more than {limit} m from every other member", outliers.len())),
            ),
            Some(_) if !unlocated.is_empty() => (
                Outcome::NotAssessed,
                Some(format!("{} member(s) have no known location", unlocated.len())),
            ),
            Some(_) => (Outcome::Pass, None),
        };
        self.check(outcome, figures, note, None)
    }

    fn clinical_director(&self) -> RuleCheck {
        let in_post: Vec<String> = self
            .network
            .clinical_directors_on(self.date)
            .map(|cd| cd.name().to_owned())
            .collect();
        let required = self.rules.clinical_directors.value;
        let count = u32::try_from(in_post.len()).unwrap_or(u32::MAX);
        let figures = Figures::ClinicalDirector { in_post, required };
        if !self.network.kind().is_pcn() {
            return self.check(
                Outcome::NotAssessed,
                figures,
                Some(PCN_ONLY.to_owned()),
                None,
            );
        }
        let (outcome, note) = if count == required {
            (Outcome::Pass, None)
        } else {
            (
                Outcome::Fail,
                Some(format!(
                    "{count} clinical director(s) in post; the rules name {required} accountable clinical director"
                )),
            )
        };
        self.check(outcome, figures, note, None)
    }

    fn agreement(&self) -> RuleCheck {
        let agreement = self.network.agreement();
        let figures = Figures::NetworkAgreement { agreement };
        if !self.network.kind().is_pcn() {
            return self.check(
                Outcome::NotAssessed,
                figures,
                Some(PCN_ONLY.to_owned()),
                None,
            );
        }
        let (outcome, note) = match agreement {
            Some(a) if a.is_in_force_on(self.date) => (Outcome::Pass, None),
            Some(a) => (
                Outcome::Fail,
                Some(format!(
                    "the agreement signed on {} is in force during {}",
                    a.signed_on, a.in_force
                )),
            ),
            None => (
                Outcome::Fail,
                Some("no Network Agreement is recorded".to_owned()),
            ),
        };
        self.check(outcome, figures, note, None)
    }

    fn payee(&self) -> RuleCheck {
        let payee = self.network.nominated_payee();
        let payee_is_member = match payee {
            Some(NominatedPayee::Practice(code)) => {
                Some(self.members.iter().any(|&m| self.code(m) == Some(code)))
            }
            _ => None,
        };
        let figures = Figures::NominatedPayee {
            payee,
            payee_is_member,
        };
        if !self.network.kind().is_pcn() {
            return self.check(
                Outcome::NotAssessed,
                figures,
                Some(PCN_ONLY.to_owned()),
                None,
            );
        }
        let (outcome, note) = match (payee, payee_is_member) {
            (None, _) => (
                Outcome::Fail,
                Some("no nominated payee is recorded".to_owned()),
            ),
            (Some(p), Some(false)) => (
                Outcome::Fail,
                Some(format!(
                    "the payee practice {} is not a member on the date",
                    p.code()
                )),
            ),
            _ => (Outcome::Pass, None),
        };
        self.check(outcome, figures, note, None)
    }

    fn commissioner(&self) -> RuleCheck {
        let mut commissioners: Vec<OdsCode> = self.network.commissioner().into_iter().collect();
        let mut unknown = Vec::new();
        for &member in &self.members {
            if let Some(practice) = self.registry.practice(member) {
                match practice.commissioner_on(self.date) {
                    Some(c) => commissioners.push(c),
                    None => unknown.push(practice.code()),
                }
            }
        }
        commissioners.sort_unstable();
        commissioners.dedup();
        let distinct = commissioners.len();
        let has_unknown = !unknown.is_empty();
        let figures = Figures::SingleCommissioner {
            network_commissioner: self.network.commissioner(),
            commissioners,
            unknown,
        };
        if !self.network.kind().is_pcn() {
            return self.check(
                Outcome::NotAssessed,
                figures,
                Some(PCN_ONLY.to_owned()),
                None,
            );
        }
        if distinct > 1 {
            let note = Some(format!(
                "{distinct} commissioners among the network and its members"
            ));
            return self.waivable(false, figures, note);
        }
        if has_unknown {
            let note = Some("the commissioner of some members on the date is not known".to_owned());
            return self.check(Outcome::NotAssessed, figures, note, None);
        }
        self.waivable(true, figures, None)
    }
}

impl Registry {
    /// The formation rules applied to `network` on `date`: every rule in
    /// [`Rule::ALL`] order, each with its outcome and figures, using the rules table
    /// in force in the date's financial year.
    ///
    /// The Network Contract DES rules (clinical director, agreement, payee, single
    /// commissioner) are marked not assessed for networks that are not PCNs; the
    /// population range and contiguity are assessed for every kind (a Primary Care
    /// Home also serves 30,000 to 50,000).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use pcn_core::DateRange;
    /// use pcn_network::{ComplianceOptions, ExceptionGround, Network, Outcome, Practice, PracticeStatus, Registry, Rule, RuleException};
    /// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    /// let mut registry = Registry::new();
    /// let mut practice = Practice::new("N84005".parse()?, "Formby Village Surgery", DateRange::starting(d(1974, 4, 1)), PracticeStatus::Active)?;
    /// practice.record_list_size(d(2021, 1, 1), 14_383)?;
    /// let p = registry.add_practice(practice)?;
    /// let pcn = registry.add_network(Network::pcn("U82880".parse()?, "Formby PCN", DateRange::starting(d(2019, 7, 1)))?)?;
    /// registry.join(p, pcn, DateRange::starting(d(2019, 7, 1)))?;
    ///
    /// let report = registry.compliance(pcn, d(2021, 6, 1), &ComplianceOptions::default())?;
    /// assert_eq!(report.check(Rule::Population).unwrap().outcome, Outcome::Fail);
    ///
    /// registry.network_mut(pcn).unwrap().record_exception(RuleException::new(
    ///     Rule::Population, ExceptionGround::RuralLowPopulationDensity, DateRange::starting(d(2019, 7, 1)), "agreed at registration",
    /// ))?;
    /// let report = registry.compliance(pcn, d(2021, 6, 1), &ComplianceOptions::default())?;
    /// assert_eq!(report.check(Rule::Population).unwrap().outcome, Outcome::ExceptionGranted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`NetworkError::UnknownNetwork`] for an index from another registry;
    /// [`NetworkError::NetworkNotOpen`] if the network is not open on `date`;
    /// [`NetworkError::NoRulesForYear`] before 2019/20.
    pub fn compliance(
        &self,
        network: NetworkIndex,
        date: NaiveDate,
        options: &ComplianceOptions,
    ) -> Result<Compliance, NetworkError> {
        let net = self.network_ref(network)?;
        if !net.is_open_on(date) {
            return Err(NetworkError::NetworkNotOpen {
                network: net.label(),
                date,
                open: net.open(),
            });
        }
        let rules = FormationRules::for_year(FinancialYear::containing(date))?;
        let context = Context {
            registry: self,
            network: net,
            index: network,
            date,
            rules,
            members: self.members_on(network, date).collect(),
        };
        let checks = Rule::ALL
            .iter()
            .map(|rule| match rule {
                Rule::Population => context.population(),
                Rule::Contiguity => context.contiguity(options.contiguity_distance_m),
                Rule::ClinicalDirector => context.clinical_director(),
                Rule::NetworkAgreement => context.agreement(),
                Rule::NominatedPayee => context.payee(),
                Rule::SingleCommissioner => context.commissioner(),
            })
            .collect();
        Ok(Compliance {
            network: net.id(),
            network_code: net.code(),
            network_name: net.name().to_owned(),
            kind: net.kind(),
            date,
            rules_from_year: rules.from_year,
            members: context
                .members
                .iter()
                .filter_map(|&m| context.code(m))
                .collect(),
            checks,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClinicalDirector, ExceptionGround, Location, Practice, PracticeStatus};
    use pcn_core::DateRange;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// A PCN of three practices, two close together and one 40 km away.
    fn network() -> (Registry, NetworkIndex) {
        let mut r = Registry::new();
        let pcn = r
            .add_network(
                Network::pcn(
                    "U89141".parse().unwrap(),
                    "Stockton PCN",
                    DateRange::starting(d(2019, 7, 1)),
                )
                .unwrap(),
            )
            .unwrap();
        for (code, lat, list, commissioner) in [
            ("A81001", 54.56, 12_000, "16C"),
            ("A81002", 54.57, 11_000, "16C"),
            ("A81004", 54.92, 9_000, "00K"),
        ] {
            let mut p = Practice::new(
                code.parse().unwrap(),
                "Surgery",
                DateRange::starting(d(1974, 4, 1)),
                PracticeStatus::Active,
            )
            .unwrap();
            p.set_location(Some(Location::new(lat, -1.31).unwrap()));
            p.set_commissioner(d(2013, 4, 1), commissioner.parse().unwrap());
            p.record_list_size(d(2021, 1, 1), list).unwrap();
            let i = r.add_practice(p).unwrap();
            r.join(i, pcn, DateRange::starting(d(2019, 7, 1))).unwrap();
        }
        (r, pcn)
    }

    #[test]
    fn every_rule_is_reported_with_its_figures() {
        let (r, pcn) = network();
        let report = r
            .compliance(
                pcn,
                d(2021, 6, 1),
                &ComplianceOptions::with_contiguity_distance_m(10_000),
            )
            .unwrap();
        assert_eq!(report.checks.len(), Rule::ALL.len());
        assert_eq!(report.members.len(), 3);
        let population = report.check(Rule::Population).unwrap();
        assert_eq!(population.outcome, Outcome::Pass);
        assert!(matches!(
            population.figures,
            Figures::Population {
                registered: 32_000,
                minimum: 30_000,
                ..
            }
        ));

        let contiguity = report.check(Rule::Contiguity).unwrap();
        assert_eq!(contiguity.outcome, Outcome::Fail);
        let Figures::Contiguity { outliers, .. } = &contiguity.figures else {
            panic!()
        };
        assert_eq!(outliers.len(), 1);
        assert_eq!(outliers[0].practice.as_str(), "A81004");
        assert!(outliers[0].nearest_member_m > 38_000);

        assert_eq!(
            report.check(Rule::ClinicalDirector).unwrap().outcome,
            Outcome::Fail
        );
        assert_eq!(
            report.check(Rule::NetworkAgreement).unwrap().outcome,
            Outcome::Fail
        );
        assert_eq!(
            report.check(Rule::NominatedPayee).unwrap().outcome,
            Outcome::Fail
        );
        assert_eq!(
            report.check(Rule::SingleCommissioner).unwrap().outcome,
            Outcome::Fail
        );
        assert!(!report.has_no_failures());
        assert!(population.source.contains("para 3.2"));
    }

    #[test]
    fn a_network_meeting_every_rule_passes() {
        let (mut r, pcn) = network();
        let far = r.practice_index(&"A81004".parse().unwrap()).unwrap();
        r.leave(far, pcn, d(2020, 1, 1)).unwrap();
        r.record_list_size(
            r.practice_index(&"A81001".parse().unwrap()).unwrap(),
            d(2021, 2, 1),
            20_000,
        )
        .unwrap();
        let n = r.network_mut(pcn).unwrap();
        n.add_clinical_director(
            ClinicalDirector::new("Dr A", DateRange::starting(d(2019, 7, 1))).unwrap(),
        );
        n.set_agreement(Some(NetworkAgreement::new(
            d(2019, 5, 15),
            DateRange::starting(d(2019, 7, 1)),
        )));
        n.set_nominated_payee(Some(NominatedPayee::Practice("A81001".parse().unwrap())));
        n.set_commissioner(Some("16C".parse().unwrap()));
        let options = ComplianceOptions::with_contiguity_distance_m(10_000);
        let report = r.compliance(pcn, d(2021, 6, 1), &options).unwrap();
        for check in &report.checks {
            assert_eq!(check.outcome, Outcome::Pass, "{:?}", check);
        }
        // Before the second list size the population is 23,000: below the minimum.
        let report = r.compliance(pcn, d(2021, 1, 15), &options).unwrap();
        assert_eq!(
            report.check(Rule::Population).unwrap().outcome,
            Outcome::Fail
        );
    }

    #[test]
    fn exceptions_apply_only_while_in_force() {
        let (mut r, pcn) = network();
        r.network_mut(pcn)
            .unwrap()
            .record_exception(RuleException::new(
                Rule::SingleCommissioner,
                ExceptionGround::AgreedByCommissioner,
                DateRange::new(d(2019, 7, 1), Some(d(2021, 4, 1))).unwrap(),
                "cross-boundary practice agreed by both CCGs",
            ))
            .unwrap();
        let options = ComplianceOptions::default();
        let check = |date| {
            r.compliance(pcn, date, &options)
                .unwrap()
                .check(Rule::SingleCommissioner)
                .unwrap()
                .clone()
        };
        let during = check(d(2021, 3, 31));
        assert_eq!(during.outcome, Outcome::ExceptionGranted);
        assert!(during.exception.is_some());
        assert_eq!(check(d(2021, 4, 1)).outcome, Outcome::Fail);
    }

    #[test]
    fn unknown_data_is_not_assessed_rather_than_guessed() {
        let mut r = Registry::new();
        let pcn = r
            .add_network(
                Network::pcn(
                    "U89141".parse().unwrap(),
                    "Stockton PCN",
                    DateRange::starting(d(2019, 7, 1)),
                )
                .unwrap(),
            )
            .unwrap();
        let p = r
            .add_practice(
                Practice::new(
                    "A81001".parse().unwrap(),
                    "Surgery",
                    DateRange::starting(d(1974, 4, 1)),
                    PracticeStatus::Active,
                )
                .unwrap(),
            )
            .unwrap();
        r.join(p, pcn, DateRange::starting(d(2019, 7, 1))).unwrap();
        let report = r
            .compliance(
                pcn,
                d(2021, 6, 1),
                &ComplianceOptions::with_contiguity_distance_m(5_000),
            )
            .unwrap();
        for rule in [Rule::Population, Rule::Contiguity, Rule::SingleCommissioner] {
            assert_eq!(
                report.check(rule).unwrap().outcome,
                Outcome::NotAssessed,
                "{rule}"
            );
            assert!(report.check(rule).unwrap().note.is_some());
        }
        let err = r
            .compliance(pcn, d(2019, 1, 1), &ComplianceOptions::default())
            .unwrap_err();
        assert!(matches!(err, NetworkError::NetworkNotOpen { .. }));
    }

    #[test]
    fn reports_serialise_with_the_rule_as_a_tag() {
        let (r, pcn) = network();
        let report = r
            .compliance(pcn, d(2021, 6, 1), &ComplianceOptions::default())
            .unwrap();
        let json = serde_json::to_string(&report).unwrap();
        assert!(
            json.contains(r#""figures":{"rule":"population","registered":32000"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Compliance>(&json).unwrap(), report);
    }
}
