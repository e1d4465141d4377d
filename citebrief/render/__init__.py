"""Render stage: the Document into HTML, PDF, DOCX, charts and the manifest."""
