"""History stage: what changed between corpora, and published editions."""
