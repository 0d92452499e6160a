"""How a command fails: every input problem, refused output, unmet scenario, plan not found,
interruption or bug reported in plain words on stderr with its exit status, never as a
traceback; the command's inputs protected from being written over."""

from __future__ import annotations

import os
import signal
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import click
import typer
from rich.markup import escape

from cli.common import errors
from cli.interrupt import INTERRUPTED
from optimizer.presolve import InfeasibleScenarioError
from optimizer.solve_stage import NoPlanFoundError
from optimizer.solvers import SolverUnavailableError
from region.errors import InputError
from storage import OutputRefusedError, check_not_an_input, protecting, writing_as

#: Exit statuses: bad input (or an output path that may not be written) 2, no plan found
#: within the limits 3, interrupted 130 (the shell's Ctrl-C convention), our own bug 1.
EXIT_BAD_INPUT = 2
EXIT_NO_PLAN = 3
EXIT_INTERRUPTED = 130
EXIT_BUG = 1

#: Parameters that name what a command writes; every other path parameter is an input.
OUTPUT_PARAMETERS = ("out", "export")


def command_inputs(arguments: dict) -> list[Path]:
    """The input paths among a command's arguments (every Path but the outputs)."""
    paths: list[Path] = []
    for name, value in arguments.items():
        if name in OUTPUT_PARAMETERS:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        paths += [v for v in values if isinstance(v, Path)]
    return paths


def command_name(command: Callable) -> str:
    """The name the user typed for ``command`` (its function's name outside the CLI)."""
    context = click.get_current_context(silent=True)
    return context.info_name if context is not None and context.info_name else \
        command.__name__


def reports_input_errors(command: Callable) -> Callable:
    """Run a command so that no input reaches the user as a traceback: every input problem
    at once with its file, row and column (exit 2); an output path that is, or holds, an
    input refused before anything is read, and one that is not ours refused before anything
    is written (exit 2); no plan within the limits (exit 3); Ctrl-C (exit 130); warnings as
    plain notes. The command's path arguments are protected from being written over, and
    its results are stamped with its name so that another command does not replace them
    (storage/result_folder.py)."""
    if getattr(command, "guarded", False):
        return command

    @wraps(command)
    def wrapper(*args, **kwargs):
        with _plain_warnings(), protecting(command_inputs(kwargs)), \
                writing_as(command_name(command)), _sigterm_interrupts():
            try:
                if kwargs.get("out") is not None:  # a folder or a file: whether it may be
                    check_not_an_input(kwargs["out"])  # replaced is the command's to check
                return command(*args, **kwargs)
            except (typer.Exit, SystemExit, click.exceptions.ClickException,
                    click.exceptions.Abort):
                raise
            except BaseException as err:  # noqa: BLE001 - every failure gets a plain message
                raise typer.Exit(code=report_failure(err)) from None

    wrapper.guarded = True
    return wrapper


def report_failure(err: BaseException) -> int:
    """Print what went wrong in plain words on stderr; return the exit status."""
    if isinstance(err, InputError):
        _tell(f"{len(err.problems)} problem(s) in the inputs:", err.problems,
              "Nothing was written.")
        return EXIT_BAD_INPUT
    if isinstance(err, OutputRefusedError):
        _tell("Cannot write the result there:", [err], "Nothing was written or deleted.")
        return EXIT_BAD_INPUT
    if isinstance(err, InfeasibleScenarioError):
        _tell("The scenario cannot be met. Conflicting rules:", err.lines,
              "Relax one of them (budget, water, targets, mandatory works) and run again. "
              "Nothing was written.")
        return EXIT_BAD_INPUT
    if isinstance(err, NoPlanFoundError):
        _tell("No plan found within the limits.", [err], "Nothing was written.")
        return EXIT_NO_PLAN
    if isinstance(err, KeyboardInterrupt):
        errors.print(f"[bold yellow]{INTERRUPTED}[/]")
        return EXIT_INTERRUPTED
    if isinstance(err, ValueError | SolverUnavailableError | OSError):
        errors.print(f"[bold red]Cannot run:[/] {_plain(err)}", highlight=False)
        errors.print("Nothing was written.")
        return EXIT_BAD_INPUT
    errors.print(f"[bold red]Unexpected failure (a bug in turpan-restore, please report "
                 f"it):[/] {type(err).__name__}: {_plain(err)}", highlight=False)
    errors.print("Nothing was written. Set TURPAN_RESTORE_DEBUG=1 to see the traceback.")
    if os.environ.get("TURPAN_RESTORE_DEBUG") == "1":
        errors.print_exception()
    return EXIT_BUG


def _tell(heading: str, items: Iterable[object], closing: str) -> None:
    """A failure on stderr: its heading in bold red, one bullet an item (printed as it is:
    paths and values are never read as markup), and what became of the outputs."""
    errors.print(f"[bold red]{heading}[/]")
    for item in items:
        errors.print(f"  • {item}", markup=False, highlight=False)
    errors.print(closing)


def _plain(err: BaseException) -> str:
    """An exception's message, never empty, escaped for rich's markup."""
    return escape(str(err).strip() or type(err).__name__)


@contextmanager
def _plain_warnings() -> Iterator[None]:
    """Warnings printed as one plain note line each (no source file, no code line)."""
    def show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ARG001
        errors.print(f"note: {message}", markup=False, highlight=False)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the job) ends a command like Ctrl-C: temporary files
    are removed and the command says so. Only in the main thread, where handlers can be set."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum, _frame) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def guard_every_command(app: typer.Typer) -> None:
    """Wrap every command of ``app`` and of its sub-apps in :func:`reports_input_errors`
    (commands registered without it, e.g. added later, are covered too)."""
    for info in app.registered_commands:
        if info.callback is not None:
            info.callback = reports_input_errors(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            guard_every_command(group.typer_instance)

