"""``python -m analysis.report``: execute the notebooks and export the reports."""

import sys

from analysis.report.build import main

sys.exit(main())
