"""``gaussfit dists``: every family, its parameters, support and references."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from gaussfit.distributions import FAMILIES
from gaussfit.report.schema import DISTS_SCHEMA


def test_the_table_lists_every_family(gaussfit):
    result = gaussfit("dists", env={"COLUMNS": "160"})
    assert result.exit_code == 0
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    for name in FAMILIES:
        assert name in rows
    assert "gaussian" in rows["normal"]
    assert "sigma > 0" in rows["normal"]
    assert rows["normal"].split()[-2:] == ["yes", "continuous"]
    assert rows["poisson"].split()[-1] == "discrete"


def test_json_describes_each_family(gaussfit_json):
    document = gaussfit_json("dists")
    Draft202012Validator(DISTS_SCHEMA).validate(document)
    records = {record["name"]: record for record in document["families"]}
    assert list(records) == list(FAMILIES)
    normal = records["normal"]
    assert normal["closed_form"] is True
    assert [(p["name"], p["domain"]) for p in normal["parameters"]] == [
        ("mu", "real"),
        ("sigma", "> 0"),
    ]
    assert records["negative_binomial"]["discrete"] is True
    assert records["normal_mixture"]["options"] == {"k": 2}
    assert records["gev"]["scipy"] == {
        "name": "genextreme",
        "shapes": {"c": "-xi"},
        "loc": "loc",
        "scale": "scale",
    }
    assert records["poisson"]["scipy"]["scale"] is None
    assert records["kumaraswamy"]["scipy"] is None
