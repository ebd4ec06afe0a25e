"""How pages write numbers: the profile, top values and the no-JavaScript table agree with the grid."""

from apps.datasets.templatetags.datasets import cell, number, statistic


def test_data_values_keep_their_decimals_and_group_thousands():
    assert number(1461) == "1,461"
    assert number(26.0) == "26"
    assert number(-5.9) == "-5.9"
    assert number(1234567.25) == "1,234,567.25"
    assert number("9007199254740993") == "9007199254740993"  # a big integer sent as text, as the grid shows it
    assert number(None) == "—"
    assert number("2012-01-01") == "2012-01-01"


def test_computed_figures_have_four_significant_digits_never_scientific():
    assert statistic(17.6623) == "17.66"
    assert statistic(3.20191) == "3.202"
    assert statistic(522250.3) == "522,250"
    assert statistic(0.000345678) == "0.000346"
    assert statistic(2.5) == "2.5"
    assert statistic(None) == "—"


def test_preview_cells_format_numbers_only():
    assert cell(None, "float") == ""
    assert cell(139602, "integer") == "139,602"
    assert cell("06000", "text") == "06000"
