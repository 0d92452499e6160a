"""Import a bureau's land-survey patches (第三次全国国土调查 三调图斑) as parcels of our schema.

    from region.survey import ImportOptions, import_survey, write_import
    result = import_survey("turpan_sandiao.shp", ImportOptions(fields={"dlbm": "地类编码"}))
    write_import(result, Path("parcels.gpkg"), Path("turpan_sandiao.shp"))

``solve.py parcels import`` is the command; ``--parcels`` takes a survey layer directly too.
"""

from pathlib import Path

from region.survey.dlbm import DLBM_TABLE, load_code_table
from region.survey.fields import looks_like_survey, parse_field_options
from region.survey.importer import ImportOptions, RegionFiles, SurveyImport, import_survey
from region.survey.output import is_survey_import, write_import
from region.survey.read import layer_fields


def is_survey_layer(path: str | Path, layer: str | None = None) -> bool:
    """True for a land-survey patch layer (a land-use code field, none of our land covers)."""
    return Path(path).is_file() and looks_like_survey(layer_fields(path, layer))

__all__ = ["DLBM_TABLE", "ImportOptions", "RegionFiles", "SurveyImport", "import_survey",
           "is_survey_import", "is_survey_layer", "load_code_table", "looks_like_survey",
           "parse_field_options", "write_import"]
