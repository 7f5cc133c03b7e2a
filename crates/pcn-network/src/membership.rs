//! Effective-dated changes to a registry: joining, leaving, closing, merging and
//! recording list sizes. Each checks everything first and changes nothing on error.

use chrono::NaiveDate;
use pcn_core::DateRange;

use crate::{Membership, Merger, NetworkError, NetworkIndex, PracticeIndex, Registry};

/// Whether `inner` lies wholly within `outer`.
fn covers(outer: DateRange, inner: DateRange) -> bool {
    outer.from() <= inner.from()
        && match (outer.to(), inner.to()) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(outer_to), Some(inner_to)) => inner_to <= outer_to,
        }
}

impl Registry {
    /// Checks whether `practice` may join `network` during `during`, without changing
    /// anything: [`Registry::join`] runs the same checks.
    ///
    /// # Errors
    /// As [`Registry::join`].
    pub fn check_join(
        &self,
        practice: PracticeIndex,
        network: NetworkIndex,
        during: DateRange,
    ) -> Result<(), NetworkError> {
        let p = self.practice_ref(practice)?;
        let n = self.network_ref(network)?;
        if !covers(p.operating(), during) {
            return Err(NetworkError::OutsidePracticeOperation {
                practice: p.code(),
                network: n.label(),
                requested: during,
                operating: p.operating(),
            });
        }
        if !covers(n.open(), during) {
            return Err(NetworkError::OutsideNetworkLifetime {
                practice: p.code(),
                network: n.label(),
                requested: during,
                open: n.open(),
            });
        }
        for m in self.memberships_of(practice) {
            let Some(overlap) = m.during.intersection(&during) else {
                continue;
            };
            if m.network == network {
                return Err(NetworkError::AlreadyMember {
                    practice: p.code(),
                    network: n.label(),
                    existing: m.during,
                    requested: during,
                });
            }
            if n.kind().is_pcn() && self.is_pcn(m.network) {
                return Err(NetworkError::OverlappingPcn {
                    practice: p.code(),
                    held: self.label(m.network),
                    held_during: m.during,
                    requested: n.label(),
                    requested_during: during,
                    overlap,
                });
            }
        }
        Ok(())
    }

    /// Makes `practice` a member of `network` during `during` (open-ended for a
    /// membership still in force).
    ///
    /// # Errors
    /// - [`NetworkError::UnknownPractice`] / [`NetworkError::UnknownNetwork`] for an
    ///   index from another registry;
    /// - [`NetworkError::OutsidePracticeOperation`] if the practice does not operate on
    ///   every day of `during`, [`NetworkError::OutsideNetworkLifetime`] if the network
    ///   is not open on every day;
    /// - [`NetworkError::AlreadyMember`] if the practice is already a member of the
    ///   network on any of the days;
    /// - [`NetworkError::OverlappingPcn`] if the network is a PCN and the practice is in
    ///   another PCN on any of the days (naming both networks and the overlap).
    pub fn join(
        &mut self,
        practice: PracticeIndex,
        network: NetworkIndex,
        during: DateRange,
    ) -> Result<(), NetworkError> {
        self.insert_membership(practice, network, during)?;
        self.rebuild_population(network);
        Ok(())
    }

    /// [`Registry::join`] without the population rebuild, for bulk loading.
    pub(crate) fn insert_membership(
        &mut self,
        practice: PracticeIndex,
        network: NetworkIndex,
        during: DateRange,
    ) -> Result<(), NetworkError> {
        self.check_join(practice, network, during)?;
        let memberships = self.memberships_mut(practice);
        let key = (during.from(), network);
        let at = memberships.partition_point(|m| (m.during.from(), m.network) < key);
        memberships.insert(
            at,
            Membership {
                practice,
                network,
                during,
            },
        );
        self.note_member(network, practice);
        if self.is_pcn(network) {
            self.rebuild_pcn_of(practice);
        }
        Ok(())
    }

