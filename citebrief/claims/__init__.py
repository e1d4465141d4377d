"""Claims stage: read what a sentence claims, and verify each citation against it."""
