"""pumppath: the insulin-pump-therapy pathway of a diabetes clinic, as data and rules (Python bindings).

Everything is in this module, from the compiled extension `pumppath.pumppath`; `pumppath.spark` runs
`summarize_cohort` on Apache Spark (imported on its own, as it needs pyspark).
"""

from .pumppath import *  # noqa: F403
from .pumppath import __all__, __version__  # noqa: F401
