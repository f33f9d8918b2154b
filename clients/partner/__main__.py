"""`python -m clients.partner` in this repository is `voorportaal-partner` (the client is its own distribution,
clients/partner/src/voorportaal_partner; `make install` installs it editable)."""
import sys

from voorportaal_partner.cli import main

sys.exit(main())