    /// Ends `practice`'s membership of `network` on `on`: the day before is its last
    /// day of membership.
    ///
    /// # Errors
    /// - [`NetworkError::UnknownPractice`] / [`NetworkError::UnknownNetwork`] for an
    ///   index from another registry;
    /// - [`NetworkError::NotAMember`] if the practice is not a member on the day
    ///   before `on` or its membership already ends by `on`;
    /// - [`NetworkError::EmptyMembership`] if the membership starts on `on`.
    pub fn leave(
        &mut self,
        practice: PracticeIndex,
        network: NetworkIndex,
        on: NaiveDate,
    ) -> Result<(), NetworkError> {
        let code = self.practice_ref(practice)?.code();
        self.network_ref(network)?;
        let memberships = self.memberships_of(practice);
        let found = memberships.iter().position(|m| {
            m.network == network && m.during.from() <= on && m.during.to().is_none_or(|to| on < to)
        });
        let Some(at) = found else {
            return Err(NetworkError::NotAMember {
                practice: code,
                network: self.label(network),
                on,
            });
        };
        let Some(ended) = memberships[at].during.ending(on) else {
            return Err(NetworkError::EmptyMembership {
                practice: code,
                network: self.label(network),
                on,
            });
        };
        self.memberships_mut(practice)[at].during = ended;
        if self.is_pcn(network) {
            self.rebuild_pcn_of(practice);
        }
        self.rebuild_population(network);
        Ok(())
    }

    /// Checks that `practice` can close on `on` and returns the memberships to end.
    fn check_close(
        &self,
        practice: PracticeIndex,
        on: NaiveDate,
    ) -> Result<Vec<usize>, NetworkError> {
        let p = self.practice_ref(practice)?;
        if !p.is_operating_on(on) || on == p.operating().from() {
            return Err(NetworkError::PracticeNotOperating {
                practice: p.code(),
                date: on,
                operating: p.operating(),
            });
        }
        if let Some(later) = p
            .list_sizes()
            .changes()
            .iter()
            .find(|c| c.from >= on && c.value.is_some())
        {
            return Err(NetworkError::ListSizeAfterClosure {
                practice: p.code(),
                date: later.from,
                closing: on,
            });
        }
        let mut to_end = Vec::new();
        for (i, m) in self.memberships_of(practice).iter().enumerate() {
            if m.during.from() >= on {
                return Err(NetworkError::MembershipAfterClosure {
                    practice: p.code(),
                    network: self.label(m.network),
                    from: m.during.from(),
                    closing: on,
                });
            }
            if m.during.contains(on) {
                to_end.push(i);
            }
        }
        Ok(to_end)
    }

    /// Closes `practice` on `on` and ends every checked membership there.
    fn apply_close(&mut self, practice: PracticeIndex, on: NaiveDate, to_end: &[usize]) {
        for &i in to_end {
            let membership = &mut self.memberships_mut(practice)[i];
            if let Some(ended) = membership.during.ending(on) {
                membership.during = ended;
            }
        }
        if let Ok(p) = self.practice_mut(practice) {
            p.close_on(on);
        }
    }

    /// Closes `practice` on `on` (the day before is its last day), ending its
    /// memberships there. Its patients are not moved: see [`Registry::merge`].
    ///
    /// # Errors
    /// - [`NetworkError::UnknownPractice`] for an index from another registry;
    /// - [`NetworkError::PracticeNotOperating`] if the practice does not operate on
    ///   `on` or opened on `on`;
    /// - [`NetworkError::ListSizeAfterClosure`] if a list size is recorded on or after
    ///   `on`;
    /// - [`NetworkError::MembershipAfterClosure`] if a membership starts on or after
    ///   `on`.
    pub fn close_practice(
        &mut self,
        practice: PracticeIndex,
        on: NaiveDate,
    ) -> Result<(), NetworkError> {
        let to_end = self.check_close(practice, on)?;
        self.apply_close(practice, on, &to_end);
        self.rebuild_pcn_of(practice);
        for network in self.networks_touched(practice) {
            self.rebuild_population(network);
        }
        Ok(())
    }

