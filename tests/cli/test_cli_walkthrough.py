"""``gaussfit lab --no-pause``: the lab end to end on the engine, printing the lab's figures."""

from __future__ import annotations

from cli_helpers import run_process

LAB_FIGURES = [
    'Tensor("add:0", shape=(3,), dtype=float64)',
    "result =  [ 3. 16. 45.]",
    "Tensorflow log p(X) =  -66.43869666409346",
    "New tensorflow log p(X) =  -104.42433105289454",
    "Gradient wrt mu =  [33.036]",
    "Gradient wrt sigma =  [76.119852]",
    "iter   10, log P(X) = -43.110",
    "iter   50, log P(X) = -35.691",
    "Tensorflow mu =  2.6518",
]


def test_the_walkthrough_prints_the_labs_figures_and_writes_the_graph(tmp_path):
    logdir = tmp_path / "vis"
    done = run_process("lab", "--no-pause", "--logdir", str(logdir))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    for figure in LAB_FIGURES:
        assert figure in text, figure
    assert text.index("Tensorflow log p(X)") < text.index("iter   10")
    assert (logdir / "graph.dot").exists()
