//! Matching volunteers and roles: hard eligibility, then an explainable score.