    /// Merges `closed` into `successor` on `on`: `closed` closes (its last day is the
    /// day before), its memberships end, and its registered list (the latest count on
    /// or before `on`) is added to the successor's list from `on`. Counts the
    /// successor publishes after `on` stand as published; a count already recorded
    /// for the successor on `on` itself is taken to exclude the merged list.
    ///
    /// # Errors
    /// - [`NetworkError::MergeIntoSelf`] if the two are the same practice;
    /// - the errors of [`Registry::close_practice`] for `closed`;
    /// - [`NetworkError::PracticeNotOperating`] if the successor does not operate on
    ///   `on`;
    /// - [`NetworkError::ListSizeOverflow`] if the combined list does not fit.
    pub fn merge(
        &mut self,
        closed: PracticeIndex,
        successor: PracticeIndex,
        on: NaiveDate,
    ) -> Result<Merger, NetworkError> {
        let closing = self.practice_ref(closed)?;
        let heir = self.practice_ref(successor)?;
        if closed == successor {
            return Err(NetworkError::MergeIntoSelf {
                practice: closing.code(),
            });
        }
        if !heir.is_operating_on(on) {
            return Err(NetworkError::PracticeNotOperating {
                practice: heir.code(),
                date: on,
                operating: heir.operating(),
            });
        }
        let moved = closing.list_size_on(on).unwrap_or(0);
        let existing = heir.list_size_on(on).unwrap_or(0);
        let combined = existing
            .checked_add(moved)
            .ok_or(NetworkError::ListSizeOverflow {
                closed: closing.code(),
                successor: heir.code(),
                moved,
                existing,
            })?;
        let to_end = self.check_close(closed, on)?;

        self.apply_close(closed, on, &to_end);
        if moved > 0 {
            self.practice_mut(successor)?
                .list_size_mut()
                .set(on, combined);
        }
        let merger = Merger {
            closed,
            successor,
            on,
            list_moved: moved,
        };
        self.mergers.push(merger);
        self.rebuild_pcn_of(closed);
        let mut networks = self.networks_touched(closed);
        networks.extend(self.networks_touched(successor));
        networks.sort_unstable();
        networks.dedup();
        for network in networks {
            self.rebuild_population(network);
        }
        Ok(merger)
    }

    /// Records a practice's published list size, in force from `date` until the next.
    ///
    /// # Errors
    /// [`NetworkError::UnknownPractice`] for an index from another registry;
    /// [`NetworkError::ListSizeOutsideOperation`] if the practice does not operate on
    /// `date`.
    pub fn record_list_size(
        &mut self,
        practice: PracticeIndex,
        date: NaiveDate,
        patients: u32,
    ) -> Result<(), NetworkError> {
        self.practice_mut(practice)?
            .record_list_size(date, patients)?;
        for network in self.networks_touched(practice) {
            self.rebuild_population(network);
        }
        Ok(())
    }

    /// Checks whether a list size for `practice` on `date` could be recorded, without
    /// changing anything.
    ///
    /// # Errors
    /// As [`Registry::record_list_size`].
    pub fn check_list_size(
        &self,
        practice: PracticeIndex,
        date: NaiveDate,
    ) -> Result<(), NetworkError> {
        self.practice_ref(practice)?.check_list_date(date)
    }

