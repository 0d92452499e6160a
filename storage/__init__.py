"""Where results go: folders a command may replace, written atomically (see result_folder)."""

from storage.result_folder import (
    CSV_FLOATS,
    STAMP,
    OutputRefusedError,
    check_file_writable,
    check_not_an_input,
    check_writable,
    clean_stale,
    edited_entries,
    fitting_name,
    is_result,
    protecting,
    sibling_stem,
    usual_file_mode,
    write_atomically,
    write_file_atomically,
    writing_as,
    written_by,
)

__all__ = ["CSV_FLOATS", "STAMP", "OutputRefusedError", "check_file_writable",
           "check_not_an_input", "check_writable", "clean_stale", "edited_entries",
           "fitting_name", "is_result", "protecting", "sibling_stem", "usual_file_mode",
           "write_atomically", "write_file_atomically", "writing_as", "written_by"]
