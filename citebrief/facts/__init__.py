"""Facts stage: the project on disk, YAML with positions, schemas, validation, derived figures."""
