#!/usr/bin/env python3
"""Entry point: `python build.py [COMMAND]`. See README.md or `python build.py --help`."""

import sys

from citebrief.cli import main

if __name__ == "__main__":
    sys.exit(main())
