"""Solver messages joined as sentences, and the clock's stops said once in plain words."""

from optimizer.messages import sentence, sentences
from optimizer.work import clock_audit, clock_sentence, note_clock_stop


def test_parts_of_a_message_become_sentences() -> None:
    assert sentence("the greedy warm start is the plan; ") == "The greedy warm start is the plan."
    assert sentence("HiGHS: Time limit reached.") == "HiGHS: Time limit reached."
    assert sentence("  ") == ""
    assert sentences("HiGHS: Time limit reached", "",
                     "the heuristic start was better and is kept") == (
        "HiGHS: Time limit reached. The heuristic start was better and is kept.")


def test_the_clock_sentence_names_the_first_stop_as_a_noun_phrase() -> None:
    """The stranger read "… ended HiGHS stopped by its time limit …": each stop is now a
    noun phrase that reads after "ended", and further stops are counted, not listed."""
    from optimizer.solvers.common import SolverOptions
    from optimizer.solvers.highs import _interpret

    with clock_audit() as stops:
        note_clock_stop("the support polish (after 2 sub-MIPs, still improving)")
        reply = {"status": "kTimeLimit", "elapsed": 0.1, "version": "1", "status_text":
                 "Time limit reached", "x": None, "nodes": 0, "iterations": 0}
        _interpret(None, SolverOptions(), reply, lp_relaxation=False)
    assert stops[1] == ("a HiGHS solve (stopped by its time limit after 0.1 s: 0 nodes, 0 "
                        "simplex iterations)")
    said = clock_sentence(stops)
    assert said.startswith("The time limit, not the work budget, ended the support polish "
                           "(after 2 sub-MIPs, still improving) and 1 later step, so a re-run "
                           "may give another plan;")
    assert said.endswith("makes it reproducible.")
    assert clock_sentence([]) == ""


def test_no_plan_says_which_solve_had_no_time() -> None:
    """The stranger read "(no time was left for this solve)" with 5 s given: the message
    now says the starts found no plan and which solve had no time, or how long it ran."""
    from optimizer.compiled import SolveResult
    from optimizer.solve_stage import no_plan_found

    not_started = SolveResult("time_limit_no_solution", None, None, None, None, 0.0, "highs",
                              "1", message="no time was left for this solve")
    assert no_plan_found(not_started) == (
        "the greedy plan and the warm starts found none and used the time limit, so no time "
        "was left for the MIP solve, which could find a plan or prove that none exists")
    ran = SolveResult("time_limit_no_solution", None, None, None, None, 3.2, "highs", "1",
                      message="HiGHS: Time limit reached")
    assert no_plan_found(ran) == ("the greedy plan and the warm starts found none, nor did "
                                  "the MIP solve in the 3.2 s it ran (HiGHS: Time limit "
                                  "reached)")


def test_a_mip_that_ran_under_a_tenth_of_a_second_is_not_said_to_have_run_0_s() -> None:
    """CBC given almost no time read "nor did the MIP solve in its 0.0 s"."""
    from optimizer.compiled import SolveResult
    from optimizer.solve_stage import no_plan_found

    brief = SolveResult("time_limit_no_solution", None, None, None, None, 0.03, "cbc", "1",
                        message="cbc: Not Solved")
    assert no_plan_found(brief).endswith("nor did the MIP solve in the less than 0.1 s it ran "
                                         "(cbc: Not Solved)")
