//! Representativeness: volunteers compared with the census baseline, with small numbers protected.
