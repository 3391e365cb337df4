"""`python -m panmun.liaison verify BUNDLE ...`, as every exported bundle's README says: the same
as `panmun liaison verify`, without Django (the checker is `ledger.commandline`)."""

import sys

from .ledger.commandline import main

sys.exit(main())
