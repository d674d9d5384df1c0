"""`python -m callkit.cli ...` is the `callkit` command."""

import sys

from . import main

sys.exit(main())
