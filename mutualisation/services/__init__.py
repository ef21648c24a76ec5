"""Services of mutualisation (the writes), one module per subject (`rencontres`, `fiches`, `syntheses`,
`rapports`, `prix`), re-exported here."""
