"""``python -m core``: the command line (see core/cli.py)."""

import sys

if __name__ == "__main__" and sys.argv[1:2] == ["train"]:
    # The experiment store's writer process starts first: it imports MLflow while this
    # process imports the rest and reads the data (see core.tracking.record_in_child).
    from core import tracking
    tracking.record_in_child()

from core.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
