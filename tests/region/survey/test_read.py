"""Encodings of a .dbf without .cpg, and the CRS hint for a layer without one."""

from __future__ import annotations

import geopandas as gpd
import shapely

from region.survey.read import dbf_encoding, guess_crs, read_layer


def test_dbf_encoding_is_detected_without_a_cpg(write_layer, patch_layer) -> None:
    frame = patch_layer(["0305"])
    assert dbf_encoding(write_layer(frame, name="gbk.shp", encoding="GBK")) == "GB18030"
    assert dbf_encoding(write_layer(frame, name="utf8.shp", encoding="UTF-8")) == "UTF-8"
    assert dbf_encoding(write_layer(frame, name="cpg.shp", encoding="GBK", cpg=True)) is None
    path = write_layer(frame, name="ldid.shp", encoding="UTF-8")
    dbf = bytearray(path.with_suffix(".dbf").read_bytes())
    dbf[29] = 0x4D  # code page 936 in the header: trusted before the bytes are tried
    path.with_suffix(".dbf").write_bytes(bytes(dbf))
    assert dbf_encoding(path) == "GB18030"


def test_gbk_text_reads_as_chinese(write_layer, patch_layer) -> None:
    layer, problems = read_layer(write_layer(patch_layer(["0305"]), encoding="GBK"))
    assert problems == []
    assert layer.frame["ZLDWMC"].tolist() == ["恰特喀勒乡"]
    assert layer.encoding == "GB18030"


def test_the_crs_hint_reads_the_gauss_kruger_zone_from_the_coordinates() -> None:
    def frame(x: float, y: float, side: float = 100.0) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(geometry=[shapely.box(x, y, x + side, y + side)])

    assert guess_crs(frame(30_450_000, 4_750_000)).startswith("EPSG:4518")
    assert guess_crs(frame(29_600_000, 4_750_000)).startswith("EPSG:4517")
    assert guess_crs(frame(89.2, 42.9, 0.01)).startswith("EPSG:4490")
    assert "4538, 4539 or 4540" in guess_crs(frame(450_000, 4_750_000))


def test_a_wide_text_column_does_not_hide_the_encoding(write_layer, patch_layer) -> None:
    """A text field 150 or 254 characters wide (ArcGIS exports) has the width byte 0x96 or
    0xFE in its descriptor, valid in neither UTF-8 nor GB18030: only the names and the
    records are judged, so GBK and UTF-8 files without a .cpg still read right."""
    import warnings

    frame = patch_layer(["0305", "0301"])
    frame["BZ"] = ["防风固沙林带" * 8, "x" * 150]  # the longest is 150 bytes: the width
    for encoding, detected in (("GBK", "GB18030"), ("UTF-8", "UTF-8")):
        path = write_layer(frame, name=f"wide_{encoding}.shp", encoding=encoding)
        dbf = path.with_suffix(".dbf").read_bytes()
        assert b"BZ\x00" in dbf and dbf[dbf.index(b"BZ\x00") + 16] == 150
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no Latin-1 fallback, no warning
            layer, problems = read_layer(path)
        assert problems == [] and layer.encoding == detected, encoding
        assert layer.frame["ZLDWMC"].tolist() == ["恰特喀勒乡", "亚尔镇"], encoding
        assert layer.frame["BZ"].tolist()[0].startswith("防风固沙林带"), encoding


def test_text_neither_utf8_nor_gbk_reads_as_latin1_with_a_warning(write_layer,
                                                                 patch_layer) -> None:
    import pytest

    frame = patch_layer(["0305"]).drop(columns="ZLDWMC")
    frame["NAME"] = ["café"]  # é (0xE9) then the field's space padding: not GB18030
    path = write_layer(frame, name="latin.shp", encoding="ISO-8859-1")
    with pytest.warns(UserWarning, match="read as Latin-1"):
        assert dbf_encoding(path) == "ISO-8859-1"
