"""Result folders: where a command may write, and how, so that nothing of a planner's is lost.

Every command that writes (run, sweep, compare, criteria, sensitivity, marxan, and any added
later) writes through :func:`write_atomically`, which enforces:

* **Only our own folders are replaced.** The output path may be new, an empty folder, or a
  previous result of this tool: a folder holding the hidden stamp :data:`STAMP` (written
  into every result, it lists what the command wrote) or, for results written before the
  stamp existed, one of our manifests (:data:`LEGACY_MANIFESTS`). Anything else — a file,
  a folder of documents, a result folder to which someone added files of their own — is
  refused with :class:`OutputRefusedError` before anything is touched. So is a result one
  of whose files was edited since it was written (the stamp holds each file's SHA-256,
  GeoPackages aside): ``options.csv`` with a planner's own benefits is not re-computed over.
* **A result is replaced only by the command that wrote it.** The stamp names the command
  (the CLI declares it with :func:`writing_as`); running it again over its own result is
  the normal re-run, but another command's ``--out`` pointing there is refused: a compare
  or a Marxan answer does not replace a plan that took a 15-minute solve. Every command is
  its own kind, ``run`` and ``replan`` too: a re-plan folder holds the facts so far
  (progress.csv, actuals.csv) the next re-plan starts from, which a ``run`` there would
  lose, and a ``replan`` written over a run folder would replace the plan a cycle started
  from (over its own previous result it is refused anyway: that is an input). A sweep's or
  front's points are written by ``sweep`` and ``pareto`` with their folder and carry those
  names. For a result whose stamp does not name the command (written before it did, or
  before the stamp) the command is told from what it holds (:func:`written_by`: a
  manifest's ``replan``, ``sweep`` or ``pareto`` record, else :data:`WRITERS`); one that
  tells nothing is replaced as before. Without a declared command (the library called from
  Python) no command is checked.
* **Inputs are never in the way.** Paths registered with :func:`protecting` (the CLI
  registers every input of the command) may not be the output path, its folder, or lie
  inside it.
* **Atomic.** Files are written into a hidden sibling ``.<name>.tmp-<pid>-<random>``, which
  is renamed into place only when complete. Results of other commands nested in the folder
  being replaced (``results/baseline/sensitivity/`` inside ``results/baseline/``) and their
  resume state (``.<name>.work-*``) are carried into the new folder, not deleted.
* **Killed runs leave nothing behind for long.** Temporary folders whose process is gone are
  removed by the next write beside them; a swap cut short is completed.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

#: The stamp every result folder carries: which tool wrote it and the entries it wrote.
STAMP = ".turpan-restore.json"

#: How result CSVs write floats: 12 significant digits. No figure of ours carries more (the
#: inputs have 2-6, a sum of thousands of them stays exact to ~1e-13), so a file read back
#: (plan.csv by replan and compare) is the same plan; what is left out is binary float
#: noise in the 16th-17th digit (0.1 + 0.2 written as 0.30000000000000004).
CSV_FLOATS = "%.12g"

#: Results written before the stamp: a folder holding one of these JSON files with these
#: keys is one of ours (run and sweep points: manifest.json; sensitivity: analysis.json;
#: marxan: summary.json).
LEGACY_MANIFESTS = {"manifest.json": {"status", "solver", "versions"},
                    "analysis.json": {"method", "factors", "settings"},
                    "summary.json": {"objective_kind", "marxan_score"}}
#: ... or all of these files (sweep, compare, criteria results before the stamp).
LEGACY_FILES = ({"sweep.csv", "curve.png"}, {"compare.csv", "compare_years.csv", "changes.csv"},
                {"options.csv", "corridors.gpkg"})

#: Who wrote a result whose stamp does not name the command, from the names it holds (the
#: stamp's entries, or the folder's files before the stamp): the first command all of whose
#: files are there. A point of a sweep or a front, and a re-plan, say so in manifest.json
#: (:data:`MANIFEST_WRITERS`) before these are looked at.
WRITERS = (("replan", {"plan.csv", "progress.csv", "changes.csv"}), ("sweep", {"sweep.csv"}),
           ("pareto", {"front.csv", "front.json"}), ("compare", {"compare.csv"}),
           ("criteria", {"options.csv", "corridors.gpkg"}), ("sensitivity", {"analysis.json"}),
           ("marxan", {"summary.json"}), ("run", {"plan.csv", "manifest.json"}))
#: The commands whose default result folder lies inside a plan's (``results/<scenario>/
#: sweep-budget``, ``…/sensitivity``): a folder holding only their results is a plan's folder
#: not yet written, not a result of theirs.
NESTED_WRITERS = frozenset({"criteria", "sweep", "pareto", "sensitivity"})
#: The records of manifest.json that name the command which wrote the plan.
MANIFEST_WRITERS = ("replan", "sweep", "pareto")

#: The most bytes of a new result folder's name: file systems allow 255, and the temporary
#: siblings add ``.`` and ``.tmp-<pid>-<8 characters>`` or ``.work-<12 hex>``. A result of
#: ours written before this limit under a longer name may still be re-run in place: its
#: siblings are named after the name cut to this length (:func:`sibling_stem`).
NAME_BYTES = 220
#: The most bytes of a default name made of other names (compare's): 40 Chinese characters.
DEFAULT_NAME_BYTES = 120

_TMP = re.compile(r"^\..+\.(tmp|old)-(?:(\d+)-)?[a-z0-9_]{8}$")
_WORK = re.compile(r"^\..+\.work-[0-9a-f]+$")

_protected: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar(
    "protected_inputs", default=())
_command: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "writing_command", default=None)


class OutputRefusedError(ValueError):
    """The output path holds something that is not a result of this tool, or an input."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@contextlib.contextmanager
