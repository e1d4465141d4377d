"""The child process that reads a PDF (`read_pdf` runs it under a memory and time budget):
the PDF's bytes on standard input, its pages' text and metadata as JSON on standard output."""

from __future__ import annotations

import json
import sys

from .pdf import extract


def main() -> None:
    found = extract(sys.stdin.buffer.read())
    sys.stdout.write(json.dumps(found))


if __name__ == "__main__":
    main()
