"""In-repository alias of `voorportaal_partner.cli` (the partner client is its own distribution, `voorportaal-partner`,
in clients/partner/src/; `make install` installs it editable). Kept so that code in this repository that imports
`clients.partner.cli` (tests/support, bench) gets the very same module; new code imports `voorportaal_partner`."""
import sys

from voorportaal_partner import cli as _module

sys.modules[__name__] = _module