def protecting(paths: Iterable[str | Path | None]) -> Iterator[None]:
    """Within the block, no result may be written over, around or as any of ``paths``."""
    resolved = tuple(Path(p).resolve() for p in paths if p is not None and str(p) != "")
    token = _protected.set(_protected.get() + resolved)
    try:
        yield
    finally:
        _protected.reset(token)


@contextlib.contextmanager
def writing_as(command: str) -> Iterator[None]:
    """Within the block, results are stamped as written by ``command`` and a result of
    another command is not replaced."""
    token = _command.set(command)
    try:
        yield
    finally:
        _command.reset(token)


def check_writable(out_dir: str | Path) -> None:
    """Raise :class:`OutputRefusedError` unless a result may be written at ``out_dir``."""
    out_dir = Path(out_dir).absolute()
    _check_inputs(out_dir)
    # Only a new name is limited: a result of ours already under a longer one (written by
    # an older version) is re-run in place.
    if len(out_dir.name.encode()) > NAME_BYTES and not (
            out_dir.is_dir() and not out_dir.is_symlink() and is_result(out_dir)):
        raise OutputRefusedError(out_dir, f"the folder's name is longer than {NAME_BYTES} "
                                          "bytes (a Chinese character takes 3): choose a "
                                          "shorter --out")
    if out_dir.is_symlink():
        raise OutputRefusedError(out_dir, "is a symbolic link; give the folder itself")
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputRefusedError(out_dir, "is a file, not a result folder; nothing was written. "
                                     "Choose another --out")
    if not any(out_dir.iterdir()) or _holds_nested_results_only(out_dir):
        return
    if not is_result(out_dir) and _holds_results_only(out_dir):
        names = ", ".join(sorted(entry.name for entry in out_dir.iterdir())[:5])
        raise OutputRefusedError(out_dir, f"holds other results of turpan-restore ({names}), "
                                          "not one to replace: choose another --out, e.g. "
                                          "a folder beside them")
    if not is_result(out_dir):
        raise OutputRefusedError(out_dir, "is a folder that holds no result of turpan-restore "
                                     "(no manifest); it is left as it is. Choose a new or "
                                     "empty folder for --out")
    _check_same_command(out_dir)
    foreign = _foreign_entries(out_dir)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more"
                                          if len(foreign) > 5 else "")
        raise OutputRefusedError(out_dir, f"holds files this tool did not write ({shown}); "
                                     "replacing the result would delete them. Move them "
                                     "elsewhere or choose another --out")
    edited = edited_entries(out_dir)
    if edited:
        raise OutputRefusedError(out_dir, f"{', '.join(edited)} changed since this tool wrote "
                                          "them (edited by hand?); replacing the result would "
                                          "lose the edits. Copy or rename them, or choose "
                                          "another --out")


