"""Read a sensitivity CSV (runs.csv, indices.csv) by its fields' codes: the files carry
bilingual headers ("求解状态 status"), the tests name the fields they look at by code."""

from pathlib import Path

import pandas as pd

from sensitivity.names import field_name

#: UTF-8's byte-order mark, which every list a planner opens in Excel starts with.
BOM = b"\xef\xbb\xbf"


def read_coded(path: Path, codes: list[str]) -> pd.DataFrame:
    """The CSV at ``path`` (UTF-8 with BOM) with the bilingual headers of ``codes`` renamed
    to the codes; a code whose header is missing raises KeyError."""
    frame = pd.read_csv(path, encoding="utf-8-sig")
    headers = {" ".join(field_name(code)): code for code in codes}
    missing = [h for h in headers if h not in frame.columns]
    if missing:
        raise KeyError(f"{path.name} has no column {missing}; it has {list(frame.columns)}")
    return frame.rename(columns=headers)
