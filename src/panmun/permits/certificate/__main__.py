"""`python -m panmun.permits.certificate verify CERTIFICATE --keys keys.json`: the same as
`panmun permits verify ... --keys keys.json`."""

import sys

from .commandline import main

sys.exit(main())
