"""The command-line options every command shares, declared once, and how they layer.

``verify``, ``inspect``, ``batch`` and ``watch`` take their trust, validation, language
and settings options from here, so an option means the same everywhere:

* ``--timeout S``: seconds per OCSP/CRL/certificate request (``--network-timeout`` is
  an alias kept for older scripts and settings files);
* ``--time-limit S``: CPU seconds one document may take (0: none; a document that
  waits rather than works is stopped at three times the limit of wall time). Past it
  the document is INDETERMINATE with TIME_LIMIT_EXCEEDED; in ``batch`` and ``watch`` a
  worker that still does not answer is killed at four times the limit (BATCH_TIMEOUT).

Layering: an option given on the command line wins, then the settings file
(``--config``, ``./vnsign.toml`` or ``[tool.vnsign]`` of ``./pyproject.toml``, see
:mod:`vnsign.settings`), then the built-in default. Only click and the standard
library are imported at module level: ``vnsign --help`` stays instant.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

if TYPE_CHECKING:
    from vnsign.policy import Policy
    from vnsign.settings import Settings
    from vnsign.trust import TrustStore

F = TypeVar("F", bound=Callable[..., Any])

TIME_FORMATS = ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]
DEFAULT_NETWORK_TIMEOUT = 5.0
DEFAULT_TIME_LIMIT = 30.0
ENV_ALLOW_PRIVATE_NETWORK = "VNSIGN_ALLOW_PRIVATE_NETWORK"

# Loggers silenced unless --verbose: pyHanko logs expected validation failures as
# warnings with tracebacks; the report already carries them.
_LIBRARY_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "pypdf", "vnsign", "distributed",
                    "asyncio", "tornado")


def apply(func: F, decorators: Sequence[Callable[[Any], Any]]) -> F:
    """Apply click decorators in reading order (the first one listed is outermost)."""
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def common_options(func: F) -> F:
    """Language, settings file and verbosity: every command that reads documents."""
    return apply(func, [
        click.option("--lang", type=click.Choice(["vi", "en"]), default=None,
                     help="Language of messages and reports (default: from the locale)."),
        click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                     default=None,
                     help="Settings file (default: ./vnsign.toml or [tool.vnsign] in "
                          "./pyproject.toml)."),
        click.option("-v", "--verbose", is_flag=True, help="Show library log messages."),
    ])


#: When ``inspect`` and ``verify`` read scanned pages with Tesseract (vnsign.pdf.ocr).
OCR_CHOICES = ("auto", "always", "never")


def ocr_option(func: F) -> F:
    return click.option(
        "--ocr", type=click.Choice(OCR_CHOICES), default=None,
        help="Read the document fields of scanned pages with Tesseract (Vietnamese): auto "
             "(pages without a usable text layer, when Tesseract is installed), always, "
             "never [default: auto].")(func)


def ocr_mode(ctx: click.Context, settings: Settings, value: str | None) -> str:
    return str(pick(ctx, settings, "ocr", value, "auto") or "auto")


def details_option(func: F) -> F:
    """The terminal view: compact by default (the clerk's view), ``--details`` in full."""
    return click.option("--details", is_flag=True,
                        help="Print the full report (certificates, chain, revocation, every "
                             "finding) instead of the compact view.")(func)


def password_option(func: F) -> F:
    return click.option("--password", default=None, help="Password of encrypted PDFs.")(func)


def validation_options(func: F) -> F:
    """Trust, revocation, time and limits: everything that changes a verdict."""
    return apply(func, [
        click.option("--trust", "trust_paths", multiple=True, type=click.Path(exists=True),
                     help="Trusted root certificates: PEM/DER/PKCS#7 file or folder "
                          "(repeatable)."),
        click.option("--other-certs", "other_paths", multiple=True,
                     type=click.Path(exists=True),
                     help="Extra (untrusted) certificates for building chains, e.g. "
                          "intermediates."),
        click.option("--no-saved-trust", is_flag=True,
                     help="Ignore the saved trust store and VNSIGN_TRUST."),
        click.option("--offline", is_flag=True,
                     help="Never use the network: embedded revocation data only."),
        click.option("--no-aia", is_flag=True,
                     help="Never download missing issuer certificates from the addresses a "
                          "certificate names (AIA); OCSP/CRL checks still run."),
        click.option("--allow-private-network", is_flag=True,
                     help="Let OCSP/CRL/certificate requests reach loopback, private and "
                          "link-local addresses (an intranet CA). Also "
                          f"{ENV_ALLOW_PRIVATE_NETWORK}=1. Never from a settings file."),
        click.option("--require-revocation", is_flag=True,
                     help="Missing revocation data makes a signature fail to validate."),
        click.option("--at", "validation_time", type=click.DateTime(formats=TIME_FORMATS),
                     default=None, help="Validate as of this time (ISO 8601; no offset: UTC)."),
        password_option,
        click.option("--timeout", "--network-timeout", "network_timeout",
                     type=click.FloatRange(min=0.1), default=None,
                     help="Seconds per OCSP/CRL/certificate request "
                          f"[default: {DEFAULT_NETWORK_TIMEOUT:g}]."),
        click.option("--time-limit", type=click.FloatRange(min=0), default=None,
                     help="CPU seconds one document may take, 0 for none "
                          f"[default: {DEFAULT_TIME_LIMIT:g}]; past it the verdict is "
                          "INDETERMINATE with TIME_LIMIT_EXCEEDED."),
        click.option("--visual-check/--no-visual-check", default=None,
                     help="Render each page as signed and as now, and report what "
                          "permitted changes made visible [default: on]."),
        click.option("--strict-algorithms", is_flag=True,
                     help="Refuse SHA-1 everywhere, even in chains to a pinned VGCA root "
                          "(the Vietnamese government profile accepts it there, with a "
                          "warning; see docs/trust.md)."),
        ocr_option,
    ])


# --- settings layering ----------------------------------------------------------------

def load_settings(config_path: str | None) -> Settings:
    from vnsign.errors import SettingsError
    from vnsign.settings import load

    try:
        return load(config_path)
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from exc


def pick(ctx: click.Context, settings: Settings, name: str, value: Any,
         default: Any = None) -> Any:
    """The command line if given there, else the settings file, else the default."""
    if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT):
        return value
    if name in settings.values:
        return settings.values[name]
    return default if value is None or value == () or value is False else value


