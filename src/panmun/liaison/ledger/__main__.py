"""`python -m panmun.liaison.ledger verify BUNDLE ...`: the same as `panmun liaison verify`."""

import sys

from .commandline import main

sys.exit(main())
