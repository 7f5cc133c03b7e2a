//! The pathway catalogue: loaded from a file, checked once, compiled into an index.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use pcn_core::{DateRange, NetworkId, PathwayId, SnomedCode};
use serde::{Deserialize, Serialize};

use crate::{
    Destination, EntryRoute, PathwayCode, PathwayDefinition, Priority, RedFlag, RedFlagRule,
    ReferralError, RouteRule, TargetWait,
};

/// How red flags are handled across the catalogue.
///
/// A pathway's own [`red_flags`](PathwayDefinition::red_flags) are looked at first,
/// then `rules`, and a red flag that neither lists goes to `default_pathway`
/// (typically urgent GP review), so that every red flag has somewhere to go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlagPolicy {
    /// Where a red flag goes when no rule names it (urgent or suspected cancer).
    pub default_pathway: PathwayCode,
    /// Catalogue-wide rules, in order of precedence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RedFlagRule>,
}

/// A pathway catalogue as written in a file: plain data, checked by
/// [`PathwayCatalogue::compile`].
///
/// The JSON form:
///
/// ```json
/// {
///   "network": "0b5c1a52-0000-4000-8000-000000000001",
///   "name": "Riverside PCN",
///   "red_flags": { "default_pathway": "urgent-gp-review", "rules": [] },
///   "pathways": [ { "code": "urgent-gp-review", "name": "...", ... } ]
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueDefinition {
    /// The network whose pathways these are ("registered in the network" means
    /// registered with one of its practices).
    pub network: NetworkId,
    /// A name for people.
    pub name: String,
    /// How red flags are handled.
    pub red_flags: RedFlagPolicy,
    /// The pathways.
    pub pathways: Vec<PathwayDefinition>,
}

/// A pathway as the router holds it: criteria sorted for fast matching.
#[derive(Debug, Clone)]
pub(crate) struct CompiledPathway {
    pub(crate) id: PathwayId,
    pub(crate) min_age: u32,
    pub(crate) max_age: u32,
    pub(crate) registered_in_network: bool,
    pub(crate) requires: Box<[SnomedCode]>,
    pub(crate) excludes: Box<[SnomedCode]>,
    pub(crate) in_force: Option<DateRange>,
    /// Red-flag rules as (flag, pathway index), in order of precedence.
    pub(crate) red_flags: Box<[(RedFlag, u32)]>,
    pub(crate) destination: Destination,
    pub(crate) priority: Priority,
    pub(crate) target_wait: TargetWait,
}

/// A checked pathway catalogue, compiled into an index for routing.
///
/// Built once with [`compile`](Self::compile) (or [`from_json`](Self::from_json),
/// [`load`](Self::load)), which refuses a catalogue with any of these faults, each
/// named in the error: a duplicate code or id; a pathway with routes but no reasons, an age range
/// that runs backwards, a reason or required condition that is also an exclusion, a
/// team-referral rule with no roles or naming a GP; a target wait that contradicts the
/// priority or destination (a two-week-wait pathway must use the suspected-cancer
/// standard, a consultant-led one the 18-week standard); a red flag that points to an
/// unknown or routine pathway; a pathway with no route that no red flag reaches; and
/// **two pathways that fit the same request** (same route and reason, overlapping
/// ages and dates, conditions that one patient can meet for both) unless one declares
/// `takes_precedence_over` the other. Routing therefore never meets a tie.
///
/// Serialises as its [`CatalogueDefinition`] (with every pathway id filled in), and
/// deserialises through `compile`, so a deserialised catalogue is always checked.
///
/// ```
/// use pcn_referral::{PathwayCatalogue, EXAMPLE_CATALOGUE};
/// let catalogue = PathwayCatalogue::from_json(EXAMPLE_CATALOGUE)?;
/// let fcp = catalogue.pathway_by_code(&"msk-fcp-direct-access".parse()?).unwrap();
/// assert_eq!(fcp.name, "MSK first contact physiotherapy (direct access)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PathwayCatalogue {
    definition: CatalogueDefinition,
    pub(crate) compiled: Vec<CompiledPathway>,
    by_id: HashMap<PathwayId, u32>,
    by_code: HashMap<PathwayCode, u32>,
    /// Candidates for a (canonical route, reason), in order of precedence.
    pub(crate) index: HashMap<(EntryRoute, SnomedCode), Box<[u32]>>,
    /// Every pathway accepting a reason, by any route, in catalogue order.
    pub(crate) by_reason: HashMap<SnomedCode, Box<[u32]>>,
    pub(crate) catalogue_red_flags: Box<[(RedFlag, u32)]>,
    pub(crate) default_red_flag: u32,
}