def quiet_libraries(verbose: bool) -> None:
    import logging  # here, not at the top: `vnsign --help` does not need it

    level = logging.DEBUG if verbose else logging.CRITICAL
    logging.basicConfig(level=logging.WARNING if verbose else logging.CRITICAL)
    for name in _LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(level)


def language(ctx: click.Context, settings: Settings, lang: str | None) -> str:
    from vnsign.render.labels import default_language

    chosen = pick(ctx, settings, "lang", lang)
    return str(chosen) if chosen else default_language()


def _validation_time(value: Any) -> datetime | None:
    if value is None:
        return None
    moment: datetime
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise click.UsageError(f"'at': not an ISO 8601 time: {value}") from exc
    else:
        assert isinstance(value, datetime)
        moment = value
    if moment.tzinfo is None:
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment


def build_trust(ctx: click.Context, settings: Settings, params: dict[str, Any]) -> TrustStore:
    from vnsign.errors import TrustStoreError
    from vnsign.trust import TrustStore

    trust_paths = pick(ctx, settings, "trust_paths", params["trust_paths"], ())
    other_paths = pick(ctx, settings, "other_paths", params["other_paths"], ())
    no_saved = bool(pick(ctx, settings, "no_saved_trust", params["no_saved_trust"], False))
    try:
        return TrustStore.load(trust_paths, other_paths, use_saved=not no_saved,
                               use_env=not no_saved)
    except TrustStoreError as exc:
        raise click.UsageError(str(exc)) from exc


def trust_origins(ctx: click.Context, settings: Settings, params: dict[str, Any],
                  store: TrustStore, lang: str) -> list[tuple[str, str]]:
    """Where each trusted path of ``store`` came from: the command line, the settings
    file (named: a repository's own file can add roots), ``VNSIGN_TRUST`` or the saved
    store — for the run header (:mod:`vnsign.render.trust_header`)."""
    from vnsign.render.labels import label
    from vnsign.trust import ENV_TRUST, saved_store_dir

    explicit = {str(p) for p in pick(ctx, settings, "trust_paths", params["trust_paths"], ())}
    on_command_line = ctx.get_parameter_source("trust_paths") not in (
        None, ParameterSource.DEFAULT)
    given = "--trust" if on_command_line else str(settings.source or "--config")
    saved = str(saved_store_dir())
    return [(given if path in explicit else
             label("saved_store", lang) if path == saved else ENV_TRUST, path)
            for path in store.sources]


def show_trust(ctx: click.Context, settings: Settings, params: dict[str, Any],
               store: TrustStore, lang: str) -> list[tuple[str, str]]:
    """Print the run header's trust lines on standard error (the reports stay clean on
    standard output); returns the origins for a report's own header."""
    from vnsign.render.trust_header import trust_lines

    origins = trust_origins(ctx, settings, params, store, lang)
    for line in trust_lines(origins, lang):
        click.echo(line, err=True)
    return origins


def build_policy(ctx: click.Context, settings: Settings, params: dict[str, Any]) -> Policy:
    """The one place a command turns its options into a :class:`~vnsign.policy.Policy`."""
    from vnsign.policy import Policy

    time_limit = float(pick(ctx, settings, "time_limit", params["time_limit"],
                            DEFAULT_TIME_LIMIT))
    visual = pick(ctx, settings, "visual_check", params["visual_check"], True)
    # Deliberately not a settings key: a settings file travels with the documents (a
    # pull request can edit it), and this opens the runner's own network to them.
    private = bool(params["allow_private_network"]
                   or os.environ.get(ENV_ALLOW_PRIVATE_NETWORK) == "1")
    return Policy(
        offline=bool(pick(ctx, settings, "offline", params["offline"], False)),
        require_revocation=bool(pick(ctx, settings, "require_revocation",
                                     params["require_revocation"], False)),
        validation_time=_validation_time(pick(ctx, settings, "validation_time",
                                              params["validation_time"])),
        network_timeout=float(pick(ctx, settings, "network_timeout",
                                   params["network_timeout"], DEFAULT_NETWORK_TIMEOUT)),
        time_limit=time_limit or None,
        visual_check=True if visual is None else bool(visual),
        strict_algorithms=bool(pick(ctx, settings, "strict_algorithms",
                                    params["strict_algorithms"], False)),
        ocr=ocr_mode(ctx, settings, params.get("ocr")),
        aia=not pick(ctx, settings, "no_aia", params["no_aia"], False),
        allow_private_network=private)
