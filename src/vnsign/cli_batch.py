"""``vnsign batch``, ``vnsign report`` and ``vnsign watch``: many documents at a time.

Registered into the ``vnsign`` group by :func:`register` (``vnsign.cli`` calls it).
Only click and the standard library are imported here; the verification stack, rich
and the renderers load inside the commands, so ``vnsign --help`` stays instant.

Options shared with ``verify`` are declared once, in :mod:`vnsign.cli_options`, and
mean the same here (``--timeout`` per network request, ``--time-limit`` per document).
Every option can also come from ``vnsign.toml`` / ``[tool.vnsign]``; options given on
the command line win.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from vnsign.cli_options import (
    apply,
    build_policy,
    build_trust,
    common_options,
    language,
    load_settings,
    pick,
    quiet_libraries,
    show_trust,
    validation_options,
)

if TYPE_CHECKING:
    from vnsign.batch.runner import RunState
    from vnsign.gate import CiPolicy
    from vnsign.policy import Policy
    from vnsign.render.batch_rows import Document
    from vnsign.settings import Settings
    from vnsign.trust import TrustStore

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INTERRUPTED = 130


def gate_options(func: F) -> F:
    """The CI gate: what makes the exit code non-zero (and a document quarantined)."""
    return apply(func, [
        click.option("--fail-on", type=click.Choice(["failed", "indeterminate", "warning"]),
                     default=None,
                     help="Lowest level that fails the run: failed, indeterminate "
                          "[default], or warning (PASSED with warnings fails too)."),
        click.option("--require-signatures", type=click.IntRange(min=0), default=None,
                     help="Each document needs at least N signatures (not FAILED; document "
                          "timestamps do not count)."),
        click.option("--require-agency-signature", is_flag=True,
                     help="Each document needs a signature by an agency (seal) certificate."),
    ])


def guard_options(func: F) -> F:
    """Worker pool size and the per-document memory guard (the time limit is
    ``--time-limit``, shared with ``verify``)."""
    return apply(func, [
        click.option("--workers", type=click.IntRange(min=1), default=None,
                     help="Worker processes [default: all cores]."),
        click.option("--memory-limit", type=click.IntRange(min=0), default=None,
                     help="Memory (address space) limit per worker in MB, 0 for none "
                          "[default: 4096]."),
    ])


# --- settings -------------------------------------------------------------------------

def _check_format(fmt: str | None, name: str) -> str:
    """A known format whose library is installed (XLSX needs openpyxl: vnsign[batch])."""
    import importlib.util

    if fmt is None:
        raise click.UsageError(f"{name}: unknown report format (use .jsonl, .json, .csv, "
                               ".xlsx, .xml or .html)")
    if fmt in ("xlsx", "register") and importlib.util.find_spec("openpyxl") is None:
        raise click.UsageError("XLSX reports need openpyxl: pip install 'vnsign[batch]'")
    return fmt


def _ci_policy(ctx: click.Context, settings: Settings, params: dict[str, Any]) -> CiPolicy:
    from vnsign.gate import CiPolicy, FailOn

    return CiPolicy(
        fail_on=FailOn(pick(ctx, settings, "fail_on", params["fail_on"], "indeterminate")),
        require_signatures=int(pick(ctx, settings, "require_signatures",
                                     params["require_signatures"], 0)),
        require_agency_signature=bool(pick(ctx, settings, "require_agency_signature",
                                            params["require_agency_signature"], False)))


def _executor(ctx: click.Context, settings: Settings, params: dict[str, Any],
              policy: Policy) -> Any:
    from vnsign.batch.executors import (
        DEFAULT_MEMORY_LIMIT_MB,
        DaskExecutor,
        LocalExecutor,
        guard_timeout,
    )

    timeout = guard_timeout(policy.time_limit)
    memory = int(pick(ctx, settings, "memory_limit", params["memory_limit"],
                       DEFAULT_MEMORY_LIMIT_MB))
    dask = pick(ctx, settings, "dask", params.get("dask_address"))
    if dask:
        try:
            import distributed  # noqa: F401
        except ImportError as exc:
            raise click.UsageError(
                "--dask needs the 'distributed' package: pip install 'vnsign[batch]'") from exc
        return DaskExecutor(dask, timeout=timeout, memory_limit_mb=memory or None)
    workers = pick(ctx, settings, "workers", params["workers"])
    return LocalExecutor(workers, timeout=timeout, memory_limit_mb=memory or None)


# --- progress -------------------------------------------------------------------------

class _Progress:
    """A rich progress bar on stderr: done/total, rate, ETA, live verdict counts."""

    def __init__(self, lang: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        from vnsign.render.labels import label

        self.label = lambda key: label(key, lang)
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
            TimeRemainingColumn(), TextColumn("{task.fields[counts]}"),
            console=Console(stderr=True), transient=False)
        self.task: Any = None
        self.started = 0.0

    def __enter__(self) -> _Progress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.__exit__(*exc)

    def update(self, state: RunState) -> None:
        import time

        if self.task is None:
            self.started = time.monotonic()
            self.task = self.progress.add_task(
                self.label("verifying"), total=state.planned, rate="", counts="")
        elapsed = max(time.monotonic() - self.started, 1e-6)
        counts = state.counts
        text = (f"[green]✓ {counts.get('PASSED', 0)}[/] [red]✗ {counts.get('FAILED', 0)}[/] "
                f"[yellow]? {counts.get('INDETERMINATE', 0) + counts.get('NO_SIGNATURE', 0)}"
                "[/]")
        if state.skipped:
            text += f" [dim]↷ {state.skipped}[/]"
        self.progress.update(self.task, completed=state.done,
                             rate=f"{state.done / elapsed:.1f}/s", counts=text)


def _show_progress(quiet: bool) -> bool:
    return not quiet and sys.stdout.isatty() and sys.stderr.isatty()


# --- batch ----------------------------------------------------------------------------

def _summary(docs: Sequence[Document], state: RunState, lang: str, out: TextIO,
             ledger: str | None, reports: Sequence[str]) -> None:
    from collections import Counter

    from vnsign.render.labels import label
    from vnsign.render.safe_text import visible

    def L(key: str) -> str:
        return label(key, lang)

    counts = Counter(d.report.indication.value for d in docs)
    errors = sum(d.row.error is not None for d in docs)
    out.write(f"vnsign batch: {len(docs)} {L('documents').lower()} · "
              f"{L('verified_now')} {state.done} · {L('skipped')} {state.skipped}\n")
    out.write("  " + " · ".join(f"{L(k)} {counts.get(k, 0)}" for k in
                                ("PASSED", "FAILED", "INDETERMINATE", "NO_SIGNATURE"))
              + f" · {L('guard_errors')} {errors}\n")
    shown = 0
    for doc in docs:
        row, judgement = doc.row, doc.judgement
        if not judgement.counted:
            continue
        if shown == 20:
            out.write("  …\n")
            break
        shown += 1
        # The verdict in the same words as the totals above (never a second word for it);
        # why the document counts comes after its path.
        why = row.sub_indication or ""
        if row.error:
            why = row.error
        elif judgement.problems:
            why = "; ".join(p.vi if lang == "vi" else p.en for p in judgement.problems)
        elif judgement.status.value == "WARNING":
            why = L("with_warnings")
        out.write(f"  {L(doc.report.indication.value)}  {visible(row.path)}  "
                  f"{visible(why)}\n")
    if ledger:
        out.write(f"  {L('ledger')}: {visible(ledger)}\n")
    for report in reports:
        out.write(f"  → {visible(report)}\n")


@click.command("batch")
@click.argument("paths", nargs=-1, type=str)
@click.option("--from-list", "from_list", type=click.File("r", encoding="utf-8"), default=None,
              metavar="FILE",
              help="Read inputs (files, folders, globs), one per line, from FILE or - (stdin).")
@click.option("--ledger", type=click.Path(dir_okay=False), default=None,
              help="SQLite ledger: results are kept there and a rerun skips unchanged "
                   "files [default: a temporary one].")
@click.option("--report", "reports", multiple=True, type=click.Path(dir_okay=False),
              help="Write a report; format by extension: .jsonl .json .csv .xlsx .xml "
                   "(JUnit) .html (repeatable).")
@click.option("--force", is_flag=True, help="Verify again even files the ledger has.")
@click.option("--dask", "dask_address", default=None, metavar="ADDRESS",
              help="Run on a Dask cluster (scheduler address, e.g. tcp://host:8786).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
@guard_options
@gate_options
@validation_options
@common_options
@click.pass_context
def batch(ctx: click.Context, /, paths: tuple[str, ...], from_list: TextIO | None,
          ledger: str | None, reports: tuple[str, ...], force: bool,
          dask_address: str | None, quiet: bool, **params: Any) -> None:
    """Verify many PDFs in parallel, resumably (files, folders, globs).

    Kiểm tra hàng loạt văn bản: song song, tiếp tục được khi bị ngắt, kèm báo cáo.

    Exit code: 0 all PASSED, 1 any FAILED (or a requirement missed), 3 otherwise
    (INDETERMINATE, no signature), 2 usage error — adjusted by --fail-on.
    """
    params["dask_address"] = dask_address
    quiet_libraries(params["verbose"])
    settings = load_settings(params["config_path"])
    from vnsign.batch.inputs import expand, read_list
    from vnsign.render.batch_report import format_for
    from vnsign.render.safe_text import visible

    lang = language(ctx, settings, params["lang"])
    reports = tuple(pick(ctx, settings, "reports", reports, ()))
    for report in reports:
        _check_format(format_for(report), report)
    if not paths and from_list is None:
        raise click.UsageError("give PATH... or --from-list FILE")
    entries = list(paths)
    if from_list is not None:
        entries += read_list(from_list)
    inputs = expand(entries)
    for missing in inputs.warnings:
        click.echo(f"vnsign: no PDF matches {visible(missing)}", err=True)
    ci = _ci_policy(ctx, settings, params)
    if not inputs.files:
        click.echo("vnsign: no PDF files to verify / không có tệp PDF nào", err=True)
        sys.exit(3)
    trust = build_trust(ctx, settings, params)
    from vnsign.render.trust_header import trust_summary

    trusted = trust_summary(show_trust(ctx, settings, params, trust, lang), lang)
    policy = build_policy(ctx, settings, params)
    executor = _executor(ctx, settings, params, policy)
    ledger_path = pick(ctx, settings, "ledger", ledger)
    code = _run(inputs.files, ledger_path, trust=trust, trusted=trusted, policy=policy,
                password=params["password"],
                executor=executor, force=force, ci=ci, lang=lang, reports=reports,
                quiet=quiet, executor_name="dask" if isinstance(
                    getattr(executor, "address", None), str) else "local")
    sys.exit(code)


def _run(files: list[str], ledger_path: str | None, *, trust: TrustStore, trusted: str,
         policy: Policy, password: str | None, executor: Any, force: bool, ci: CiPolicy,
         lang: str, reports: Sequence[str], quiet: bool, executor_name: str) -> int:
    """The batch itself; ``trusted`` (the trust roots on one line) goes into the header
    of every report written."""
    import contextlib
    import shutil
    import tempfile

    from vnsign.batch.ledger import Ledger
    from vnsign.batch.runner import normalise, run_batch
    from vnsign.errors import LedgerError, WorkerStartError
    from vnsign.gate import exit_code
    from vnsign.render import batch_report
    from vnsign.render.batch_rows import documents

    scratch = None
    if ledger_path is None:
        scratch = tempfile.mkdtemp(prefix="vnsign-batch-")
        path = os.path.join(scratch, "ledger.sqlite")
    else:
        path = ledger_path
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    try:
        try:
            book = Ledger(path)
        except LedgerError as exc:
            raise click.UsageError(str(exc)) from exc
        with book, contextlib.ExitStack() as stack:
            stack.callback(executor.close)
            progress = (stack.enter_context(_Progress(lang)) if _show_progress(quiet)
                        else None)
            try:
                state = run_batch(files, ledger=book, trust=trust, policy=policy,
                                  password=password, executor=executor, force=force,
                                  executor_name=executor_name,
                                  on_progress=progress.update if progress else None)
            except KeyboardInterrupt:
                click.echo("vnsign: interrupted — finished rows are in the ledger; run again "
                           "to finish / đã dừng: kết quả đã có được giữ, chạy lại để tiếp tục",
                           err=True)
                return EXIT_INTERRUPTED
            except WorkerStartError as exc:
                raise click.ClickException(str(exc)) from exc
            stack.close()
            docs = documents(book.rows(normalise(files)), ci)
            from vnsign.render.labels import label

            meta = batch_report.describe(docs, ci, lang,
                                         extra={label("trust_roots", lang): trusted})
            for report in reports:
                fmt = batch_report.format_for(report)
                assert fmt is not None
                batch_report.write(fmt, docs, report, lang=lang, ci=ci, meta=meta)
            if not quiet:
                _summary(docs, state, lang, sys.stdout, ledger_path, reports)
            return exit_code(doc.judgement for doc in docs)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


# --- report ---------------------------------------------------------------------------

@click.command("report")
@click.option("--ledger", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The ledger written by 'vnsign batch --ledger'.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "csv", "xlsx", "junit",
                                                    "html", "register"]), default=None,
              help="Report format [default: from the output file's extension]; register: "
                   "the register of incoming documents alone (XLSX).")
@click.option("--output", "-o", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="Output file, - for standard output [default: -].")
@click.option("--register-start", type=click.IntRange(min=1), default=1, show_default=True,
              metavar="N",
              help="First arrival number (Số đến) of the register, to continue the "
                   "office's numbering.")
@gate_options
@common_options
@click.pass_context
def report(ctx: click.Context, /, ledger: str, fmt: str | None, output: str,
           register_start: int, **params: Any) -> None:
    """Render a report from a ledger, without verifying anything again.

    Lập báo cáo từ sổ kết quả (không kiểm tra lại); --format register: sổ đăng ký văn
    bản đến (XLSX).
    """
    quiet_libraries(params["verbose"])
    settings = load_settings(params["config_path"])
    from vnsign.batch.ledger import Ledger
    from vnsign.errors import LedgerError
    from vnsign.render import batch_report
    from vnsign.render.batch_rows import documents

    chosen = fmt or (batch_report.format_for(output) if output != "-" else None)
    if chosen is None:
        raise click.UsageError("give --format, or an --output file with a known extension")
    _check_format(chosen, output)
    if chosen in ("xlsx", "register") and output == "-" and sys.stdout.isatty():
        raise click.UsageError("XLSX is binary: give --output FILE")
    ci = _ci_policy(ctx, settings, params)
    lang = language(ctx, settings, params["lang"])
    try:
        with Ledger(ledger) as book:
            rows = book.rows()
    except LedgerError as exc:
        raise click.UsageError(str(exc)) from exc
    batch_report.write(chosen, documents(rows, ci), output, lang=lang, ci=ci,
                       register_start=register_start)


# --- watch ----------------------------------------------------------------------------

@click.command("watch")
@click.argument("inbox", type=click.Path(exists=True, file_okay=False))
@click.option("--accepted", required=True, type=click.Path(file_okay=False),
              help="Folder for documents that pass (created if missing).")
@click.option("--quarantine", required=True, type=click.Path(file_okay=False),
              help="Folder for every other document (created if missing).")
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the JSON reports [default: beside each filed PDF].")
@click.option("--state", "state_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for watch's journals, outside the inbox "
                   "[default: QUARANTINE/.vnsign-watch].")
@click.option("--interval", type=click.FloatRange(min=0.01), default=2.0, show_default=True,
              help="Seconds between polls of the inbox.")
@click.option("--once", is_flag=True,
              help="File the PDFs present now (once their writers finished), then exit.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing per document.")
@guard_options
@gate_options
@validation_options
@common_options
@click.pass_context
def watch(ctx: click.Context, /, inbox: str, accepted: str, quarantine: str,
          reports_dir: str | None, state_dir: str | None, interval: float, once: bool,
          quiet: bool, **params: Any) -> None:
    """Watch INBOX: verify each arriving PDF, then move it to --accepted or --quarantine.

    Theo dõi thư mục đến: kiểm tra từng văn bản rồi chuyển sang thư mục chấp nhận hoặc
    cách ly, kèm báo cáo JSON. Dừng bằng Ctrl-C hoặc SIGTERM.
    """
    quiet_libraries(params["verbose"])
    settings = load_settings(params["config_path"])
    import signal

    from vnsign.batch.watch import Watcher, WatchEvent
    from vnsign.render.labels import label
    from vnsign.render.safe_text import visible

    lang = language(ctx, settings, params["lang"])
    ci = _ci_policy(ctx, settings, params)
    trust = build_trust(ctx, settings, params)
    show_trust(ctx, settings, params, trust, lang)
    policy = build_policy(ctx, settings, params)
    password = params["password"]
    executor = _executor(ctx, settings, params, policy)
    stop = {"now": False}

    def on_signal(signum: int, frame: Any) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)

    def on_event(event: WatchEvent) -> None:
        if quiet:
            return
        if event.kind == "delivered" and event.delivery is not None:
            d = event.delivery
            mark = "✓" if d.accepted else "✗"
            where = label("accepted" if d.accepted else "quarantined", lang)
            verdict = d.result.indication + (f"/{d.result.sub_indication}"
                                             if d.result.sub_indication else "")
            click.echo(f"{mark} {where}: {visible(os.path.basename(d.source))} ({verdict}) → "
                       f"{visible(d.target)}")
        elif event.kind == "error":
            click.echo(f"! {visible(event.path)}: {visible(event.detail or '')}", err=True)
        elif event.kind == "changed":
            click.echo(f"~ {visible(event.path)}: {visible(event.detail or '')}", err=True)
        elif event.kind == "recovered":
            click.echo(f"↺ {visible(event.path)}", err=True)

    from vnsign.errors import UsageError

    try:
        watcher = Watcher(inbox, accepted, quarantine, reports_dir, trust=trust,
                          policy=policy, password=password, executor=executor, ci=ci,
                          on_event=on_event, state=state_dir)
        watcher.run(once=once, interval=interval, should_stop=lambda: stop["now"])
    except UsageError as exc:
        raise click.UsageError(str(exc)) from exc
    except KeyboardInterrupt:
        pass
    finally:
        executor.close()


def register(group: click.Group) -> None:
    """Add batch, report and watch to the ``vnsign`` command group."""
    group.add_command(batch)
    group.add_command(report)
    group.add_command(watch)
