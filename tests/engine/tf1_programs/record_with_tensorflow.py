"""Record what TensorFlow prints for each program here, as the fixtures the tests compare with.

Run with a Python that has TensorFlow (2.x; its ``tf.compat.v1`` graph mode) and ``tf_keras``
(TF 2.16+ needs it for ``tf.compat.v1.layers``, selected with ``TF_USE_LEGACY_KERAS=1``)::

    python tests/engine/tf1_programs/record_with_tensorflow.py [name ...]

Each program's ``import gaussfit.engine as tf`` line is replaced by
``import tensorflow.compat.v1 as tf; tf.disable_eager_execution()``; its standard output is
written to ``expected/<name>.txt`` after a header saying how it was made. The tests never
need TensorFlow.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINE_IMPORT = "import gaussfit.engine as tf"
TF_IMPORT = "import tensorflow.compat.v1 as tf\ntf.disable_eager_execution()"


def record(program: Path) -> None:
    source = program.read_text()
    if ENGINE_IMPORT not in source:
        raise SystemExit(f"{program.name}: no line '{ENGINE_IMPORT}'")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0", TF_USE_LEGACY_KERAS="1")
    done = subprocess.run(
        [sys.executable, "-c", source.replace(ENGINE_IMPORT, TF_IMPORT, 1)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        print(f"{program.name} failed:\n{done.stderr[-3000:]}", file=sys.stderr)
        return
    import numpy
    import tensorflow

    header = (
        f"# recorded with tensorflow {tensorflow.__version__} (tf.compat.v1 graph mode, "
        f"disable_eager_execution), numpy {numpy.__version__}, python {platform.python_version()}"
        f", CPU: record_with_tensorflow.py {program.name}\n"
    )
    (HERE / "expected" / f"{program.stem}.txt").write_text(header + done.stdout)


def main(names: list[str]) -> None:
    programs = sorted(p for p in HERE.glob("*.py") if p.name != Path(__file__).name)
    for program in programs:
        if not names or program.stem in names:
            record(program)
            print("recorded", program.stem)


if __name__ == "__main__":
    main(sys.argv[1:])