def _holds_nested_results_only(folder: Path) -> bool:
    """Whether ``folder`` holds nothing but results of the commands that write inside a
    plan's folder by default (:data:`NESTED_WRITERS`): ``results/baseline`` after a sweep
    or a sensitivity analysis and before any run (an interrupted analysis's resume state and
    a dead write's temporary folder aside; a live write's is not ours to replace). A run may
    go there; the results are carried into it. A folder of runs (``results``) is not such a
    folder."""
    entries = [entry for entry in folder.iterdir()
               if not (_WORK.match(entry.name) or _stale(entry))]
    return all(entry.is_dir() and not entry.is_symlink() and is_result(entry)
               and written_by(entry) in NESTED_WRITERS for entry in entries)


def _holds_results_only(folder: Path) -> bool:
    """Whether every entry of ``folder`` (one at least) is a result folder of this tool:
    ``results/`` itself, or a folder holding a compare."""
    entries = list(folder.iterdir())
    return bool(entries) and all(entry.is_dir() and not entry.is_symlink() and is_result(entry)
                                 for entry in entries)


def _stale(entry: Path) -> bool:
    """A temporary folder of a write whose process is gone (clean_stale removes those); not
    a parked result of a swap cut short (``.old-``: it is put back, not removed)."""
    match = _TMP.match(entry.name)
    return bool(match) and match.group(1) == "tmp" and (
        match.group(2) is None or not _alive(int(match.group(2))))


def _check_same_command(out_dir: Path) -> None:
    """Refuse to replace another command's result (see the module docstring)."""
    command, held = _command.get(), written_by(out_dir)
    if command is None or held is None or held == command:
        return
    raise OutputRefusedError(out_dir, f"holds a result of '{held}' (written "
                                      f"{_written_when(out_dir)}); '{command}' would replace "
                                      "it: choose another --out, or remove the folder "
                                      "yourself")


def fitting_name(name: str, limit: int = DEFAULT_NAME_BYTES) -> str:
    """``name`` as it is when it has at most ``limit`` bytes, else cut (at a character) and
    ended with a short hash of the whole, so that two long names stay apart."""
    whole = name.encode()
    if len(whole) <= limit:
        return name
    cut = whole[:limit - 9].decode(errors="ignore")
    return f"{cut}-{hashlib.sha1(whole).hexdigest()[:8]}"


def sibling_stem(name: str) -> str:
    """What the hidden siblings of the result ``name`` (``.<stem>.tmp-…``, ``.<stem>.old-…``,
    ``.<stem>.work-…``) are named after: ``name``, or for a name longer than
    :data:`NAME_BYTES` (an older version's result) the name cut with a hash, so that the
    sibling's name stays within the file system's 255 bytes."""
    return fitting_name(name, NAME_BYTES)


def check_not_an_input(out: str | Path) -> None:
    """Raise :class:`OutputRefusedError` when ``out`` (a folder or a file to be written) is
    an input of the running command, its folder, or holds an input."""
    _check_inputs(Path(out).absolute())


def _check_inputs(out_dir: Path) -> None:
    target = out_dir.resolve()
    for path in _protected.get():
        folder = path if path.is_dir() else path.parent
        if target == path:
            raise OutputRefusedError(out_dir, "is one of the command's inputs; choose another "
                                         "--out")
        if target == folder or folder.is_relative_to(target):
            raise OutputRefusedError(out_dir, f"holds the input {path.name} (in {folder}); "
                                         "writing there would replace it. Choose a folder "
                                         "outside the inputs' folders for --out")


