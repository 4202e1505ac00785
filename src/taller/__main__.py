"""`python -m taller` equivale a la orden `taller`."""

import sys

from taller.cli import main

sys.exit(main())
