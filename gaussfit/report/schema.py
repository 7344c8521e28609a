"""JSON Schemas (draft 2020-12) of what ``--json`` prints: the contract scripts rely on.

``FIT_SCHEMA`` is ``gaussfit fit --json``; ``SIMULATE_FIT_SCHEMA`` is ``gaussfit simulate --fit
--json`` (the fit object plus ``truth``); ``COMPARE_SCHEMA`` is ``gaussfit compare --json``;
``DISTS_SCHEMA`` is ``gaussfit dists --json``. ``censoring`` counts the observations of each
kind (all exact for a plain column) and gives the truncation window; ``empirical`` is the
nonparametric MLE of the CDF of censored data (null otherwise); ``method`` names the estimator
(``mle``, or fitdistrplus's ``mme``, ``qme``, ``mge``, ``mse``) with its settings. Numbers
that can be undefined (a standard error without a positive-definite information matrix, a
p-value with too few cells) are ``null``, never NaN. The top level of each object is closed
(``unevaluatedProperties: false``): a new key is a change of the contract and belongs in the
README as well.
"""

from __future__ import annotations

from typing import Any

_NUMBER_OR_NULL = {"type": ["number", "null"]}
_PARAMS = {"type": "object", "additionalProperties": {"type": "number"}}
_PARAMS_OR_NULL = {"type": "object", "additionalProperties": _NUMBER_OR_NULL}
# [low, high]; an end that runs off to infinity (a parameter the data do not bound) is null.
_INTERVAL = {
    "oneOf": [
        {"type": "array", "items": _NUMBER_OR_NULL, "minItems": 2, "maxItems": 2},
        {"type": "null"},
    ]
}
_REFERENCE = {
    "oneOf": [
        {
            "type": "object",
            "required": ["params", "loglik"],
            "properties": {"params": _PARAMS, "loglik": _NUMBER_OR_NULL},
            "additionalProperties": False,
        },
        {"type": "null"},
    ]
}
_GOF_BOOTSTRAP = {
    "type": "object",
    "required": [
        "resamples",
        *(f"{test}_{what}" for test in ("ks", "cvm", "ad") for what in ("pvalue", "pvalue_se")),
    ],
    "properties": {
        "resamples": {"type": "integer", "minimum": 1},
        **{
            f"{test}_{what}": {"type": "number", "minimum": 0, "maximum": 1}
            for test in ("ks", "cvm", "ad")
            for what in ("pvalue", "pvalue_se")
        },
        "failed": {"type": "integer", "minimum": 0},
        "refitted_individually": {"type": "integer", "minimum": 0},
        "seed": {"type": ["integer", "null"]},
        "adaptive": {"type": "boolean"},
        "target_se": _NUMBER_OR_NULL,
    },
    "additionalProperties": False,
}
# Censored data: the KS- and CvM-type distances between the Kaplan-Meier/Turnbull curve and the
# fitted CDF, with the censoring simulated as observed (no AD).
_CENSORED_GOF_BOOTSTRAP = {
    "type": "object",
    "required": [
        "resamples",
        "statistics",
        "censoring",
        *(f"{test}_{what}" for test in ("ks", "cvm") for what in ("pvalue", "pvalue_se")),
    ],
    "properties": {
        **_GOF_BOOTSTRAP["properties"],
        "statistics": {"type": "string"},
        "censoring": {"type": "string"},
    },
    "additionalProperties": False,
}
_GOF = {
    "type": "object",
    "properties": {
        **{
            f"{test}_{what}": _NUMBER_OR_NULL
            for test in ("ks", "cvm", "ad", "chi2")
            for what in ("statistic", "pvalue")
        },
        "chi2_dof": {"type": "integer"},
        "method": {"enum": ["npmle_distance"]},
        "bootstrap": {"oneOf": [_GOF_BOOTSTRAP, _CENSORED_GOF_BOOTSTRAP]},
    },
    "additionalProperties": False,
}
_STEP = {
    "type": "object",
    "required": ["iteration", "loglik", "grad_norm", "params"],
    "properties": {
        "iteration": {"type": "integer", "minimum": 0},
        "loglik": _NUMBER_OR_NULL,
        "grad_norm": _NUMBER_OR_NULL,
        "params": _PARAMS_OR_NULL,
    },
    "additionalProperties": False,
}
_STRINGS = {"type": "array", "items": {"type": "string"}}
# Observations by kind; see gaussfit.data.observations.
_KINDS = ("exact", "left", "right", "interval")
# A derived quantity: a quantile (p) or a probability of exceeding x, with a 95% interval by
# one method (delta, profile likelihood or bootstrap).
_QUANTITY = {
    "type": "object",
    "required": ["value", "ci95", "method"],
    "properties": {
        "p": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "x": {"type": "number"},
        "value": _NUMBER_OR_NULL,
        "ci95": _INTERVAL,
        "method": {"enum": ["delta", "profile", "bootstrap"]},
    },
    "additionalProperties": False,
}
# {row: {column: number}} over the free parameters, in the natural parameters; null when the
# information matrix is not positive definite (an entry beyond float64's range is null too).
_MATRIX = {
    "oneOf": [
        {"type": "object", "additionalProperties": _PARAMS_OR_NULL},
        {"type": "null"},
    ]
}

