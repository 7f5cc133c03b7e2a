//! Readers for the NHS ODS practice and PCN files and the registered-patient list-size files.
