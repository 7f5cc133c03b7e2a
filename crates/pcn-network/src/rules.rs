//! The PCN formation rules, as data keyed by contract year, and recorded exceptions.

use std::borrow::Cow;
use std::fmt;

use pcn_core::{DateRange, FinancialYear};
use serde::{Deserialize, Serialize};

use crate::NetworkError;

/// One formation rule of a Primary Care Network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// The registered population is at least the minimum (30,000), unless the
    /// commissioner has waived it; above the typical maximum (50,000) is allowed.
    Population,
    /// The member practices form a geographically contiguous area.
    Contiguity,
    /// One named accountable clinical director is in post.
    ClinicalDirector,
    /// A Network Agreement signed by every member is in force.
    NetworkAgreement,
    /// A nominated payee is recorded (and, if a practice, is a member).
    NominatedPayee,
    /// Every member practice has the same commissioner, unless an exception is
    /// recorded.
    SingleCommissioner,
}

impl Rule {
    /// Every rule, in report order.
    pub const ALL: [Self; 6] = [
        Self::Population,
        Self::Contiguity,
        Self::ClinicalDirector,
        Self::NetworkAgreement,
        Self::NominatedPayee,
        Self::SingleCommissioner,
    ];

    /// Whether a commissioner may grant an exception to the rule: the population
    /// minimum ("where a PCN serves a natural community which has a low population
    /// density across a large rural and remote area", Network Contract DES 2019/20
    /// para 3.2) and the single commissioner (the ePCN file records practices whose
    /// Sub-ICB differs from their PCN's).
    #[must_use]
    pub const fn is_waivable(self) -> bool {
        matches!(self, Self::Population | Self::SingleCommissioner)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Population => "population",
            Self::Contiguity => "contiguity",
            Self::ClinicalDirector => "clinical director",
            Self::NetworkAgreement => "network agreement",
            Self::NominatedPayee => "nominated payee",
            Self::SingleCommissioner => "single commissioner",
        })
    }
}

/// A published figure and where it was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure<T> {
    /// The figure.
    pub value: T,
    /// The publication it comes from.
    pub source: Cow<'static, str>,
}

/// The formation rules in force from a contract year until a later table replaces
/// them, each with its figure and source.
///
/// The Network Contract DES is republished each financial year. The figures below
/// were set for 2019/20 and no later specification found changed them, so the
/// 2019/20 table applies to later years; add a table here when a year changes a
/// figure.
///
/// ```
/// use pcn_core::FinancialYear;
/// use pcn_network::FormationRules;
/// let rules = FormationRules::for_year("2023/24".parse()?)?;
/// assert_eq!(rules.from_year, "2019/20".parse::<FinancialYear>()?);
/// assert_eq!(rules.minimum_population.value, 30_000);
/// assert!(FormationRules::for_year("2018/19".parse()?).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormationRules {
    /// The first contract year the table applies to.
    pub from_year: FinancialYear,
    /// The smallest registered population a PCN may serve without an exception.
    pub minimum_population: Figure<u32>,
    /// The top of the typical range; larger PCNs are allowed.
    pub typical_maximum_population: Figure<u32>,
    /// The number of accountable clinical directors a PCN names.
    pub clinical_directors: Figure<u32>,
    /// Where the contiguity requirement is published (no distance is published: the
    /// distance is a parameter of [`ComplianceOptions`](crate::ComplianceOptions)).
    pub contiguity_source: Cow<'static, str>,
    /// Where the Network Agreement requirement is published.
    pub agreement_source: Cow<'static, str>,
    /// Where the nominated payee requirement is published.
    pub payee_source: Cow<'static, str>,
    /// Where the single-commissioner expectation is published.
    pub commissioner_source: Cow<'static, str>,
}

