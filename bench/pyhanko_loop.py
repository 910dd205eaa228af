"""The pyHanko library loop of bench_corpus.py, in a process of its own.

    python bench/pyhanko_loop.py --trust ROOT --other-certs INTERMEDIATE --at ISO FILE...

One ValidationContext for every document (so certvalidator's caches work as they
would in a long-running pyHanko service), pyHanko's own difference analysis on
(``validate_pdf_signature`` with its default diff policy), signature timestamps
validated against the same context. vnsign is not imported: nothing it does at
import time can speed up or slow down the comparison. Prints one JSON line: the
loop's seconds (imports excluded), documents, signatures and pyHanko's bottom line
per document.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from datetime import datetime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trust", required=True, action="append", help="repeatable")
    parser.add_argument("--other-certs", action="append", default=[], help="repeatable")
    parser.add_argument("--at", required=True, help="validation time, ISO 8601 with offset")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)

    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    def load(path: str) -> x509.Certificate:
        with open(path, "rb") as handle:
            data = handle.read()
        if pem.detect(data):
            data = pem.unarmor(data)[2]
        return x509.Certificate.load(data)

    context = ValidationContext(trust_roots=[load(p) for p in args.trust],
                                other_certs=[load(p) for p in args.other_certs],
                                allow_fetching=False, revocation_mode="soft-fail",
                                moment=datetime.fromisoformat(args.at))
    started = time.perf_counter()
    cpu_started = time.process_time()
    signatures = 0
    verdicts: dict[str, list[str]] = {}
    for path in args.files:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            results = []
            for sig in reader.embedded_signatures:
                try:
                    status = validate_pdf_signature(sig, signer_validation_context=context,
                                                    ts_validation_context=context)
                    results.append(status.summary())
                except Exception as exc:  # report, never stop the loop
                    results.append(f"ERROR {type(exc).__name__}")
                signatures += 1
        verdicts[path] = results
    print(json.dumps({"seconds": time.perf_counter() - started,
                      "cpu_seconds": time.process_time() - cpu_started,
                      "documents": len(args.files), "signatures": signatures,
                      "verdicts": verdicts}))


if __name__ == "__main__":
    main()