_OPTIMIZERS = ["newton", "lbfgs", "gd", "momentum", "adam"]
_FIT_PROPERTIES: dict[str, Any] = {
    "distribution": {"type": "string"},
    "method": {
        "type": "object",
        "required": ["name", "distance", "probs", "objective"],
        "properties": {
            "name": {"enum": ["mle", "mme", "qme", "mge", "mse"]},
            "distance": {"enum": ["CvM", "KS", "AD", "ADR", "ADL", "AD2R", "AD2L", "AD2", None]},
            "probs": {"oneOf": [{"type": "array", "items": {"type": "number"}}, {"type": "null"}]},
            "objective": _NUMBER_OR_NULL,
        },
        "additionalProperties": False,
    },
    "n": {"type": "integer", "minimum": 1},
    "params": _PARAMS,
    "stderr": _PARAMS_OR_NULL,
    "cov": _MATRIX,
    "corr": _MATRIX,
    "ci95": {"type": "object", "additionalProperties": _INTERVAL},
    "loglik": {"type": "number"},
    "aic": {"type": "number"},
    "aicc": _NUMBER_OR_NULL,
    "bic": {"type": "number"},
    "gof": _GOF,
    # The last three: estimators other than maximum likelihood (see ``method``).
    "optimizer": {"enum": [*_OPTIMIZERS, "nelder_mead", "closed_form", "least_squares"]},
    "iterations": {"type": "integer", "minimum": 0},
    "converged": {"type": "boolean"},
    "stopped": {"enum": ["converged", "max_iter", "time_budget", "line_search"]},
    "identifiable": {"type": ["boolean", "null"]},
    "flags": _STRINGS,
    "boundary": {"type": "object", "additionalProperties": {"type": "string"}},
    "likelihood_unbounded": {"type": "boolean"},
    "warnings": _STRINGS,
    "notes": _STRINGS,
    "fixed": _PARAMS,
    "weighted": {"type": "boolean"},
    "settings": {"type": "object"},
    "trace": {"type": "array", "items": _STEP},
    "reference": {
        "type": "object",
        "required": ["closed_form", "scipy"],
        "properties": {"closed_form": _REFERENCE, "scipy": _REFERENCE},
        "additionalProperties": False,
    },
    "bootstrap": {
        "oneOf": [
            {
                "type": "object",
                "required": ["resamples", "failed", "stderr", "ci95"],
                "properties": {
                    "resamples": {"type": "integer", "minimum": 2},
                    "failed": {"type": "integer", "minimum": 0},
                    "seed": {"type": ["integer", "null"]},
                    "stderr": _PARAMS_OR_NULL,
                    "ci95": {"type": "object", "additionalProperties": _INTERVAL},
                },
            },
            {"type": "null"},
        ]
    },
    "quantiles": {"oneOf": [{"type": "array", "items": _QUANTITY}, {"type": "null"}]},
    "prob_above": {"oneOf": [{"type": "array", "items": _QUANTITY}, {"type": "null"}]},
    "profile_ci95": {
        "oneOf": [{"type": "object", "additionalProperties": _INTERVAL}, {"type": "null"}]
    },
    "source": {
        "oneOf": [
            {
                "type": "object",
                "required": ["path", "column"],
                "properties": {
                    "path": {"type": ["string", "null"]},
                    "column": {"type": ["string", "null"]},
                },
            },
            {"type": "null"},
        ]
    },
    "seconds": {"type": "number", "minimum": 0},
    "censoring": {
        "type": "object",
        "required": ["exact", "left", "right", "interval", "truncation"],
        "properties": {
            **{kind: {"type": "integer", "minimum": 0} for kind in _KINDS},
            "truncation": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["lower", "upper", "delayed_entry"],
                        "properties": {
                            "lower": _NUMBER_OR_NULL,
                            "upper": _NUMBER_OR_NULL,
                            "delayed_entry": {"type": "boolean"},
                        },
                        "additionalProperties": False,
                    },
                    {"type": "null"},
                ]
            },
        },
        "additionalProperties": False,
    },
    "empirical": {
        "oneOf": [
            {
                "type": "object",
                "required": ["method", "lower", "upper", "cdf"],
                "properties": {
                    "method": {"enum": ["kaplan-meier", "turnbull"]},
                    "lower": {"type": "array", "items": _NUMBER_OR_NULL},
                    "upper": {"type": "array", "items": _NUMBER_OR_NULL},
                    "cdf": {"type": "array", "items": {"type": "number"}},
                },
                "additionalProperties": False,
            },
            {"type": "null"},
        ]
    },
}