/// The tables, oldest first.
static FORMATION_RULES: [FormationRules; 1] = [FormationRules {
    from_year: FinancialYear::constant(2019),
    minimum_population: Figure {
        value: 30_000,
        source: Cow::Borrowed(
            "Network Contract DES 2019/20 para 3.2: at least 30,000 registered patients, which the commissioner may waive for a natural community with a low population density across a large rural and remote area (written answer 2019-06-13, theyworkforyou.com); NHS England PCN FAQs",
        ),
    },
    typical_maximum_population: Figure {
        value: 50_000,
        source: Cow::Borrowed(
            "NHS England PCN FAQs and Health Foundation, 'Understanding primary care networks': typically 30,000 to 50,000; larger networks allowed and may work as neighbourhood teams",
        ),
    },
    clinical_directors: Figure {
        value: 1,
        source: Cow::Borrowed(
            "Network Contract DES registration requirements: a named accountable Clinical Director (bmalaw.co.uk, PCN registration)",
        ),
    },
    contiguity_source: Cow::Borrowed(
        "BMA summary of the 2019 GP contract: 'Networks will need to be geographically contiguous'; registration includes a map of the network area (bmalaw.co.uk)",
    ),
    agreement_source: Cow::Borrowed(
        "Network Contract DES registration requirements: a Network Agreement signed by all member practices (bmalaw.co.uk, PCN registration)",
    ),
    payee_source: Cow::Borrowed(
        "Network Contract DES registration requirements: one nominated payee with a single bank account for network funding (bmalaw.co.uk, PCN registration)",
    ),
    commissioner_source: Cow::Borrowed(
        "Health Foundation, 'Understanding primary care networks': networks co-terminous with the commissioner's footprint; the ODS ePCN file flags practices whose Sub-ICB differs from their PCN's",
    ),
}];

impl FormationRules {
    /// The rules in force in `year`.
    ///
    /// # Errors
    /// [`NetworkError::NoRulesForYear`] before 2019/20, when PCNs did not exist.
    pub fn for_year(year: FinancialYear) -> Result<&'static Self, NetworkError> {
        FORMATION_RULES
            .iter()
            .rev()
            .find(|rules| rules.from_year <= year)
            .ok_or(NetworkError::NoRulesForYear { year })
    }

    /// Every table, oldest first.
    #[must_use]
    pub fn all() -> &'static [Self] {
        &FORMATION_RULES
    }

    /// Where the rule is published.
    #[must_use]
    pub fn source(&self, rule: Rule) -> &str {
        match rule {
            Rule::Population => &self.minimum_population.source,
            Rule::Contiguity => &self.contiguity_source,
            Rule::ClinicalDirector => &self.clinical_directors.source,
            Rule::NetworkAgreement => &self.agreement_source,
            Rule::NominatedPayee => &self.payee_source,
            Rule::SingleCommissioner => &self.commissioner_source,
        }
    }
}

/// The grounds on which a commissioner waives a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExceptionGround {
    /// The network serves "a natural community which has a low population density
    /// across a large rural and remote area" (Network Contract DES 2019/20 para 3.2).
    RuralLowPopulationDensity,
    /// The commissioner agreed the arrangement for another reason, given in the note.
    AgreedByCommissioner,
}

/// An exception to a formation rule, granted by the commissioner for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleException {
    rule: Rule,
    ground: ExceptionGround,
    during: DateRange,
    note: String,
}

impl RuleException {
    /// An exception to `rule` on `ground` during `during`, with a free-text note (the
    /// commissioner's decision reference, for example). Whether the rule can be waived
    /// is checked when the exception is recorded on a network.
    #[must_use]
    pub fn new(rule: Rule, ground: ExceptionGround, during: DateRange, note: &str) -> Self {
        Self {
            rule,
            ground,
            during,
            note: note.trim().to_owned(),
        }
    }

    /// The rule waived.
    #[must_use]
    pub const fn rule(&self) -> Rule {
        self.rule
    }

    /// The ground for the exception.
    #[must_use]
    pub const fn ground(&self) -> ExceptionGround {
        self.ground
    }

    /// The dates the exception applies.
    #[must_use]
    pub const fn during(&self) -> DateRange {
        self.during
    }

    /// The note recorded with it.
    #[must_use]
    pub fn note(&self) -> &str {
        &self.note
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_years_use_the_latest_table_in_force() {
        let year: FinancialYear = "2030/31".parse().unwrap();
        let rules = FormationRules::for_year(year).unwrap();
        assert_eq!(rules.from_year.to_string(), "2019/20");
        assert_eq!(rules.typical_maximum_population.value, 50_000);
        assert!(rules.source(Rule::Population).contains("para 3.2"));
        let err = FormationRules::for_year("2018/19".parse().unwrap()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no PCN formation rules for 2018/19: Primary Care Networks were formed under the Network Contract DES from 2019/20"
        );
    }

    #[test]
    fn tables_are_in_year_order_and_serialise() {
        let all = FormationRules::all();
        assert!(all.windows(2).all(|w| w[0].from_year < w[1].from_year));
        let json = serde_json::to_string(&all[0]).unwrap();
        assert!(json.contains(r#""from_year":"2019/20""#));
        assert_eq!(
            serde_json::from_str::<FormationRules>(&json).unwrap(),
            all[0]
        );
    }
}
