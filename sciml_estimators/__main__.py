"""``python -m sciml_estimators`` is the ``sciml-estimators`` command."""

import sys

from .bench._cli import main

sys.exit(main())
