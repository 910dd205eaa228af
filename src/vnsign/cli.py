"""The ``vnsign`` command: parse options, call the library, render, choose the exit code.

No verification logic lives here. Heavy imports (pyHanko, pypdf, rich) happen inside
the commands so that ``vnsign --help`` starts instantly.

Exit codes: 0 every document PASSED; 1 any FAILED; 3 otherwise (INDETERMINATE, no
signature, unreadable input); 2 usage error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE, EXIT_INDETERMINATE = 0, 1, 2, 3


def exit_code(indications: Sequence[str]) -> int:
    """The exit code for a run over documents with these overall indications."""
    if any(i == "FAILED" for i in indications):
        return EXIT_FAILED
    if indications and all(i == "PASSED" for i in indications):
        return EXIT_PASSED
    return EXIT_INDETERMINATE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnsign")
def main() -> None:
    """vnsign — verify digitally signed Vietnamese official documents (PDF).

    Kiểm tra chữ ký số trên văn bản điện tử (PDF) của cơ quan nhà nước Việt Nam.
    """


def _quiet_libraries(verbose: bool) -> None:
    # pyHanko logs expected validation failures as warnings with tracebacks; the
    # report already carries them, so keep the terminal clean unless asked.
    level = logging.DEBUG if verbose else logging.CRITICAL
    logging.basicConfig(level=logging.WARNING if verbose else logging.CRITICAL)
    for name in ("pyhanko", "pyhanko_certvalidator", "pypdf", "vnsign"):
        logging.getLogger(name).setLevel(level)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print the JSON report (one line per document, schema vnsign.report/1).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="Language of the terminal report (default: from the locale).")
@click.option("--trust", "trust_paths", multiple=True, type=click.Path(exists=True),
              help="Trusted root certificates: PEM/DER/PKCS#7 file or folder (repeatable).")
@click.option("--other-certs", "other_paths", multiple=True, type=click.Path(exists=True),
              help="Extra (untrusted) certificates for building chains, e.g. intermediates.")
@click.option("--no-saved-trust", is_flag=True,
              help="Ignore the saved trust store and VNSIGN_TRUST.")
@click.option("--offline", is_flag=True,
              help="Never use the network: embedded revocation data only.")
@click.option("--require-revocation", is_flag=True,
              help="Missing revocation data makes a signature fail to validate.")
@click.option("--at", "validation_time", type=click.DateTime(
    formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]), default=None,
    help="Validate as of this time (ISO 8601; without offset: UTC).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
@click.option("--timeout", "network_timeout", type=float, default=5.0, show_default=True,
              help="Seconds per OCSP/CRL/certificate request.")
@click.option("--time-limit", type=click.FloatRange(min=0), default=30.0, show_default=True,
              help="Seconds one document may take (0: no limit); past it the verdict is "
                   "INDETERMINATE with TIME_LIMIT_EXCEEDED.")
@click.option("--visual-check/--no-visual-check", default=True, show_default=True,
              help="Render each page as signed and as now, and report what permitted "
                   "changes made visible.")
@click.option("-v", "--verbose", is_flag=True, help="Show library log messages.")
def verify(files: tuple[str, ...], as_json: bool, lang: str | None,
           trust_paths: tuple[str, ...], other_paths: tuple[str, ...], no_saved_trust: bool,
           offline: bool, require_revocation: bool, validation_time: datetime | None,
           password: str | None, network_timeout: float, time_limit: float,
           visual_check: bool, verbose: bool) -> None:
    """Verify every signature in each FILE and print a report.

    Exit code: 0 all PASSED, 1 any FAILED, 3 otherwise (INDETERMINATE), 2 usage error.
    """
    _quiet_libraries(verbose)
    from vnsign.errors import TrustStoreError
    from vnsign.policy import Policy
    from vnsign.render.labels import default_language
    from vnsign.trust import TrustStore
    from vnsign.verifier import verify as verify_document

    if validation_time is not None and validation_time.tzinfo is None:
        from datetime import UTC

        validation_time = validation_time.replace(tzinfo=UTC)
    try:
        trust = TrustStore.load(trust_paths, other_paths, use_saved=not no_saved_trust,
                                use_env=not no_saved_trust)
    except TrustStoreError as exc:
        raise click.UsageError(str(exc)) from exc
    policy = Policy(offline=offline, require_revocation=require_revocation,
                    validation_time=validation_time, network_timeout=network_timeout,
                    time_limit=time_limit or None, visual_check=visual_check)
    language = lang or default_language()
    console = None
    if not as_json:
        from rich.console import Console

        console = Console(highlight=False)
    indications = []
    for path in files:
        report = verify_document(path, trust=trust, policy=policy, password=password)
        data = report.to_dict()
        indications.append(data["indication"])
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            from vnsign.render.text import render

            assert console is not None
            render(data, language, console)
    sys.stdout.flush()
    sys.exit(exit_code(indications))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (one line per document, schema vnsign.metadata/1).")
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
              help="Language of the text output (default: from the locale).")
@click.option("--password", default=None, help="Password of an encrypted PDF.")
def inspect(files: tuple[str, ...], as_json: bool, lang: str | None,
            password: str | None) -> None:
    """Show the document fields (Decree 30/2020) and PDF metadata — no signature checks.

    Fast: no cryptography, no network. Exit code 0 when every file could be read,
    3 otherwise.
    """
    _quiet_libraries(False)
    from vnsign.metadata import read_metadata
    from vnsign.render.labels import default_language

    language = lang or default_language()
    all_read = True
    for path in files:
        report = read_metadata(path, password=password)
        data = report.to_dict()
        all_read = all_read and not report.findings
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            continue
        from rich.console import Console
        from rich.panel import Panel

        from vnsign.render.text import document_block, render_findings

        console = Console(highlight=False)
        doc = data["metadata"]["document"]
        body = document_block(doc, language) if doc else render_findings(data["findings"],
                                                                          language)
        console.print(Panel(body, title=path, title_align="left"))
    sys.stdout.flush()
    sys.exit(EXIT_PASSED if all_read else EXIT_INDETERMINATE)


@main.group()
def trust() -> None:
    """Manage the saved trust store (chứng thư số gốc tin cậy)."""


@trust.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def trust_add(paths: tuple[str, ...]) -> None:
    """Save the root certificates in PATHS (files or folders) as trusted."""
    from vnsign.errors import TrustStoreError
    from vnsign.trust import saved_add

    try:
        added = saved_add(paths)
    except TrustStoreError as exc:
        raise click.UsageError(str(exc)) from exc
    from vnsign.vn.known_roots import identify, impersonates

    for item in added:
        click.echo(f"+ {item.sha256[:16]}  {item.common_name or '-'}  (→ {item.valid_until})")
        known = identify(item.sha256)
        if known is not None:
            click.echo(f"  ✓ official {known.generation} certificate ({known.publisher})")
        fake = impersonates(item.common_name, item.sha256)
        if fake is not None:
            click.echo(f"  ⚠ WARNING: named like the official '{fake.name}' ({fake.publisher}) "
                       "but its fingerprint differs — check where this file came from. / "
                       "CẢNH BÁO: trùng tên với chứng thư số chính thức nhưng khác dấu vân tay.",
                       err=True)


@trust.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def trust_list(as_json: bool) -> None:
    """List the saved trusted root certificates."""
    from vnsign.trust import saved_list, saved_store_dir

    items = saved_list()
    if as_json:
        payload: list[dict[str, Any]] = [
            {"sha256": i.sha256, "common_name": i.common_name, "valid_until": i.valid_until,
             "path": str(i.path)} for i in items]
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    if not items:
        click.echo(f"(empty: {saved_store_dir()})")
    for item in items:
        click.echo(f"{item.sha256[:16]}  {item.common_name or '-'}  (→ {item.valid_until})")


@trust.command("remove")
@click.argument("fingerprint")
def trust_remove(fingerprint: str) -> None:
    """Remove saved roots whose SHA-256 fingerprint starts with FINGERPRINT."""
    from vnsign.errors import TrustStoreError
    from vnsign.trust import saved_remove

    try:
        removed = saved_remove(fingerprint)
    except TrustStoreError as exc:
        raise click.UsageError(str(exc)) from exc
    if not removed:
        raise click.UsageError(f"no saved certificate matches {fingerprint}")
    for item in removed:
        click.echo(f"- {item.sha256[:16]}  {item.common_name or '-'}")


def _register_extensions() -> None:
    """Commands that live in their own modules (kept light: click only at import)."""
    import importlib

    for module_name in ("vnsign.cli_batch",):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(main)


_register_extensions()

if __name__ == "__main__":  # pragma: no cover
    main()
