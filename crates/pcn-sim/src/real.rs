//! A real Primary Care Network from the published files: its member practices'
//! registered patients by sex and age band, and its staff.
//!
//! **Who**: the practice-to-PCN map of the list-size publication names the member
//! practices on its extract date, and the quinary-age file of the same publication
//! gives each practice's patients by sex and five-year band (NHS England, Patients
//! Registered at a GP Practice). Membership and lists are taken on that one date.
//! **Staff**: no practice-level workforce file is shipped, so each practice's own
//! GPs, nurses and healthcare assistants are England's FTE per patient
//! ([`Establishment::practice_staff`]); the network's own staff (the Additional
//! Roles and others a PCN employs) are read from the PCN workforce file (NHS
//! England, Primary Care Network Workforce), each published staff role counted in the
//! simulation role that does its work ([`simulated_role`]); roles the simulation has
//! no capacity for are listed, not dropped silently. **Deprivation**: given the
//! practices' deprivation scores (OHID Fingertips), its patients are placed in
//! England's deprivation tenths and its emergency admissions follow them
//! ([`RealNetwork::with_deprivation`], [`crate::deprivation`]).

use chrono::NaiveDate;
use pcn_core::{OdsCode, Role, Wte};
use pcn_ods::{AgeBand, AgeSexLists, PcnWorkforce, PracticeMapRecord, Sex as ListSex};
use pcn_population::{ListBand, Sex};
use serde::Serialize;

use crate::deprivation::{NetworkDeprivation, PracticeScores};
use crate::{Establishment, NetworkInput, Parameters, SimError};

/// The simulation role that does the work of a staff role of the PCN workforce
/// file (`STAFF_ROLE`), or `None` for roles with no direct patient care the model
/// counts (managers, directors, administrative staff, and therapists it has no
/// capacity for).
///
/// Advanced and other nurses are counted with practice nurses, nursing associates
/// and support workers with healthcare assistants, and the mental health roles as
/// mental health practitioners: the simulation's roles are those of the routes in
/// its parameters.
///
/// ```
/// use pcn_core::Role;
/// assert_eq!(pcn_sim::simulated_role("Pharmacists"), Some(Role::ClinicalPharmacist));
/// assert_eq!(pcn_sim::simulated_role("Salaried GPs"), Some(Role::Gp));
/// assert_eq!(pcn_sim::simulated_role("Managers"), None);
/// ```
#[must_use]
pub fn simulated_role(staff_role: &str) -> Option<Role> {
    let r = staff_role.trim();
    let role = match r {
        "Pharmacists" | "Advanced Pharmacist Practitioners" => Role::ClinicalPharmacist,
        "Pharmacy Technicians" | "Trainee Pharmacy Technicians" => Role::PharmacyTechnician,
        "Care Coordinators" => Role::CareCoordinator,
        "Physiotherapists" | "Advanced Physiotherapist Practitioners" => {
            Role::FirstContactPhysiotherapist
        }
        "Paramedics" | "Advanced Paramedic Practitioners" => Role::Paramedic,
        "Physician Associates" => Role::PhysicianAssociate,
        "Health and Wellbeing Coaches" => Role::HealthAndWellbeingCoach,
        "Salaried GPs" | "GP Locums" | "GP Partners" | "Other GPs" => Role::Gp,
        "Advanced Nurse Practitioners"
        | "Enhanced Practice Nurses"
        | "Other Nurses"
        | "Nurse Specialists"
        | "Trainee Nurses"
        | "Practice Nurses" => Role::PracticeNurse,
        "Nursing Associates"
        | "Trainee Nursing Associates"
        | "Healthcare Assistants"
        | "Healthcare Support Workers"
        | "Phlebotomists" => Role::HealthcareAssistant,
        _ if r.starts_with("Social Prescribing Link Workers") => Role::SocialPrescribingLinkWorker,
        _ if r.starts_with("Mental Health and Wellbeing Practitioners")
            || r.starts_with("Community Mental Health Nurses")
            || r.starts_with("NHS Talking Therapies")
            || r.starts_with("Therapists (Mental Health")
            || r.starts_with("Applied Psychologists")
            || r.starts_with("Clinical Associates in Psychology") =>
        {
            Role::MentalHealthPractitioner
        }
        _ => return None,
    };
    Some(role)
}