impl PathwayCatalogue {
    /// Checks a catalogue and builds its routing index.
    ///
    /// # Errors
    /// The first fault found, as listed on [`PathwayCatalogue`]; for example
    /// [`ReferralError::OverlappingPathways`] names both pathways, the route, the
    /// reason and the ages at which they overlap.
    pub fn compile(mut definition: CatalogueDefinition) -> Result<Self, ReferralError> {
        let count = u32::try_from(definition.pathways.len()).map_err(|_| {
            ReferralError::CatalogueTooLarge {
                pathways: definition.pathways.len(),
            }
        })?;
        let mut by_code = HashMap::with_capacity(definition.pathways.len());
        let mut by_id = HashMap::with_capacity(definition.pathways.len());
        for (index, pathway) in (0..count).zip(definition.pathways.iter_mut()) {
            if by_code.insert(pathway.code.clone(), index).is_some() {
                return Err(ReferralError::DuplicatePathwayCode {
                    code: pathway.code.clone(),
                });
            }
            let id = pathway.id.unwrap_or_else(|| {
                let name = format!("pathway:{}:{}", definition.network, pathway.code);
                PathwayId::derived(&name)
            });
            pathway.id = Some(id);
            if by_id.insert(id, index).is_some() {
                return Err(ReferralError::DuplicatePathwayId {
                    id,
                    code: pathway.code.clone(),
                });
            }
        }
        let lookup = |code: &PathwayCode, from: Option<&PathwayCode>| {
            by_code
                .get(code)
                .copied()
                .ok_or_else(|| ReferralError::UnknownPathway {
                    code: code.clone(),
                    referenced_by: from.cloned(),
                })
        };

        let mut compiled = Vec::with_capacity(definition.pathways.len());
        for pathway in &mut definition.pathways {
            compiled.push(check_pathway(pathway)?);
        }

        // Red flags: per-pathway rules, catalogue rules, and the default.
        let resolve_rules = |rules: &[RedFlagRule],
                             owner: Option<&PathwayCode>|
         -> Result<Box<[(RedFlag, u32)]>, ReferralError> {
            let mut seen = BTreeSet::new();
            let mut out = Vec::with_capacity(rules.len());
            for rule in rules {
                if !seen.insert(rule.flag) {
                    return Err(ReferralError::DuplicateRedFlag {
                        flag: rule.flag,
                        owner: owner.cloned(),
                    });
                }
                let target = lookup(&rule.pathway, owner)?;
                check_red_flag_target(&definition, Some(rule.flag), target, owner)?;
                out.push((rule.flag, target));
            }
            Ok(out.into_boxed_slice())
        };
        let mut per_pathway = Vec::with_capacity(compiled.len());
        for pathway in &definition.pathways {
            per_pathway.push(resolve_rules(&pathway.red_flags, Some(&pathway.code))?);
        }
        let catalogue_red_flags = resolve_rules(&definition.red_flags.rules, None)?;
        let default_red_flag = lookup(&definition.red_flags.default_pathway, None)?;
        check_red_flag_target(&definition, None, default_red_flag, None)?;

        let mut reached_by_red_flag = vec![false; compiled.len()];
        reached_by_red_flag[default_red_flag as usize] = true;
        for (_, target) in per_pathway
            .iter()
            .flatten()
            .chain(catalogue_red_flags.iter())
        {
            reached_by_red_flag[*target as usize] = true;
        }
        for (pathway, reached) in definition.pathways.iter().zip(&reached_by_red_flag) {
            if pathway.routes.is_empty() && !reached {
                return Err(ReferralError::UnreachablePathway {
                    code: pathway.code.clone(),
                });
            }
        }
        for (compiled, rules) in compiled.iter_mut().zip(per_pathway) {
            compiled.red_flags = rules;
        }

        // Precedence: resolve the declared order, then check every overlap is covered.
        let mut beats = vec![Vec::new(); compiled.len()];
        for (index, pathway) in (0..count).zip(&definition.pathways) {
            for loser in &pathway.takes_precedence_over {
                let loser = lookup(loser, Some(&pathway.code))?;
                if loser == index {
                    return Err(ReferralError::SelfPrecedence {
                        code: pathway.code.clone(),
                    });
                }
                beats[index as usize].push(loser);
            }
        }
        let rank = precedence_ranks(&definition, &beats)?;
        check_overlaps(&definition, &compiled, &beats)?;

        // The index: (route, reason) -> candidates in order of precedence.
        let mut index: HashMap<(EntryRoute, SnomedCode), Vec<u32>> = HashMap::new();
        let mut by_reason: HashMap<SnomedCode, Vec<u32>> = HashMap::new();
        for (position, pathway) in (0..count).zip(&definition.pathways) {
            for reason in &pathway.eligibility.reasons {
                by_reason.entry(*reason).or_default().push(position);
                for rule in &pathway.routes {
                    for route in rule.routes() {
                        let slot = index.entry((route, *reason)).or_default();
                        if !slot.contains(&position) {
                            slot.push(position);
                        }
                    }
                }
            }
        }
        let index = index
            .into_iter()
            .map(|(key, mut candidates)| {
                candidates.sort_by_key(|c| rank[*c as usize]);
                (key, candidates.into_boxed_slice())
            })
            .collect();
        let by_reason = by_reason
            .into_iter()
            .map(|(key, list)| (key, list.into_boxed_slice()))
            .collect();

        Ok(Self {
            definition,
            compiled,
            by_id,
            by_code,
            index,
            by_reason,
            catalogue_red_flags,
            default_red_flag,
        })
    }

