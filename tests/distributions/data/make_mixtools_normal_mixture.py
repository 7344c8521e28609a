"""Record R mixtools' ``normalmixEM`` fits of normal mixtures, for ``test_dist_normal_mixture.py``.

Run from the repository root with R, mixtools and jsonlite installed (recorded with R 4.2.2
Patched, mixtools 2.0.0, jsonlite 1.8.4):

    python tests/distributions/data/make_mixtools_normal_mixture.py

It writes ``mixtools_normal_mixture.json`` beside itself: two cases, each with its data, the
call and mixtools' estimates and log-likelihood. ``faithful`` is R's Old Faithful waiting times
(272 values, the mixtools vignette's example, k = 2); ``three`` is drawn here with numpy
(k = 3, overlapping components). EM is started at the true (or the vignette's) values and
run to a log-likelihood change of 1e-13, so its estimates are the MLE to about 1e-6.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

R_SCRIPT = r"""
suppressMessages({library(mixtools); library(jsonlite)})
cases <- fromJSON(file("stdin"), simplifyVector = TRUE)
cases$faithful$x <- faithful$waiting
out <- list()
for (name in names(cases)) {
  case <- cases[[name]]
  set.seed(1)
  invisible(capture.output(  # normalmixEM prints its iteration count
    fit <- normalmixEM(case$x, k = length(case$mu), lambda = case$lambda, mu = case$mu,
                       sigma = case$sigma, epsilon = 1e-13, maxit = 1e6)))
  out[[name]] <- list(
    x = case$x, lambda = fit$lambda, mu = fit$mu, sigma = fit$sigma, loglik = fit$loglik,
    iterations = length(fit$all.loglik) - 1,
    call = sprintf(paste0("normalmixEM(x, k=%d, lambda=c(%s), mu=c(%s), sigma=c(%s), ",
                          "epsilon=1e-13, maxit=1e6)"),
                   length(case$mu), toString(case$lambda), toString(case$mu),
                   toString(case$sigma)))
}
out$source <- sprintf("recorded with R %s, mixtools %s by make_mixtools_normal_mixture.py",
                      paste(R.version$major, R.version$minor, sep = "."),
                      as.character(packageVersion("mixtools")))
cat(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE))
"""


def main() -> None:
    rng = np.random.default_rng(31)
    three = np.concatenate(
        [rng.normal(-2.0, 1.0, 200), rng.normal(1.5, 0.7, 250), rng.normal(5.0, 1.5, 150)]
    )
    cases = {
        "faithful": {"x": [], "lambda": [0.35, 0.65], "mu": [54.0, 80.0], "sigma": [6.0, 6.0]},
        "three": {
            "x": [float(v) for v in three],
            "lambda": [1 / 3, 5 / 12, 1 / 4],
            "mu": [-2.0, 1.5, 5.0],
            "sigma": [1.0, 0.7, 1.5],
        },
    }
    recorded = subprocess.run(
        ["Rscript", "-e", R_SCRIPT],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    document = json.loads(recorded)
    document["three"]["x"] = cases["three"]["x"]  # every digit R was given (it echoes 15)
    path = Path(__file__).with_name("mixtools_normal_mixture.json")
    path.write_text(json.dumps(document, indent=1) + "\n")


if __name__ == "__main__":
    main()
