"""ilcs: training and assessment toolkit for the NVQ unit A/601/2550.

Deliver, monitor and evaluate customer service to internal customers.
Heavy modules (pandas, SQLAlchemy, ipywidgets) are imported where they are used,
never here, so that `import ilcs` and every app start fast.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ilcs")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
