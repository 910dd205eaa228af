"""The one part of vnsign pyproject.toml cannot declare stably: its optional C extensions.

``vnsign.pdf._textscan`` reads pdfium's per-character text data in one call, and
``vnsign.pdf._objscan`` walks a PDF object's bytes for vnsign's object reader (see each C
source). Both are optional: where no C compiler is found the build goes on without them
and vnsign does the same work in Python (ctypes calls; ``object_reader._Reader``), with
the same results, slower.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension("vnsign.pdf._textscan", sources=["src/vnsign/pdf/_textscan.c"],
                  optional=True),
        Extension("vnsign.pdf._objscan", sources=["src/vnsign/pdf/_objscan.c"],
                  optional=True),
    ],
)
