"""DOT labels read back as the node's name and op on two lines, not with a literal ``\\n``."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

# A DOT quoted string: anything but a quote or backslash, or a backslash and any character.
QUOTED = r'"((?:[^"\\]|\\.)*)"'
NODE = re.compile(rf"^\s*{QUOTED} \[label={QUOTED}", re.M)


def dot_unescape(text: str) -> str:
    """What Graphviz shows for a label: ``\\n`` (and ``\\l``, ``\\r``) break lines, ``\\"`` is a
    quote, ``\\\\`` a backslash."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nlr" else m.group(1), text)


def test_every_label_is_the_short_name_and_the_op_on_two_lines(gaussfit):
    dot = gaussfit("graph", "-d", "gamma", "--gradients", "-f", "dot").stdout
    nodes = NODE.findall(dot)
    assert len(nodes) > 20
    for name, label in nodes:
        lines = dot_unescape(label).split("\n")
        assert len(lines) == 2, label
        assert lines[0] == dot_unescape(name).rsplit("/", 1)[-1]
        assert "\\" not in lines[1]
    assert ("X", "X\\nPlaceholder") in nodes


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_graphviz_draws_the_label_as_two_lines(gaussfit):
    dot = gaussfit("graph", "-f", "dot").stdout
    svg = subprocess.run(
        ["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "Placeholder" in texts and "X" in texts
    assert not any("\\n" in t for t in texts)


def test_graph_output_takes_the_format_from_the_suffix(gaussfit, tmp_path):
    for suffix, check in (
        ("txt", lambda t: t.startswith("log p(X) of normal") and "X Placeholder" in t),
        ("dot", lambda t: t.startswith("digraph G {")),
        ("gv", lambda t: t.startswith("digraph G {")),
        ("json", lambda t: t.lstrip().startswith("{")),
    ):
        target = tmp_path / f"g.{suffix}"
        result = gaussfit("graph", "--output", target)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == f"wrote {target}\n"
        text = target.read_text(encoding="utf-8")
        assert check(text), text[:80]
        assert not any(line != line.rstrip() for line in text.splitlines())
