//! Referral pathways: catalogue, routing, lifecycle, waiting-time clocks and social prescribing.
