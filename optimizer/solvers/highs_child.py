"""The HiGHS solves of a process, run in a child process that the parent can stop.

HiGHS checks its time limit only at certain points; between them it can run on for minutes
(measured: 9-15 s past a 1-s limit in the MIP set-up's clique partition of a 12,178-unit
Marxan model, and over 600 s inside an LNS window of another). Its user interrupt
(``cancelSolve``, the interrupt callbacks) is polled at those same points, so it cannot stop
what the time limit does not. A call that overruns is therefore run where it can be
stopped for certain: this child, which the parent kills (optimizer/solvers/watchdog.py).

Started as a script (``python highs_child.py FD``) so that it imports numpy and highspy
only, not the optimizer package. It serves requests on the socket ``FD`` until the parent
closes it or goes away: each request is a dict of the model's arrays, the options and an
absolute deadline (``time.monotonic()``, one clock for both processes), each reply a dict
of what HiGHS returned.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection

import highspy
import numpy as np

_pool_threads: int | None = None
_matrix: dict = {}  # the last constraint matrix sent: later requests may reuse it


def _quiet_stdout() -> None:
    """HiGHS writes its banner and log to stdout: send them to stderr, so that the parent's
    stdout (``--json`` output) stays clean, and swallow the banner of the first Highs()."""
    os.dup2(2, 1)
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _set_threads(h: highspy.Highs, threads: int) -> None:
    """HiGHS sizes one thread pool per process at its first run; a later run asking for
    another count fails ("Not Set") unless the pool is rebuilt."""
    global _pool_threads
    if _pool_threads is not None and _pool_threads != threads:
        h.resetGlobalScheduler(True)
    _pool_threads = threads
    h.setOptionValue("threads", threads)


def build_lp(model: dict) -> highspy.HighsLp:
    """A HighsLp of the arrays of optimizer.solvers.highs.model_arrays (with the matrix)."""
    lp = highspy.HighsLp()
    n, m = model["n_cols"], model["n_rows"]
    lp.num_col_, lp.num_row_ = n, m
    lp.sense_ = highspy.ObjSense.kMaximize if model["sense"] == "max" else \
        highspy.ObjSense.kMinimize
    lp.offset_ = model["offset"]
    lp.col_cost_ = model["obj"]
    lp.col_lower_, lp.col_upper_ = model["col_lower"], model["col_upper"]  # ±inf: HiGHS's
    lp.row_lower_, lp.row_upper_ = model["row_lower"], model["row_upper"]  # own infinity
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = model["start"]
    lp.a_matrix_.index_ = model["index"]
    lp.a_matrix_.value_ = model["value"]
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
    if model["integrality"] is not None:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else
                           highspy.HighsVarType.kContinuous for i in model["integrality"]]
    return lp


def run(request: dict) -> dict:
    """One solve; the time limit is what is left until the request's deadline."""
    options = request["options"]
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(options["verbose"]))
    h.setOptionValue("mip_rel_gap", float(options["gap"]))
    h.setOptionValue("mip_abs_gap", float(options["abs_gap"]))
    _set_threads(h, int(options["threads"]))
    h.setOptionValue("random_seed", int(options["seed"]))
    if not options["presolve"]:
        h.setOptionValue("presolve", "off")
    if options["lp_method"] == "ipm":
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "off")
    if not options.get("restart", True):
        h.setOptionValue("mip_allow_restart", False)
    if options.get("node_limit") is not None:
        h.setOptionValue("mip_max_nodes", int(options["node_limit"]))
    if options.get("iteration_limit") is not None:
        h.setOptionValue("simplex_iteration_limit", int(options["iteration_limit"]))
        h.setOptionValue("ipm_iteration_limit", int(options["iteration_limit"]))
    global _matrix
    model = request["model"]
    if "start" in model:
        _matrix = {key: model[key] for key in ("start", "index", "value")}
    h.passModel(build_lp(model | _matrix))
    if request["warm_start"] is not None:
        solution = highspy.HighsSolution()
        solution.col_value = request["warm_start"]
        solution.value_valid = True
        h.setSolution(solution)
    h.setOptionValue("time_limit", max(request["deadline"] - time.monotonic(), 1e-3))
    start = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - start
    status = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    solution = h.getSolution() if has_solution else None
    return {"status": status.name, "status_text": h.modelStatusToString(status),
            "x": np.asarray(solution.col_value, float) if solution else None,
            "row_dual": (np.asarray(solution.row_dual, float)
                         if solution and request["model"]["integrality"] is None else None),
            "mip_dual_bound": float(info.mip_dual_bound), "elapsed": elapsed,
            "nodes": int(info.mip_node_count), "iterations": int(info.simplex_iteration_count),
            "version": f"{h.versionMajor()}.{h.versionMinor()}.{h.versionPatch()}"}


def _exit_with_parent(parent: int) -> None:
    """Stop when the parent is gone (killed before it could close the socket)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def serve(fd: int) -> None:
    """Answer requests on ``fd`` until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _quiet_stdout()
    conn = Connection(fd)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = run(request)
        except Exception:  # reported to the parent, which raises it there
            reply = {"error": traceback.format_exc()}
        del request
        conn.send(reply)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
