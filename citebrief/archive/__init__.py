"""Archive stage: take in sources (PDF, web pages, text), find quotes, search, triage."""
