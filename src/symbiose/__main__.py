import sys

from symbiose.cli import main

sys.exit(main())
