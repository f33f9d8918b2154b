import sys

from clients.partner.cli import main

sys.exit(main())
