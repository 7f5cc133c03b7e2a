//! Patients, risk stratification (electronic Frailty Index, multimorbidity), personal care and support plans, access control.