/// Where a line of a real network's staff comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum StaffSource {
    /// England's FTE per registered patient, for the practices' own staff.
    NationalPerPatient {
        /// WTE per 10,000 patients.
        per_10000: f64,
    },
    /// The PCN workforce file, on its census date.
    PcnWorkforce {
        /// The file.
        file: String,
        /// The census date.
        census: NaiveDate,
    },
}

impl std::fmt::Display for StaffSource {
    /// Where the figure comes from, in words: "England's 4.5 WTE per 10,000
    /// patients (no practice-level workforce file)" or "the PCN's own staff, FILE,
    /// census DATE".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NationalPerPatient { per_10000 } => write!(
                f,
                "England's {per_10000} WTE per 10,000 patients (no practice-level workforce file)"
            ),
            Self::PcnWorkforce { file, census } => {
                write!(f, "the PCN's own staff, {file}, census {census}")
            }
        }
    }
}

/// One role's staff in a real network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffLine {
    /// The role.
    pub role: Role,
    /// Its WTE.
    pub wte: Wte,
    /// Where the figure comes from.
    pub source: StaffSource,
}

/// A member practice and its list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberPractice {
    /// The practice's ODS code.
    pub practice: OdsCode,
    /// Its name.
    pub name: String,
    /// Its registered patients on the list date.
    pub patients: u64,
}

/// A real network ready to simulate, with what it was built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RealNetwork {
    /// The PCN's ODS code.
    pub pcn: OdsCode,
    /// Its name as the practice map gives it.
    pub name: String,
    /// The date membership and lists were taken on (the files' extract date).
    pub list_date: NaiveDate,
    /// The file the lists came from.
    pub list_file: String,
    /// Its Sub-ICB location.
    pub sub_icb: OdsCode,
    /// The member practices.
    pub members: Vec<MemberPractice>,
    /// The staff, by role and source.
    pub staff: Vec<StaffLine>,
    /// Staff in the PCN workforce file whose roles the simulation has no capacity
    /// for: `(STAFF_ROLE, WTE)`.
    pub not_simulated: Vec<(String, Wte)>,
    /// Its patients by deprivation tenth, once given the practices' scores
    /// ([`RealNetwork::with_deprivation`]).
    pub deprivation: Option<NetworkDeprivation>,
    /// The network as the simulation takes it.
    #[serde(skip)]
    pub input: NetworkInput,
}

fn bands_of(structure: &pcn_ods::AgeSexStructure) -> Vec<ListBand> {
    let mut out = Vec::with_capacity(40);
    for band in AgeBand::all() {
        // 95 and over is drawn over 95 to 99, as the generator spreads its oldest.
        let (from, to) = (band.lower(), band.upper().unwrap_or(99));
        for (sex, list_sex) in [(Sex::Female, ListSex::Female), (Sex::Male, ListSex::Male)] {
            let people = structure.patients(list_sex, band);
            if people > 0 {
                out.push(ListBand {
                    sex,
                    from_age: from,
                    to_age: to,
                    people,
                });
            }
        }
    }
    out
}

