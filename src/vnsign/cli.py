"""The ``vnsign`` command: parse options, call the library, render, choose the exit code.

No verification logic lives here. Heavy imports (pyHanko, pypdf, rich) happen inside
the commands so that ``vnsign --help`` starts instantly.

Exit codes: 0 every document PASSED; 1 any FAILED; 3 otherwise (INDETERMINATE, no
signature, unreadable input); 2 usage error.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from vnsign.cli_options import (
    build_policy,
    build_trust,
    common_options,
    details_option,
    language,
    load_settings,
    ocr_mode,
    ocr_option,
    password_option,
    quiet_libraries,
    show_trust,
    validation_options,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vnsign")
def main() -> None:
    """vnsign — verify digitally signed Vietnamese official documents (PDF).

    Kiểm tra chữ ký số trên văn bản điện tử (PDF) của cơ quan nhà nước Việt Nam.
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print the JSON report (one line per document, schema vnsign.report/1).")
@details_option
@validation_options
@common_options
@click.pass_context
def verify(ctx: click.Context, /, files: tuple[str, ...], as_json: bool,
           **params: Any) -> None:
    """Verify every signature in each FILE and print a report.

    Exit code: 0 all PASSED, 1 any FAILED, 3 otherwise (INDETERMINATE), 2 usage error.
    """
    quiet_libraries(params["verbose"])
    settings = load_settings(params["config_path"])
    from vnsign import collector, tls_defaults

    tls_defaults.defer_default_certificates()  # before the validation stack's imports
    from vnsign.gate import CiPolicy, exit_code, judge
    from vnsign.verifier import verify as verify_document

    trust = build_trust(ctx, settings, params)
    policy = build_policy(ctx, settings, params)
    lang = language(ctx, settings, params["lang"])
    show_trust(ctx, settings, params, trust, lang)
    console = None
    if not as_json:
        from rich.console import Console

        console = Console(highlight=False)
    judgements = []
    collector.tune_for_verifying()
    for index, path in enumerate(files):
        if index:
            collector.after_document()
        report = verify_document(path, trust=trust, policy=policy,
                                 password=params["password"])
        judgements.append(judge(report, CiPolicy()))
        if as_json:
            sys.stdout.write(_json_line(report.to_dict()))
        else:
            from vnsign.render.text import render

            assert console is not None
            render(report, lang, console, details=params["details"])
    sys.stdout.flush()
    sys.exit(exit_code(judgements))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (one line per document, schema vnsign.metadata/1).")
@details_option
@password_option
@ocr_option
@common_options
@click.pass_context
def inspect(ctx: click.Context, /, files: tuple[str, ...], as_json: bool,
            **params: Any) -> None:
    """Show the document fields (Decree 30/2020) and PDF metadata — no signature checks.

    Fast: no cryptography, no network. Exit code 0 when every file could be read,
    3 otherwise.
    """
    quiet_libraries(params["verbose"])
    settings = load_settings(params["config_path"])
    from vnsign.gate import EXIT_INDETERMINATE, EXIT_PASSED
    from vnsign.metadata import read_metadata

    lang = language(ctx, settings, params["lang"])
    all_read = True
    ocr = ocr_mode(ctx, settings, params["ocr"])
    for path in files:
        report = read_metadata(path, password=params["password"], ocr=ocr)
        all_read = all_read and report.metadata["document"] is not None
        if as_json:
            sys.stdout.write(_json_line(report.to_dict()))
            continue
        from rich.console import Console

        from vnsign.render.text import render_metadata

        render_metadata(report, lang, Console(highlight=False), details=params["details"])
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
    from vnsign.render.safe_text import visible
    from vnsign.vn.known_roots import identify, impersonates

    for item in added:
        click.echo(f"+ {item.sha256[:16]}  {visible(item.common_name or '-')}  "
                   f"(→ {item.valid_until})")
        known = identify(item.sha256)
        if known is not None:
            click.echo(f"  ✓ official {known.hierarchy} certificate ({known.publisher})")
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
    from vnsign.render.safe_text import visible
    from vnsign.trust import saved_list, saved_store_dir

    items = saved_list()
    if as_json:
        payload: list[dict[str, Any]] = [
            {"sha256": i.sha256, "common_name": i.common_name, "valid_until": i.valid_until,
             "path": str(i.path)} for i in items]
        click.echo(_json_line(payload), nl=False)
        return
    if not items:
        click.echo(f"(empty: {saved_store_dir()})")
    for item in items:
        click.echo(f"{item.sha256[:16]}  {visible(item.common_name or '-')}  "
                   f"(→ {item.valid_until})")


@trust.command("import-vn")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
def trust_import_vn(paths: tuple[str, ...]) -> None:
    """Save the official VGCA (G1, G2) and NEAC certificates among PATHS.

    Only certificates whose SHA-256 fingerprint vnsign pins are saved (roots as trusted,
    CAs as intermediates); every other certificate is refused and named. Exit code 1
    when nothing official was found.
    """
    from vnsign.errors import TrustStoreError
    from vnsign.vn.official_trust import import_files

    try:
        result = import_files(paths)
    except TrustStoreError as exc:
        raise click.UsageError(str(exc)) from exc
    _echo_import(result)


@trust.command("fetch-vn")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds per download.")
def trust_fetch_vn(timeout: float) -> None:
    """Download the official VGCA and NEAC certificates from ca.gov.vn and rootca.gov.vn.

    Only pinned fingerprints are saved, whatever the server sends. Exit code 1 when
    nothing official could be downloaded.
    """
    from vnsign.render.safe_text import visible
    from vnsign.validation.network import download
    from vnsign.vn.official_trust import OFFICIAL_SOURCES, import_certificates

    downloads = download(OFFICIAL_SOURCES, timeout=timeout)
    result = import_certificates((d.url, d.data) for d in downloads if d.data is not None)
    for item in downloads:
        if item.error is not None:
            click.echo(f"! {visible(item.url)}: {visible(item.error)}", err=True)
    _echo_import(result)


def _echo_import(result: Any) -> None:
    from vnsign.render.safe_text import visible

    for item in result.imported:
        role = "root" if item.known.root else "intermediate"
        click.echo(f"+ {item.saved.sha256[:16]}  {item.known.name}  "
                   f"({item.known.hierarchy} {role}, {item.known.publisher}; "
                   f"→ {item.saved.valid_until})")
    for refused in result.refused:
        click.echo(f"✗ {visible(refused.origin)}: {visible(refused.common_name or '-')} — "
                   f"{visible(refused.reason)} / "
                   "không phải chứng thư số chính thức đã ghim", err=True)
    if not result.imported:
        sys.exit(1)


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
    from vnsign.render.safe_text import visible

    for item in removed:
        click.echo(f"- {item.sha256[:16]}  {visible(item.common_name or '-')}")


def _json_line(data: Any) -> str:
    import json  # here, not at the top: `vnsign --help` does not need it

    return json.dumps(data, ensure_ascii=False) + "\n"


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
