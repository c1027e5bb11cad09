"""backcare: a command-line self-care tracker for back pain and back muscle spasms.

This module holds the version only: `backcare --version` must not import anything heavy.
"""

__version__ = "0.1.0"