    /// Records many list sizes at once (a monthly file), all or none: if any is
    /// invalid, none is recorded. Returns how many were recorded.
    ///
    /// # Errors
    /// The first error [`Registry::record_list_size`] would give.
    pub fn record_list_sizes<I>(&mut self, sizes: I) -> Result<usize, NetworkError>
    where
        I: IntoIterator<Item = (PracticeIndex, NaiveDate, u32)>,
    {
        let sizes: Vec<_> = sizes.into_iter().collect();
        for &(practice, date, _) in &sizes {
            self.practice_ref(practice)?.check_list_date(date)?;
        }
        let mut touched = vec![false; self.practices.len()];
        for &(practice, date, patients) in &sizes {
            self.practice_mut(practice)?
                .list_size_mut()
                .set(date, patients);
            touched[practice.slot()] = true;
        }
        let mut networks = vec![false; self.networks.len()];
        for m in self.memberships() {
            if touched[m.practice.slot()] {
                networks[m.network.slot()] = true;
            }
        }
        let affected: Vec<NetworkIndex> = self
            .networks()
            .map(|(n, _)| n)
            .filter(|n| networks[n.slot()])
            .collect();
        for network in affected {
            self.rebuild_population(network);
        }
        Ok(sizes.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Network, NetworkKind, Practice, PracticeStatus};
    use pcn_core::NetworkId;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn registry() -> (Registry, [PracticeIndex; 3], [NetworkIndex; 3]) {
        let mut r = Registry::new();
        let practice = |code: &str| {
            Practice::new(
                code.parse().unwrap(),
                "Surgery",
                DateRange::starting(d(1990, 1, 1)),
                PracticeStatus::Active,
            )
            .unwrap()
        };
        let a = r.add_practice(practice("F82001")).unwrap();
        let b = r.add_practice(practice("F82002")).unwrap();
        let c = r.add_practice(practice("F82003")).unwrap();
        let open = DateRange::starting(d(2019, 7, 1));
        let x = r
            .add_network(Network::pcn("U86966".parse().unwrap(), "West PCN", open).unwrap())
            .unwrap();
        let y = r
            .add_network(Network::pcn("U11211".parse().unwrap(), "East PCN", open).unwrap())
            .unwrap();
        let home = r
            .add_network(
                Network::neighbourhood(
                    NetworkId::from_u128(7),
                    None,
                    NetworkKind::PrimaryCareHome,
                    "Home site",
                    open,
                )
                .unwrap(),
            )
            .unwrap();
        (r, [a, b, c], [x, y, home])
    }

    #[test]
    fn overlapping_pcns_are_refused_with_both_names_and_the_overlap() {
        let (mut r, [a, ..], [x, y, _]) = registry();
        r.join(
            a,
            x,
            DateRange::new(d(2019, 10, 1), Some(d(2022, 7, 2))).unwrap(),
        )
        .unwrap();
        let before = r.clone();
        let err = r
            .join(a, y, DateRange::starting(d(2022, 7, 1)))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "practice F82001 cannot join U11211 East PCN during [2022-07-01, ..): it is a member of U86966 West PCN during [2019-10-01, 2022-07-02), and a practice is in one PCN at a time (both during [2022-07-01, 2022-07-02))"
        );
        assert_eq!(r, before);
        r.join(a, y, DateRange::starting(d(2022, 7, 2))).unwrap();
        assert_eq!(r.pcn_of(a, d(2022, 7, 1)), Some(x));
        assert_eq!(r.pcn_of(a, d(2022, 7, 2)), Some(y));
    }

    #[test]
    fn a_primary_care_home_site_may_overlap_a_pcn() {
        let (mut r, [a, ..], [x, _, home]) = registry();
        r.join(a, x, DateRange::starting(d(2019, 10, 1))).unwrap();
        r.join(a, home, DateRange::starting(d(2019, 10, 1)))
            .unwrap();
        assert_eq!(
            r.networks_of(a, d(2020, 1, 1)).collect::<Vec<_>>(),
            [x, home]
        );
        assert!(matches!(
            r.join(a, home, DateRange::starting(d(2021, 1, 1))),
            Err(NetworkError::AlreadyMember { .. })
        ));
    }

    #[test]
    fn leaving_ends_the_membership_the_day_before() {
        let (mut r, [a, ..], [x, y, _]) = registry();
        r.join(a, x, DateRange::starting(d(2019, 10, 1))).unwrap();
        let before = r.clone();
        assert!(matches!(
            r.leave(a, y, d(2020, 1, 1)),
            Err(NetworkError::NotAMember { .. })
        ));
        assert!(matches!(
            r.leave(a, x, d(2019, 10, 1)),
            Err(NetworkError::EmptyMembership { .. })
        ));
        assert_eq!(r, before);
        r.leave(a, x, d(2020, 1, 1)).unwrap();
        assert_eq!(r.pcn_of(a, d(2019, 12, 31)), Some(x));
        assert_eq!(r.pcn_of(a, d(2020, 1, 1)), None);
        assert!(matches!(
            r.leave(a, x, d(2020, 1, 1)),
            Err(NetworkError::NotAMember { .. })
        ));
    }

