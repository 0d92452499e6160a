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
