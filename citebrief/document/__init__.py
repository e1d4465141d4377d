"""Document stage: compose a briefing and the facts it shows into one typed Document."""
