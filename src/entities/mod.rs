//! Sea-orm entities: the generated shape of each table, no logic.