    /// Parses and compiles a catalogue from JSON.
    ///
    /// # Errors
    /// [`ReferralError::CatalogueJson`] if the text is not a catalogue (with the serde
    /// message, which names the line, column and field), or any error of
    /// [`compile`](Self::compile).
    pub fn from_json(json: &str) -> Result<Self, ReferralError> {
        let definition: CatalogueDefinition =
            serde_json::from_str(json).map_err(|err| ReferralError::CatalogueJson {
                message: err.to_string(),
            })?;
        Self::compile(definition)
    }

    /// Reads, parses and compiles a catalogue file (JSON).
    ///
    /// # Errors
    /// [`ReferralError::CatalogueFile`] if the file cannot be read, or any error of
    /// [`from_json`](Self::from_json).
    pub fn load(path: impl AsRef<Path>) -> Result<Self, ReferralError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|err| ReferralError::CatalogueFile {
            path: path.display().to_string(),
            message: err.to_string(),
        })?;
        Self::from_json(&text)
    }

    /// The catalogue as written, with every pathway id filled in.
    #[must_use]
    pub fn definition(&self) -> &CatalogueDefinition {
        &self.definition
    }

    /// The catalogue's network.
    #[must_use]
    pub fn network(&self) -> NetworkId {
        self.definition.network
    }

    /// The number of pathways.
    #[must_use]
    pub fn len(&self) -> usize {
        self.compiled.len()
    }

    /// Whether the catalogue has no pathways.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.compiled.is_empty()
    }

    /// Every pathway with its id, in catalogue order.
    pub fn pathways(&self) -> impl Iterator<Item = (PathwayId, &PathwayDefinition)> {
        self.compiled
            .iter()
            .zip(&self.definition.pathways)
            .map(|(compiled, definition)| (compiled.id, definition))
    }

    /// The pathway with this id.
    #[must_use]
    pub fn pathway(&self, id: PathwayId) -> Option<&PathwayDefinition> {
        self.by_id
            .get(&id)
            .map(|index| &self.definition.pathways[*index as usize])
    }

    /// The pathway with this code.
    #[must_use]
    pub fn pathway_by_code(&self, code: &PathwayCode) -> Option<&PathwayDefinition> {
        self.by_code
            .get(code)
            .map(|index| &self.definition.pathways[*index as usize])
    }

    /// The id of the pathway with this code.
    #[must_use]
    pub fn id_of(&self, code: &PathwayCode) -> Option<PathwayId> {
        self.by_code
            .get(code)
            .map(|index| self.compiled[*index as usize].id)
    }

    pub(crate) fn definition_at(&self, index: u32) -> &PathwayDefinition {
        &self.definition.pathways[index as usize]
    }
}