    #[test]
    fn memberships_stay_within_operating_and_open_dates() {
        let (mut r, [a, ..], [x, ..]) = registry();
        let err = r
            .join(a, x, DateRange::starting(d(2019, 1, 1)))
            .unwrap_err();
        assert!(
            matches!(err, NetworkError::OutsideNetworkLifetime { .. }),
            "{err}"
        );
        r.close_practice(a, d(2021, 1, 1)).unwrap();
        let err = r
            .join(a, x, DateRange::starting(d(2020, 1, 1)))
            .unwrap_err();
        assert!(
            matches!(err, NetworkError::OutsidePracticeOperation { .. }),
            "{err}"
        );
        r.join(
            a,
            x,
            DateRange::new(d(2020, 1, 1), Some(d(2021, 1, 1))).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn a_merger_moves_the_list_and_ends_the_memberships() {
        let (mut r, [a, b, _], [x, y, _]) = registry();
        r.join(a, x, DateRange::starting(d(2019, 10, 1))).unwrap();
        r.join(b, y, DateRange::starting(d(2019, 10, 1))).unwrap();
        r.record_list_size(a, d(2021, 1, 1), 4_000).unwrap();
        r.record_list_size(b, d(2021, 1, 1), 6_000).unwrap();
        assert_eq!(r.population_on(x, d(2021, 6, 1)), 4_000);

        let merger = r.merge(a, b, d(2021, 7, 1)).unwrap();
        assert_eq!(merger.list_moved, 4_000);
        assert_eq!(r.practice(a).unwrap().status(), PracticeStatus::Closed);
        assert_eq!(r.pcn_of(a, d(2021, 7, 1)), None);
        assert_eq!(r.pcn_of(a, d(2021, 6, 30)), Some(x));
        assert_eq!(r.population_on(x, d(2021, 7, 1)), 0);
        assert_eq!(r.population_on(y, d(2021, 6, 30)), 6_000);
        assert_eq!(r.population_on(y, d(2021, 7, 1)), 10_000);
        assert_eq!(r.mergers(), [merger]);

        let before = r.clone();
        assert!(matches!(
            r.merge(b, b, d(2022, 1, 1)),
            Err(NetworkError::MergeIntoSelf { .. })
        ));
        assert!(matches!(
            r.merge(b, a, d(2022, 1, 1)),
            Err(NetworkError::PracticeNotOperating { .. })
        ));
        assert_eq!(r, before);
    }

    #[test]
    fn a_closure_is_refused_while_later_facts_are_recorded() {
        let (mut r, [a, b, _], [x, ..]) = registry();
        r.join(a, x, DateRange::starting(d(2020, 1, 1))).unwrap();
        r.record_list_size(a, d(2021, 1, 1), 4_000).unwrap();
        r.join(b, x, DateRange::starting(d(2020, 1, 1))).unwrap();
        let before = r.clone();
        assert!(matches!(
            r.close_practice(a, d(2020, 6, 1)),
            Err(NetworkError::ListSizeAfterClosure { .. })
        ));
        let err = r.close_practice(b, d(2019, 6, 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "practice F82002 cannot close on 2019-06-01: its membership of U86966 West PCN starts on 2020-01-01; remove or move that membership first"
        );
        assert_eq!(r, before);
    }

    #[test]
    fn bulk_list_sizes_are_all_or_nothing() {
        let (mut r, [a, b, _], [x, ..]) = registry();
        r.join(a, x, DateRange::starting(d(2020, 1, 1))).unwrap();
        let before = r.clone();
        let err = r
            .record_list_sizes([(a, d(2021, 1, 1), 100), (b, d(1980, 1, 1), 100)])
            .unwrap_err();
        assert!(matches!(err, NetworkError::ListSizeOutsideOperation { .. }));
        assert_eq!(r, before);
        assert_eq!(
            r.record_list_sizes([(a, d(2021, 1, 1), 100), (b, d(2021, 1, 1), 50)]),
            Ok(2)
        );
        assert_eq!(r.population_on(x, d(2021, 1, 1)), 100);
    }
}