def is_result(folder: Path) -> bool:
    """True for a folder written by this tool (its stamp, or a manifest of ours)."""
    if (folder / STAMP).is_file():
        return True
    for name, keys in LEGACY_MANIFESTS.items():
        manifest = folder / name
        if manifest.is_file():
            try:
                content = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(content, dict) and len(keys & content.keys()) >= 2:
                return True
    names = {p.name for p in folder.iterdir()}
    return any(files <= names for files in LEGACY_FILES)


def _read_json(path: Path) -> dict:
    """A JSON object from ``path`` ({} when it is missing, unreadable or not an object)."""
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return content if isinstance(content, dict) else {}


def _stamped_entries(folder: Path) -> set[str] | None:
    """The entries a stamped result lists (None for a result without a stamp)."""
    entries = _read_json(folder / STAMP).get("entries")
    return set(entries) if isinstance(entries, list) else None


def written_by(folder: Path) -> str | None:
    """The command that wrote the result in ``folder``: the one its stamp names, else the
    one what it holds tells (:data:`MANIFEST_WRITERS`, :data:`WRITERS`); None when neither
    says."""
    command = _read_json(folder / STAMP).get("command")
    if isinstance(command, str):
        return command
    names = _stamped_entries(folder)
    if names is None:
        names = {p.name for p in folder.iterdir()}
    if "manifest.json" in names:
        manifest = _read_json(folder / "manifest.json")
        for writer in MANIFEST_WRITERS:
            if manifest.get(writer):
                return writer
    return next((writer for writer, files in WRITERS if files <= names), None)


