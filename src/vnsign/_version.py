"""The version of vnsign, in one place that imports nothing.

Modules that record the version (reports, the ledger fingerprint, the HTML footer)
import it from here, never from the package face, so that no module depends on
``vnsign/__init__.py`` and the import graph has no circle.
"""

__version__ = "0.1.0"
