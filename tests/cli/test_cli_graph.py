"""``gaussfit graph``: the family's log-likelihood graph as text, DOT, JSON, SVG/PNG."""

from __future__ import annotations

import json
import shutil

import pytest

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot program is not installed"
)


def test_text_tree_shows_scopes_and_ops(gaussfit):
    result = gaussfit("graph", "--dist", "gamma")
    assert result.exit_code == 0
    for piece in ("parameters/", "log_likelihood/", "X Placeholder", "Lgamma"):
        assert piece in result.stdout


def test_dot_has_clusters_for_scopes_and_gradients_on_request(gaussfit):
    plain = gaussfit("graph", "--format", "dot").stdout
    with_grads = gaussfit("graph", "--format", "dot", "--gradients").stdout
    assert plain.startswith("digraph") and "subgraph cluster_" in plain
    assert "gradients" not in plain and "gradients/" in with_grads


def test_json_is_the_graph_def(gaussfit, tmp_path):
    target = tmp_path / "g.json"
    result = gaussfit("graph", "-d", "poisson", "-o", target)
    assert result.exit_code == 0
    nodes = {n["name"]: n for n in json.loads(target.read_text())["node"]}
    assert nodes["X"]["op"] == "Placeholder"
    assert nodes["log_likelihood/Sum"]["op"] == "Sum"


@needs_dot
def test_svg_and_png_are_rendered_by_graphviz(gaussfit, tmp_path):
    svg = tmp_path / "g.svg"
    assert gaussfit("graph", "--gradients", "-o", svg).exit_code == 0
    assert "<svg" in svg.read_text()
    png = tmp_path / "g.png"
    assert gaussfit("graph", "-f", "png", "-o", png).exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")


def test_without_graphviz_the_message_names_the_package(gaussfit, monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = gaussfit("graph", "-f", "svg", "-o", tmp_path / "g.svg")
    assert result.exit_code == 2
    assert "graphviz" in result.stderr and "--format dot" in result.stderr
    assert not (tmp_path / "g.svg").exists()


def test_bad_family_and_unknown_suffix(gaussfit, tmp_path):
    assert "did you mean gamma" in gaussfit("graph", "-d", "gama").stderr
    result = gaussfit("graph", "-o", tmp_path / "g.xyz")
    assert result.exit_code == 2 and "give --format" in result.stderr