impl TryFrom<CatalogueDefinition> for PathwayCatalogue {
    type Error = ReferralError;

    fn try_from(definition: CatalogueDefinition) -> Result<Self, Self::Error> {
        Self::compile(definition)
    }
}

impl From<PathwayCatalogue> for CatalogueDefinition {
    fn from(catalogue: PathwayCatalogue) -> Self {
        catalogue.definition
    }
}

impl Serialize for PathwayCatalogue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.definition.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PathwayCatalogue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let definition = CatalogueDefinition::deserialize(deserializer)?;
        Self::compile(definition).map_err(serde::de::Error::custom)
    }
}

/// Checks one pathway on its own and compiles its criteria. Sorts and de-duplicates
/// its code lists in place, so the stored definition is canonical.
fn check_pathway(pathway: &mut PathwayDefinition) -> Result<CompiledPathway, ReferralError> {
    let code = &pathway.code;
    if pathway.name.trim().is_empty() {
        return Err(ReferralError::MissingPathwayName { code: code.clone() });
    }
    let eligibility = &mut pathway.eligibility;
    for list in [
        &mut eligibility.reasons,
        &mut eligibility.requires_any_condition,
        &mut eligibility.exclusions,
    ] {
        list.sort_unstable();
        list.dedup();
    }
    if eligibility.reasons.is_empty() && !pathway.routes.is_empty() {
        return Err(ReferralError::NoReasons { code: code.clone() });
    }
    let min_age = eligibility.min_age.map_or(0, u32::from);
    let max_age = eligibility.max_age.map_or(u32::MAX, u32::from);
    if min_age > max_age {
        return Err(ReferralError::InvalidAgeRange {
            code: code.clone(),
            min_age,
            max_age,
        });
    }
    if let Some(condition) = eligibility
        .reasons
        .iter()
        .chain(&eligibility.requires_any_condition)
        .find(|c| eligibility.exclusions.binary_search(c).is_ok())
    {
        return Err(ReferralError::ContradictoryEligibility {
            code: code.clone(),
            condition: *condition,
        });
    }
    let mut seen_routes = HashSet::new();
    let mut routes = Vec::with_capacity(pathway.routes.len());
    for rule in &pathway.routes {
        if let RouteRule::TeamReferral { from } = rule {
            if from.is_empty() {
                return Err(ReferralError::InvalidRouteRule {
                    code: code.clone(),
                    reason: "a team_referral rule must list at least one role in `from`",
                });
            }
            if from.contains(&pcn_core::Role::Gp) {
                return Err(ReferralError::InvalidRouteRule {
                    code: code.clone(),
                    reason: "a GP is not a team referrer here: use the `gp_referral` route",
                });
            }
        }
        let mut rule = rule.clone();
        if let RouteRule::TeamReferral { from } = &mut rule {
            from.sort_unstable();
            from.dedup();
        }
        if seen_routes.insert(rule.clone()) {
            routes.push(rule);
        }
    }
    pathway.routes = routes;

    let consultant_led = pathway.destination.starts_rtt_clock();
    let target_ok = match (pathway.priority, pathway.target_wait) {
        (Priority::TwoWeekWait, TargetWait::SuspectedCancer) => true,
        (Priority::TwoWeekWait, _) | (_, TargetWait::SuspectedCancer) => false,
        (_, TargetWait::ReferralToTreatment) => consultant_led,
        (_, TargetWait::FirstContact { .. }) => !consultant_led,
    };
    if !target_ok {
        return Err(ReferralError::InconsistentTarget {
            code: code.clone(),
            priority: pathway.priority,
            target: pathway.target_wait,
            consultant_led,
        });
    }

    Ok(CompiledPathway {
        id: pathway.id.unwrap_or_default(),
        min_age,
        max_age,
        registered_in_network: eligibility.registered_in_network,
        requires: eligibility
            .requires_any_condition
            .clone()
            .into_boxed_slice(),
        excludes: eligibility.exclusions.clone().into_boxed_slice(),
        in_force: pathway.in_force,
        red_flags: Box::new([]),
        destination: pathway.destination,
        priority: pathway.priority,
        target_wait: pathway.target_wait,
    })
}

