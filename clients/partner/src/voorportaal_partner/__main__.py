import sys

from voorportaal_partner.cli import main

sys.exit(main())
