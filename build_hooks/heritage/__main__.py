import sys

from heritage.cli import main

sys.exit(main())
