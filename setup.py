"""The one part of vnsign pyproject.toml cannot declare stably: its optional C extension.

``vnsign.pdf._textscan`` reads pdfium's per-character text data in one call (see the C
source). It is optional: where no C compiler is found the build goes on without it and
vnsign reads the same data through ctypes, with the same results, slower.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("vnsign.pdf._textscan", sources=["src/vnsign/pdf/_textscan.c"],
                  optional=True),
    ],
)