/// A red flag must lead to an urgent or suspected-cancer pathway other than its owner.
fn check_red_flag_target(
    definition: &CatalogueDefinition,
    flag: Option<RedFlag>,
    target: u32,
    owner: Option<&PathwayCode>,
) -> Result<(), ReferralError> {
    let pathway = &definition.pathways[target as usize];
    if let (Some(flag), Some(owner)) = (flag, owner)
        && &pathway.code == owner
    {
        return Err(ReferralError::RedFlagToItself {
            flag,
            code: owner.clone(),
        });
    }
    if !pathway.priority.is_expedited() {
        return Err(ReferralError::RedFlagTargetNotExpedited {
            flag,
            target: pathway.code.clone(),
            priority: pathway.priority,
        });
    }
    Ok(())
}

/// Ranks pathways so that every declared winner comes before its losers (a stable
/// topological order: catalogue order where precedence says nothing).
fn precedence_ranks(
    definition: &CatalogueDefinition,
    beats: &[Vec<u32>],
) -> Result<Vec<u32>, ReferralError> {
    let n = beats.len();
    let mut incoming = vec![0usize; n];
    for losers in beats {
        for loser in losers {
            incoming[*loser as usize] += 1;
        }
    }
    let mut rank = vec![u32::MAX; n];
    let mut ready: BTreeSet<usize> = (0..n).filter(|i| incoming[*i] == 0).collect();
    let mut next = 0u32;
    while let Some(current) = ready.pop_first() {
        rank[current] = next;
        next += 1;
        for loser in &beats[current] {
            let loser = *loser as usize;
            incoming[loser] -= 1;
            if incoming[loser] == 0 {
                ready.insert(loser);
            }
        }
    }
    if let Some(stuck) = rank.iter().position(|r| *r == u32::MAX) {
        let cycle: Vec<PathwayCode> = (0..n)
            .filter(|i| rank[*i] == u32::MAX)
            .map(|i| definition.pathways[i].code.clone())
            .collect();
        return Err(ReferralError::PrecedenceCycle {
            code: definition.pathways[stuck].code.clone(),
            involved: cycle,
        });
    }
    Ok(rank)
}

/// Finds every pair of pathways that one request could fit, and refuses any pair
/// whose order is not declared.
fn check_overlaps(
    definition: &CatalogueDefinition,
    compiled: &[CompiledPathway],
    beats: &[Vec<u32>],
) -> Result<(), ReferralError> {
    // Group pathways by (route, reason) so that only pairs sharing one are compared.
    let mut groups: HashMap<(EntryRoute, SnomedCode), Vec<usize>> = HashMap::new();
    for (position, pathway) in definition.pathways.iter().enumerate() {
        for rule in &pathway.routes {
            for route in rule.routes() {
                for reason in &pathway.eligibility.reasons {
                    let group = groups.entry((route, *reason)).or_default();
                    if group.last() != Some(&position) {
                        group.push(position);
                    }
                }
            }
        }
    }
    let mut keys: Vec<_> = groups.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let group = &groups[&key];
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                let (pa, pb) = (&compiled[*a], &compiled[*b]);
                let Some((min_age, max_age)) = overlap_of(pa, pb) else {
                    continue;
                };
                let declared = beats[*a].contains(&u32::try_from(*b).unwrap_or(u32::MAX))
                    || beats[*b].contains(&u32::try_from(*a).unwrap_or(u32::MAX));
                if !declared {
                    return Err(ReferralError::OverlappingPathways {
                        first: definition.pathways[*a].code.clone(),
                        second: definition.pathways[*b].code.clone(),
                        route: key.0,
                        reason: key.1,
                        min_age,
                        max_age,
                    });
                }
            }
        }
    }
    Ok(())
}

/// The ages at which one request could fit both pathways (given that they share a
/// route and a reason), or `None` if no request can.
fn overlap_of(a: &CompiledPathway, b: &CompiledPathway) -> Option<(u32, u32)> {
    let min_age = a.min_age.max(b.min_age);
    let max_age = a.max_age.min(b.max_age);
    if min_age > max_age {
        return None;
    }
    let dates_meet = match (a.in_force, b.in_force) {
        (Some(x), Some(y)) => x.overlaps(&y),
        _ => true,
    };
    if !dates_meet {
        return None;
    }
    // One patient can meet both condition requirements unless every condition one
    // pathway requires is excluded by the other.
    let satisfiable = |needs: &[SnomedCode], other_excludes: &[SnomedCode]| {
        needs.is_empty()
            || needs
                .iter()
                .any(|c| other_excludes.binary_search(c).is_err())
    };
    if !satisfiable(&a.requires, &b.excludes) || !satisfiable(&b.requires, &a.excludes) {
        return None;
    }
    Some((min_age, max_age))
}

