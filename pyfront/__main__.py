"""``python -m pyfront run script.py [args]``: see ``pyfront.run``."""
import sys

from pyfront.run import USAGE, main

if len(sys.argv) > 1 and sys.argv[1] == "run":
    sys.exit(main(sys.argv[2:]))
print(USAGE, file=sys.stderr)
sys.exit(2)
