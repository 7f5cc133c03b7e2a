//! FHIR R4 (UK Core) import and export for networks, staff, patients, care plans and referrals.