impl CompiledPathway {
    /// Whether the pathway is open to referrals on `date`.
    #[inline]
    pub(crate) fn in_force_on(&self, date: NaiveDate) -> bool {
        self.in_force.is_none_or(|range| range.contains(date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EXAMPLE_CATALOGUE, Eligibility};
    use pcn_core::Role;

    const BACK_PAIN: SnomedCode = SnomedCode::constant(279_039_007);
    const KNEE_PAIN: SnomedCode = SnomedCode::constant(30_989_003);
    const DIABETES: SnomedCode = SnomedCode::constant(73_211_009);
    const ASTHMA: SnomedCode = SnomedCode::constant(195_967_001);

    fn code(text: &str) -> PathwayCode {
        PathwayCode::new(text).unwrap()
    }

    fn pathway(name: &str, routes: Vec<RouteRule>, reasons: Vec<SnomedCode>) -> PathwayDefinition {
        PathwayDefinition {
            code: code(name),
            id: None,
            name: format!("{name} pathway"),
            routes,
            eligibility: Eligibility::for_reasons(reasons),
            red_flags: Vec::new(),
            destination: Destination::TeamRole {
                role: Role::FirstContactPhysiotherapist,
            },
            priority: Priority::Routine,
            target_wait: TargetWait::FirstContact { days: 14 },
            in_force: None,
            takes_precedence_over: Vec::new(),
        }
    }

    fn urgent() -> PathwayDefinition {
        PathwayDefinition {
            priority: Priority::Urgent,
            destination: Destination::TeamRole { role: Role::Gp },
            ..pathway("urgent", Vec::new(), Vec::new())
        }
    }

    fn catalogue(pathways: Vec<PathwayDefinition>) -> CatalogueDefinition {
        let mut all = vec![urgent()];
        all.extend(pathways);
        CatalogueDefinition {
            network: NetworkId::from_u128(1),
            name: "test".into(),
            red_flags: RedFlagPolicy {
                default_pathway: code("urgent"),
                rules: Vec::new(),
            },
            pathways: all,
        }
    }

    #[test]
    fn the_example_catalogue_loads_and_round_trips() {
        let catalogue = PathwayCatalogue::from_json(EXAMPLE_CATALOGUE).unwrap();
        assert_eq!(catalogue.len(), 10);
        let json = serde_json::to_string_pretty(&catalogue).unwrap();
        let back: PathwayCatalogue = serde_json::from_str(&json).unwrap();
        assert_eq!(back.definition(), catalogue.definition());
        // Derived ids are stable across loads and written out once derived.
        let again = PathwayCatalogue::from_json(EXAMPLE_CATALOGUE).unwrap();
        let fcp = code("msk-fcp-direct-access");
        assert_eq!(catalogue.id_of(&fcp), again.id_of(&fcp));
        assert!(back.pathway_by_code(&fcp).unwrap().id.is_some());
        assert_eq!(
            catalogue
                .pathway(catalogue.id_of(&fcp).unwrap())
                .unwrap()
                .code,
            fcp
        );
    }

    #[test]
    fn an_overlap_is_refused_at_load_and_named() {
        let a = pathway(
            "msk-a",
            vec![RouteRule::SelfReferral],
            vec![BACK_PAIN, KNEE_PAIN],
        );
        let mut b = pathway("msk-b", vec![RouteRule::SelfReferral], vec![BACK_PAIN]);
        b.eligibility.min_age = Some(40);
        let err = PathwayCatalogue::compile(catalogue(vec![a.clone(), b.clone()])).unwrap_err();
        let ReferralError::OverlappingPathways {
            first,
            second,
            reason,
            min_age,
            max_age,
            ..
        } = &err
        else {
            panic!("{err}");
        };
        assert_eq!((first.as_str(), second.as_str()), ("msk-a", "msk-b"));
        assert_eq!((*reason, *min_age, *max_age), (BACK_PAIN, 40, u32::MAX));
        assert!(err.to_string().contains("takes_precedence_over"), "{err}");

        // Disjoint ages: no overlap.
        let mut a_young = a.clone();
        a_young.eligibility.max_age = Some(39);
        PathwayCatalogue::compile(catalogue(vec![a_young, b.clone()])).unwrap();

        // A declared precedence resolves it.
        b.takes_precedence_over = vec![code("msk-a")];
        PathwayCatalogue::compile(catalogue(vec![a.clone(), b.clone()])).unwrap();

        // A cycle does not.
        let mut a_cycle = a;
        a_cycle.takes_precedence_over = vec![code("msk-b")];
        let err = PathwayCatalogue::compile(catalogue(vec![a_cycle, b])).unwrap_err();
        assert!(
            matches!(err, ReferralError::PrecedenceCycle { .. }),
            "{err}"
        );
    }

    #[test]
    fn exclusions_and_required_conditions_can_separate_pathways() {
        let mut diabetic = pathway(
            "review-diabetes",
            vec![RouteRule::GpReferral],
            vec![BACK_PAIN],
        );
        diabetic.eligibility.requires_any_condition = vec![DIABETES];
        let mut others = pathway(
            "review-others",
            vec![RouteRule::GpReferral],
            vec![BACK_PAIN],
        );
        others.eligibility.exclusions = vec![DIABETES];
        PathwayCatalogue::compile(catalogue(vec![diabetic.clone(), others.clone()])).unwrap();

        // With a second way into the first pathway, one patient can fit both.
        diabetic.eligibility.requires_any_condition = vec![DIABETES, ASTHMA];
        let err = PathwayCatalogue::compile(catalogue(vec![diabetic, others])).unwrap_err();
        assert!(
            matches!(err, ReferralError::OverlappingPathways { .. }),
            "{err}"
        );
    }

    #[test]
    fn in_force_dates_can_separate_pathways() {
        let d = |y| NaiveDate::from_ymd_opt(y, 4, 1).unwrap();
        let mut old = pathway("old", vec![RouteRule::GpReferral], vec![BACK_PAIN]);
        old.in_force = Some(DateRange::new(d(2020), Some(d(2024))).unwrap());
        let mut new = pathway("new", vec![RouteRule::GpReferral], vec![BACK_PAIN]);
        new.in_force = Some(DateRange::starting(d(2024)));
        PathwayCatalogue::compile(catalogue(vec![old, new.clone()])).unwrap();
        let always = pathway("always", vec![RouteRule::GpReferral], vec![BACK_PAIN]);
        assert!(PathwayCatalogue::compile(catalogue(vec![always, new])).is_err());
    }

    #[test]
    fn team_routes_overlap_only_on_a_shared_role() {
        let nurse = pathway(
            "from-nurse",
            vec![RouteRule::TeamReferral {
                from: vec![Role::PracticeNurse],
            }],
            vec![BACK_PAIN],
        );
        let paramedic = pathway(
            "from-paramedic",
            vec![RouteRule::TeamReferral {
                from: vec![Role::Paramedic, Role::PracticeNurse],
            }],
            vec![BACK_PAIN],
        );
        let err = PathwayCatalogue::compile(catalogue(vec![nurse.clone(), paramedic])).unwrap_err();
        assert!(err.to_string().contains("practice nurse"), "{err}");
        let paramedic_only = pathway(
            "from-paramedic",
            vec![RouteRule::TeamReferral {
                from: vec![Role::Paramedic],
            }],
            vec![BACK_PAIN],
        );
        PathwayCatalogue::compile(catalogue(vec![nurse, paramedic_only])).unwrap();
    }

    #[test]
    fn each_pathway_fault_is_named() {
        let dup = pathway("a", vec![RouteRule::GpReferral], vec![BACK_PAIN]);
        let err = PathwayCatalogue::compile(catalogue(vec![dup.clone(), dup.clone()])).unwrap_err();
        assert!(
            matches!(err, ReferralError::DuplicatePathwayCode { .. }),
            "{err}"
        );

        let no_reasons = pathway("a", vec![RouteRule::GpReferral], vec![]);
        let err = PathwayCatalogue::compile(catalogue(vec![no_reasons])).unwrap_err();
        assert!(matches!(err, ReferralError::NoReasons { .. }), "{err}");

        let mut ages = dup.clone();
        ages.eligibility.min_age = Some(60);
        ages.eligibility.max_age = Some(18);
        let err = PathwayCatalogue::compile(catalogue(vec![ages])).unwrap_err();
        assert!(
            matches!(err, ReferralError::InvalidAgeRange { .. }),
            "{err}"
        );

        let mut contradiction = dup.clone();
        contradiction.eligibility.exclusions = vec![BACK_PAIN];
        let err = PathwayCatalogue::compile(catalogue(vec![contradiction])).unwrap_err();
        assert!(
            matches!(err, ReferralError::ContradictoryEligibility { .. }),
            "{err}"
        );

        let gp_in_team = pathway(
            "a",
            vec![RouteRule::TeamReferral {
                from: vec![Role::Gp],
            }],
            vec![BACK_PAIN],
        );
        let err = PathwayCatalogue::compile(catalogue(vec![gp_in_team])).unwrap_err();
        assert!(err.to_string().contains("gp_referral"), "{err}");

        let mut rtt_on_physio = dup.clone();
        rtt_on_physio.target_wait = TargetWait::ReferralToTreatment;
        let err = PathwayCatalogue::compile(catalogue(vec![rtt_on_physio])).unwrap_err();
        assert!(
            matches!(err, ReferralError::InconsistentTarget { .. }),
            "{err}"
        );

        let mut two_week_wait = dup.clone();
        two_week_wait.priority = Priority::TwoWeekWait;
        let err = PathwayCatalogue::compile(catalogue(vec![two_week_wait])).unwrap_err();
        assert!(
            matches!(err, ReferralError::InconsistentTarget { .. }),
            "{err}"
        );

        let unreachable = pathway("lost", vec![], vec![]);
        let err = PathwayCatalogue::compile(catalogue(vec![unreachable])).unwrap_err();
        assert!(
            matches!(err, ReferralError::UnreachablePathway { .. }),
            "{err}"
        );
    }

    #[test]
    fn red_flags_must_lead_to_urgent_pathways_that_exist() {
        let mut msk = pathway("msk", vec![RouteRule::SelfReferral], vec![BACK_PAIN]);
        msk.red_flags = vec![RedFlagRule {
            flag: RedFlag::SuspectedFracture,
            pathway: code("nowhere"),
        }];
        let err = PathwayCatalogue::compile(catalogue(vec![msk.clone()])).unwrap_err();
        assert!(
            err.to_string().contains("`nowhere` named by pathway `msk`"),
            "{err}"
        );

        let routine = pathway("routine", vec![RouteRule::GpReferral], vec![KNEE_PAIN]);
        msk.red_flags[0].pathway = code("routine");
        let err = PathwayCatalogue::compile(catalogue(vec![msk.clone(), routine])).unwrap_err();
        assert!(
            matches!(err, ReferralError::RedFlagTargetNotExpedited { .. }),
            "{err}"
        );

        msk.red_flags = vec![
            RedFlagRule {
                flag: RedFlag::SuspectedFracture,
                pathway: code("urgent"),
            },
            RedFlagRule {
                flag: RedFlag::SuspectedFracture,
                pathway: code("urgent"),
            },
        ];
        let err = PathwayCatalogue::compile(catalogue(vec![msk.clone()])).unwrap_err();
        assert!(
            matches!(err, ReferralError::DuplicateRedFlag { .. }),
            "{err}"
        );

        let mut definition = catalogue(vec![]);
        definition.red_flags.default_pathway = code("urgent");
        definition.pathways[0].priority = Priority::Routine;
        let err = PathwayCatalogue::compile(definition).unwrap_err();
        assert!(
            err.to_string().contains("default red-flag pathway"),
            "{err}"
        );
    }

    #[test]
    fn bad_json_names_the_field() {
        let err = PathwayCatalogue::from_json(r#"{"network": "x"}"#).unwrap_err();
        assert!(matches!(err, ReferralError::CatalogueJson { .. }), "{err}");
        let err = PathwayCatalogue::load("/nonexistent/catalogue.json").unwrap_err();
        assert!(
            err.to_string().contains("/nonexistent/catalogue.json"),
            "{err}"
        );
    }
}