def _written_when(folder: Path) -> str:
    """When the result in ``folder`` was written, in UTC: its stamp's time, or the folder's
    last change for a result from before the stamp."""
    try:
        when = datetime.fromisoformat(str(_read_json(folder / STAMP).get("written")))
    except ValueError:
        when = datetime.fromtimestamp(folder.stat().st_mtime, UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _carried(entry: Path) -> bool:
    """An entry of a result folder that outlives a new result there: another command's
    nested result, or an interrupted analysis's resume state."""
    return (entry.is_dir() and not entry.is_symlink()
            and (is_result(entry) or bool(_WORK.match(entry.name))))


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of a result folder that no command of ours wrote."""
    listed = _stamped_entries(folder)
    if listed is None:  # a result from before the stamp: its entries are not known
        return []
    return sorted(entry.name for entry in folder.iterdir()
                  if entry.name != STAMP and entry.name not in listed
                  and not _carried(entry) and not _TMP.match(entry.name))


def write_atomically(out_dir: str | Path, write_files: Callable[[Path], object]) -> Path:
    """Run ``write_files(tmp)`` in a hidden temporary sibling folder, stamp it, and swap it
    into place (see the module docstring). Raises :class:`OutputRefusedError` before writing
    anything when ``out_dir`` may not be replaced; on any failure or interruption the
    temporary folder is removed and an existing result is left as it was."""
    out_dir = Path(out_dir).absolute()
    check_writable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out_dir.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{sibling_stem(out_dir.name)}.tmp-{os.getpid()}-",
                                dir=out_dir.parent))
    try:
        write_files(tmp)
        _stamp(tmp)
        _apply_umask(tmp)
        check_writable(out_dir)  # it may have changed during a long solve
        if out_dir.exists():
            _swap(tmp, out_dir)
        else:
            os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _swap(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``tmp``, carrying nested results over; the old folder is
    parked in ``.<name>.old-<pid>-…`` until the new one is in place."""
    old = Path(tempfile.mkdtemp(prefix=f".{sibling_stem(out_dir.name)}.old-{os.getpid()}-",
                                dir=out_dir.parent))
    os.replace(out_dir, old / out_dir.name)
    os.replace(tmp, out_dir)
    _carry_over(old / out_dir.name, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def _carry_over(previous: Path, current: Path) -> None:
    for entry in previous.iterdir():
        if _carried(entry) and not (current / entry.name).exists():
            os.replace(entry, current / entry.name)


def _file_hashes(folder: Path, names: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each of ``names`` that is a regular file of ``folder`` and not a
    GeoPackage (QGIS may rewrite one it only opens: its hash tells nothing of edits)."""
    hashes = {}
    for name in names:
        path = folder / name
        if path.is_file() and not path.is_symlink() and path.suffix.lower() != ".gpkg":
            hashes[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def edited_entries(folder: Path) -> list[str]:
    """Files of a stamped result that changed since they were written (edited by hand: an
    option table's benefits, a list's notes), by the hashes its stamp holds; none for a
    result stamped before the stamp held hashes."""
    written = _read_json(folder / STAMP).get("sha256")
    if not isinstance(written, dict):
        return []
    now = _file_hashes(folder, written)
    return sorted(name for name, digest in written.items()
                  if name in now and now[name] != digest)


def _stamp(folder: Path) -> None:
    entries = sorted(p.name for p in folder.iterdir() if p.name != STAMP)
    try:
        tool_version = version("turpan-restore")
    except PackageNotFoundError:
        tool_version = None
    stamp = {"tool": "turpan-restore", "version": tool_version, "command": _command.get(),
             "written": datetime.now(UTC).isoformat(timespec="seconds"), "entries": entries,
             "sha256": _file_hashes(folder, entries)}
    (folder / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")


def _umask() -> int:
    """The process's umask (it is read by setting it, and set back at once)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def usual_file_mode() -> int:
    """The mode a new file of the user's gets (0666 less the umask): what a file written
    through mkstemp, which is private (0600), is given before it is renamed into place."""
    return 0o666 & ~_umask()


def _apply_umask(folder: Path) -> None:
    """Folders from mkdtemp are private (0700); a result gets the user's usual permissions."""
    mask = _umask()
    for path in (folder, *(p for p in folder.rglob("*") if p.is_dir())):
        path.chmod(0o777 & ~mask)


def clean_stale(parent: Path) -> list[Path]:
    """Remove temporary folders that killed runs left in ``parent`` (their process is gone,
    or they predate the process id in the name); complete a swap cut short by putting the
    parked result back. Returns what was removed."""
    removed = []
    if not parent.is_dir():
        return removed
    for entry in parent.iterdir():
        match = _TMP.match(entry.name)
        if not match or not entry.is_dir() or entry.is_symlink():
            continue
        kind, pid = match.group(1), match.group(2)
        if pid is not None and _alive(int(pid)):
            continue
        if kind == "old" and not _restore_parked(entry, parent):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _restore_parked(old: Path, parent: Path) -> bool:
    """Put a result parked by an interrupted swap back (or carry its nested results into
    the new one); False when something could not be placed and the folder must stay."""
    for parked in old.iterdir():
        target = parent / parked.name
        if not target.exists():
            os.replace(parked, target)
        elif target.is_dir():
            _carry_over(parked, target)
    return all(not _carried(p) for parked in old.iterdir() if parked.is_dir()
               for p in parked.iterdir())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def check_file_writable(path: str | Path, replaceable: Callable[[Path], bool]) -> None:
    """Raise :class:`OutputRefusedError` unless one output file may be written at ``path``
    (new, or an existing file ``replaceable`` recognises as ours; never an input)."""
    path = Path(path).absolute()
    _check_inputs(path)
    if path.is_dir() or path.is_symlink():
        raise OutputRefusedError(path, "is a folder or a link, expected a file name")
    if path.exists() and not replaceable(path):
        raise OutputRefusedError(path, "exists and was not written by turpan-restore; "
                                       "it is left as it is. Choose another file name")


def write_file_atomically(path: str | Path, write: Callable[[Path], object],
                          replaceable: Callable[[Path], bool]) -> Path:
    """Write one file (``write(tmp_path)``) next to ``path`` and rename it into place. An
    existing file is replaced only when ``replaceable(path)`` says it is one of ours; an
    input, a folder or a file of the user's is refused with :class:`OutputRefusedError`."""
    path = Path(path).absolute()
    check_file_writable(path, replaceable)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.tmp-{os.getpid()}-",
                                    suffix=path.suffix, dir=path.parent)
    os.close(handle)
    tmp = Path(name)
    try:
        write(tmp)
        tmp.chmod(usual_file_mode())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