_FIT_REQUIRED = [
    "distribution", "n", "params", "stderr", "ci95", "loglik", "aic", "aicc", "bic", "gof",
    "optimizer", "iterations", "converged", "trace", "reference", "source", "warnings",
    "censoring",
]  # fmt: skip

_DEFS: dict[str, Any] = {
    "fit": {"type": "object", "required": _FIT_REQUIRED, "properties": _FIT_PROPERTIES},
    "ranked_fit": {
        "type": "object",
        "allOf": [{"$ref": "#/$defs/fit"}],
        "required": ["delta_aic", "akaike_weight"],
        "properties": {
            "delta_aic": {"type": "number", "minimum": 0},
            "akaike_weight": {"type": "number", "minimum": 0, "maximum": 1},
        },
        "unevaluatedProperties": False,
    },
}

_DIALECT = "https://json-schema.org/draft/2020-12/schema"

FIT_SCHEMA: dict[str, Any] = {
    "$schema": _DIALECT,
    "title": "gaussfit fit --json",
    "$defs": _DEFS,
    "$ref": "#/$defs/fit",
    "unevaluatedProperties": False,
}

SIMULATE_FIT_SCHEMA: dict[str, Any] = {
    "$schema": _DIALECT,
    "title": "gaussfit simulate --fit --json",
    "$defs": _DEFS,
    "$ref": "#/$defs/fit",
    "required": ["truth"],
    "properties": {"truth": _PARAMS},
    "unevaluatedProperties": False,
}

COMPARE_SCHEMA: dict[str, Any] = {
    "$schema": _DIALECT,
    "title": "gaussfit compare --json",
    "$defs": _DEFS,
    "type": "object",
    "required": ["ranking", "apart", "failed", "skipped"],
    "properties": {
        "bootstrap": {
            "oneOf": [
                {
                    "type": "object",
                    "required": ["resamples", "seed", "undecided", "wins"],
                    "properties": {
                        "resamples": {"type": "integer", "minimum": 2},
                        "seed": {"type": ["integer", "null"]},
                        "undecided": {"type": "integer", "minimum": 0},
                        "wins": {
                            "type": "object",
                            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
                        },
                    },
                    "additionalProperties": False,
                },
                {"type": "null"},
            ]
        },
        "ranking": {"type": "array", "items": {"$ref": "#/$defs/ranked_fit"}},
        # On counts: continuous fits, ranked among themselves only (not on the ranking's scale).
        "apart": {"type": "array", "items": {"$ref": "#/$defs/ranked_fit"}},
        "failed": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["distribution", "error"],
                "properties": {"distribution": {"type": "string"}, "error": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "skipped": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["distribution", "reason"],
                "properties": {"distribution": {"type": "string"}, "reason": {"type": "string"}},
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}

# How a family's parameters map to scipy.stats (gaussfit.distributions.scipy_counterparts).
_SCIPY_COUNTERPART: dict[str, Any] = {
    "oneOf": [
        {"type": "null"},
        {
            "type": "object",
            "required": ["name", "shapes", "loc", "scale"],
            "properties": {
                "name": {"type": "string"},
                "shapes": {"type": "object", "additionalProperties": {"type": "string"}},
                "loc": {"type": "string"},
                "scale": {"type": ["string", "null"]},
            },
            "additionalProperties": False,
        },
    ]
}

DISTS_SCHEMA: dict[str, Any] = {
    "$schema": _DIALECT,
    "title": "gaussfit dists --json",
    "type": "object",
    "required": ["families"],
    "properties": {
        "families": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "name",
                    "title",
                    "aliases",
                    "parameters",
                    "support",
                    "discrete",
                    "closed_form",
                    "scipy_reference",
                    "scipy",
                    "sufficient_statistics",
                    "options",
                ],
                "properties": {
                    "name": {"type": "string"},
                    "title": {"type": "string"},
                    "aliases": _STRINGS,
                    "parameters": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "domain", "description"],
                            "properties": {
                                "name": {"type": "string"},
                                "domain": {"enum": ["real", "> 0", "(0, 1)", "integer ≥ 1"]},
                                "description": {"type": "string"},
                                "given": {"type": "boolean"},
                            },
                            "additionalProperties": False,
                        },
                    },
                    "support": {"type": "string"},
                    "discrete": {"type": "boolean"},
                    "closed_form": {"type": "boolean"},
                    "scipy_reference": {"type": "boolean"},
                    "scipy": _SCIPY_COUNTERPART,
                    "sufficient_statistics": {"type": "boolean"},
                    "options": {"type": "object"},
                },
                "additionalProperties": False,
            },
        }
    },
    "additionalProperties": False,
}
