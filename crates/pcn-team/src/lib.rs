//! Multidisciplinary teams: roles, staff, skills, teams, caseloads, MDT meetings and capacity.
