//! Practices, networks and partners, dated membership and the PCN formation rules.
