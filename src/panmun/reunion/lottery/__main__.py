"""`python -m panmun.reunion.lottery draw|verify-draw ...`: the same as `panmun reunion`."""

import sys

from .commandline import main

sys.exit(main())
