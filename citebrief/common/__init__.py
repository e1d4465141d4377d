"""Foundations every stage uses: text characters, safe files, dates, did-you-mean, per-run caches."""
