//! Unified budgets: a pooled double-entry ledger and the Network Contract DES entitlement rules by year.
