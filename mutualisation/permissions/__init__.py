"""Permission predicates of mutualisation, one module per subject (`rencontres`, `fiches`, `syntheses`, `prix`),
re-exported here: `from mutualisation import permissions` then `permissions.can_…`."""