/// Builds PCN `pcn` from the practice map, the quinary-age lists and, where given,
/// the PCN workforce summed by PCN (the latest census on or before the list date is
/// used, else the earliest after it); people are drawn from `seed`.
///
/// # Errors
/// [`SimError::UnknownNetwork`] if the map has no practice in that PCN (naming the
/// code and the file), [`SimError::NoPublishedList`] if a member practice has no
/// row in the lists (naming the practice and the file), and as
/// [`NetworkInput::from_lists`].
pub fn real_network(
    pcn: &OdsCode,
    map: &[PracticeMapRecord],
    map_file: &str,
    lists: &AgeSexLists,
    workforce: Option<(&[PcnWorkforce], &str)>,
    parameters: &Parameters,
    seed: u64,
) -> Result<RealNetwork, SimError> {
    let rows: Vec<&PracticeMapRecord> =
        map.iter().filter(|r| r.pcn.as_ref() == Some(pcn)).collect();
    let Some(first) = rows.first() else {
        return Err(SimError::UnknownNetwork {
            code: pcn.to_string(),
            file: map_file.to_owned(),
        });
    };
    let mut members = Vec::new();
    let mut bands = Vec::new();
    for row in &rows {
        let structure = lists
            .practice(&row.practice)
            .ok_or_else(|| SimError::NoPublishedList {
                practice: row.practice.to_string(),
                file: lists.file().to_owned(),
            })?;
        members.push(MemberPractice {
            practice: row.practice,
            name: row.practice_name.clone(),
            patients: structure.total(),
        });
        bands.extend(bands_of(structure));
    }
    let population: u64 = members.iter().map(|m| m.patients).sum();
    let mut establishment = Establishment::practice_staff(population.max(1), parameters)?;
    let mut staff: Vec<StaffLine> = establishment
        .iter()
        .map(|(role, wte)| StaffLine {
            role,
            wte,
            source: StaffSource::NationalPerPatient {
                per_10000: parameters
                    .staffing_per_10000()
                    .iter()
                    .find(|s| s.role == role)
                    .map_or(0.0, |s| s.value),
            },
        })
        .collect();
    let mut not_simulated = Vec::new();
    if let Some((workforce, file)) = workforce {
        let mine: Vec<&PcnWorkforce> = workforce.iter().filter(|w| w.pcn == *pcn).collect();
        let chosen = mine
            .iter()
            .filter(|w| w.census <= first.date)
            .max_by_key(|w| w.census)
            .or_else(|| mine.iter().min_by_key(|w| w.census));
        if let Some(w) = chosen {
            for (staff_role, fte) in &w.by_role {
                let wte = fte.to_wte().unwrap_or(Wte::ZERO);
                if wte.is_zero() {
                    continue;
                }
                match simulated_role(staff_role).filter(|r| parameters.role(*r).is_some()) {
                    Some(role) => {
                        establishment.add(role, wte)?;
                        match staff.iter_mut().find(|s| {
                            s.role == role && matches!(s.source, StaffSource::PcnWorkforce { .. })
                        }) {
                            Some(line) => line.wte = line.wte.checked_add(wte)?,
                            None => staff.push(StaffLine {
                                role,
                                wte,
                                source: StaffSource::PcnWorkforce {
                                    file: file.to_owned(),
                                    census: w.census,
                                },
                            }),
                        }
                    }
                    None => not_simulated.push((staff_role.clone(), wte)),
                }
            }
        }
    }
    let name = first.pcn_name.clone().unwrap_or_else(|| pcn.to_string());
    let input = NetworkInput::from_lists(name.clone(), &bands, establishment, seed)?
        .with_id(pcn_core::NetworkId::from_ods(pcn));
    Ok(RealNetwork {
        pcn: *pcn,
        name,
        list_date: first.date,
        list_file: lists.file().to_owned(),
        sub_icb: first.sub_icb,
        members,
        staff,
        not_simulated,
        deprivation: None,
        input,
    })
}

impl RealNetwork {
    /// The staff roles of the PCN workforce file the simulation has no capacity
    /// for, with their WTE, in words ("Dieticians 0.10, Managers 1.60"); `None` when
    /// every role is simulated.
    #[must_use]
    pub fn not_simulated_text(&self) -> Option<String> {
        (!self.not_simulated.is_empty()).then(|| {
            self.not_simulated
                .iter()
                .map(|(role, wte)| format!("{role} {wte}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }

    /// The same network with its member practices' deprivation scores from
    /// `scores`: its patients are placed in their practices' tenths and its
    /// emergency admissions follow the tenths' ratios
    /// ([`NetworkDeprivation::admission_ratio`]); a practice with no score is taken
    /// at England's average and listed.
    #[must_use]
    pub fn with_deprivation(mut self, scores: &PracticeScores, parameters: &Parameters) -> Self {
        let practices: Vec<(OdsCode, u64, Option<f64>)> = self
            .members
            .iter()
            .map(|m| (m.practice, m.patients, scores.score(&m.practice)))
            .collect();
        let deprivation = NetworkDeprivation::of_practices(&practices, parameters, &scores.file);
        self.input = self.input.with_deprivation(deprivation.clone());
        self.deprivation = Some(deprivation);
        self
    }
}
