"""The acceptance test: Neill Campbell's TensorFlow introduction lab, run on gaussfit.engine.

The lab's code blocks are transcribed as the lab prints them (the scan's garbled identifiers
restored, the colab/matplotlib lines dropped, the missing gradient definitions filled in) and run
in order in one namespace with ``import gaussfit.engine as tf``. The random draw of the 20 data
values is replaced by the 20 values the lab printed, so the printed numbers can be checked.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy.stats import norm

LAB_X = [
    1.331, 3.775, 4.025, 1.505, 1.199, 1.839, 2.445, 4.915, 1.6, 2.333,
    4.764, 4.06, 3.11, 0.348, 1.878, 1.407, 4.618, 4.927, 1.862, 1.095,
]  # fmt: skip

SETUP = """
# Standard numpy for matrices, vectors, etc..
import numpy as np
import gaussfit.engine as tf
"""

STANDARD_PROGRAMMING = """
# What we are used to in standard programming:
a = np.array([1.0, 2.0, 3.0])
b = np.array([2.0, 2.0, 2.0])
a_plus_b = a + b
a_power_b = a ** b
c = a_plus_b * a_power_b
print('In numpy:')
print('a = ', a)
print('a = ', b)
print('a + b = ', a_plus_b)
print('a ** b = ', a_power_b)
print('c = (a + b) * (a ** b) = ', c)
"""

NOW_IN_TENSORFLOW = """
# Let's do this with tensorflow!
# First reset tensorflow!
tf.reset_default_graph()
# Now run equivalent operations..
t_a = tf.constant(a, name='a')
t_b = tf.constant(b, name='b')
t_a_plus_b = t_a + t_b
t_a_power_b = t_a ** t_b
t_c = t_a_plus_b * t_a_power_b
print('In tensorflow:')
print('a = ', t_a)
print('a = ', t_b)
print('a + b = ', t_a_plus_b)
print('a ** b = ', t_a_power_b)
print('c = (a + b) * (a ** b) = ', t_c)
"""

VISUALISE = """
# Can ignore this code for now, this just creates a
# visualisation file so we can see what is going on!
with tf.Session() as session:
    summary_file_writer = tf.summary.FileWriter(
        'visualisation_files', session.graph)
    summary_file_writer.flush()
"""

DOES_IT_WORK = """
# First - does it actually work?
# In order to use the graph we have to "run" it!
# In tensorflow, we need to run things inside of a session
# This line creates a session..
with tf.Session() as session:
    # Inside here we can use the "session" object created..
    # Let's run our graph to actually compute something!
    result = session.run(t_c)
    print("result = ", result)
"""

COMPARE = """
# Let's check everything makes sense:
print('In numpy:')
print('a = ', a)
print('a = ', b)
print('a + b = ', a_plus_b)
print('a ** b = ', a_power_b)
print('c = (a + b) * (a ** b) = ', c)
with tf.Session() as session:
    print('In tensorflow session:')
    print('a = ', session.run(t_a))
    print('a = ', session.run(t_b))
    print('a + b = ', session.run(t_a_plus_b))
    print('a ** b = ', session.run(t_a_power_b))
    print('c = (a + b) * (a ** b) = ', session.run(t_c))
# Everything should be the same!
"""

DATA = """
# First let's generate some numbers to fit the data to..
# How many values of x?
N = 20
# Pick the real mean and variance..
mu_true = 2.5
sigma_true = 1.5
x_n = np.array(LAB_X)  # the lab: np.random.normal(mu_true, sigma_true, N)
np.set_printoptions(precision=3, linewidth=50)
print('X = \\n', np.transpose(x_n))
"""

LOG_P = """
# Reset tensorflow to remove our old a, b, etc..
tf.reset_default_graph()
# Our initial guesses..
mu_initial_guess = 1.0
sigma_initial_guess = np.sqrt(1.0)
# The data to fit to
t_x_n = tf.constant(x_n, name='X')
# Note: mu and sigma are now *variables* not constants!
# We need to specify their data type and initial value..
t_mu = tf.Variable(mu_initial_guess,
                   dtype=tf.float64,
                   name="mu")
t_sigma = tf.Variable(sigma_initial_guess,
                      dtype=tf.float64,
                      name="sigma")
# Note: this step is important - don't use t_sigma directly!!
t_sigma_2 = t_sigma ** 2.0
# Calculate log p(X) terms..
t_x_minus_mu_2 = (t_x_n - t_mu) ** 2.0
t_denom = 2.0 * t_sigma_2
t_sigma_term = -0.5 * tf.log(2.0 * np.pi * t_sigma_2)
t_log_P_terms = t_sigma_term - (t_x_minus_mu_2 / t_denom)
# The sum is performed by a reduction in tensorflow
# (since a vector goes in and a scalar comes out)
# but this is effectively the same as np.sum(...)
t_log_P = tf.reduce_sum(t_log_P_terms)
# Let's just check that we calculated things correctly:
with tf.Session() as session:
    # IMPORTANT! Need to run this at the start to
    # initialise the values for the variables
    # t_mu and t_sigma. You will get an error if
    # you forget!
    session.run(tf.global_variables_initializer())
    test_value = session.run(t_log_P)
    print('Tensorflow log p(X) = ', test_value)
    print('(using initial guesses for mu and sigma)\\n')
# Check with scipy..
from scipy.stats import norm
check_value = np.sum(norm.logpdf(x_n,
                                 mu_initial_guess,
                                 sigma_initial_guess))
print('Value from scipy stats package = ', check_value)
assert(np.isclose(test_value, check_value))
print('\\nEverything working!')
"""

NEW_VALUES = """
# We can even go crazy and check with different
# values of the parameters..
mu_new_test_value = 3.3
sigma_new_test_value = 0.5
with tf.Session() as session:
    # IMPORTANT! (see above..)
    session.run(tf.global_variables_initializer())
    # Change the values of the variables while the
    # session is running..
    session.run(t_mu.assign(mu_new_test_value))
    session.run(t_sigma.assign(sigma_new_test_value))
    test_value = session.run(t_log_P)
    print('New tensorflow log p(X) = ', test_value)
    print('(using new values for mu and sigma)\\n')
# Check with scipy...
from scipy.stats import norm
check_value = np.sum(norm.logpdf(x_n,
                                 mu_new_test_value,
                                 sigma_new_test_value))
print('New value from scipy stats package = ', check_value)
assert(np.isclose(test_value, check_value))
print('\\nEverything working!')
"""

GRADIENTS = """
t_gradient_wrt_mu = tf.gradients(t_log_P, t_mu)
t_gradient_wrt_sigma = tf.gradients(t_log_P, t_sigma)
with tf.Session() as session:
    # IMPORTANT! (see above..)
    session.run(tf.global_variables_initializer())
    grad_mu = session.run(t_gradient_wrt_mu)
    grad_sigma = session.run(t_gradient_wrt_sigma)
    print('Gradient wrt mu = ', grad_mu)
    print('Gradient wrt sigma = ', grad_sigma)
"""

# Section 9 runs ``minimize_operation`` without showing where it was built; section 10 shows it.
OPTIMISER = """
# Create a gradient descent optimiser that uses a
# certain step size (learning rate)..
optimiser = tf.train.GradientDescentOptimizer(learning_rate=0.05)
# We want to maximise log p(X) therefore we
# need to minimise -log p(X)
t_objective = - t_log_P
# We want to optimise wrt mu and sigma
vars_to_optimise = [t_mu, t_sigma]
minimize_operation = optimiser.minimize(t_objective,
                                        var_list=vars_to_optimise)
"""

OPTIMISATION = """
# Number of iterations to perform
num_iterations = 50
with tf.Session() as session:
    # IMPORTANT! (see above..)
    session.run(tf.global_variables_initializer())
    # Run a number of iterations of gradient descent..
    for iteration in range(num_iterations):
        # At each iteration evaluate the minimize operation
        # to perform the gradient descent step and also
        # keep track of the current value..
        step, cost = session.run([minimize_operation, t_log_P])
        # Print out the value of log P every 10 iterations..
        if ((iteration + 1) % 10 == 0):
            print('iter %4d, log P(X) = %0.3f' %
                  (iteration + 1, cost))
    # Get the final results of the optimisation..
    mu_optimised = session.run(t_mu)
    sigma_optimised = session.run(t_sigma)
    print('\\nAfter optimisation:')
    print('Tensorflow mu = ', mu_optimised)
    print('Tensorflow sigma = ', sigma_optimised)
print('\\nAnalytic estimates:')
print('Estimated mu = ', np.mean(x_n))
print('Estimated std = ', np.std(x_n))
print('\\nGround truth values:')
print('True mu = ', mu_true)
print('True sigma = ', sigma_true)
"""

PLACEHOLDER = """
# Reset tensorflow to remove our old a, b, etc..
tf.reset_default_graph()
# THIS TIME USE A PLACEHOLDER!
# The data to fit to is provided as a placeholder.
# We need to tell it what type of data we will provide..
t_x_n = tf.placeholder(dtype=tf.float64, name='X')
# EVERYTHING ELSE IS AS IT WAS BEFORE..
# Note: mu and sigma are now *variables* not constants!
# We need to specify their data type and initial value..
t_mu = tf.Variable(mu_initial_guess,
                   dtype=tf.float64,
                   name="mu")
t_sigma = tf.Variable(sigma_initial_guess,
                      dtype=tf.float64,
                      name="sigma")
# Note: this step is important - don't use t_sigma directly!!
t_sigma_2 = t_sigma ** 2.0
# Calculate log p(X) terms..
t_x_minus_mu_2 = (t_x_n - t_mu) ** 2.0
t_denom = 2.0 * t_sigma_2
t_sigma_term = -0.5 * tf.log(2.0 * np.pi * t_sigma_2)
t_log_P_terms = t_sigma_term - (t_x_minus_mu_2 / t_denom)
# The sum is performed by a reduction in tensorflow
# (since a vector goes in and a scalar comes out)
# but this is effectively the same as np.sum(...)
t_log_P = tf.reduce_sum(t_log_P_terms)
# NOW WHEN WE RUN WE NEED TO FILL IN THE PLACEHOLDER..
# Create a gradient descent optimiser that uses a
# certain step size (learning rate)..
optimiser = tf.train.GradientDescentOptimizer(learning_rate=0.05)
# We want to maximise log p(X) therefore we
# need to minimise -log p(X)
t_objective = - t_log_P
# We want to optimise wrt mu and sigma
vars_to_optimise = [t_mu, t_sigma]
minimize_operation = optimiser.minimize(t_objective,
                                        var_list=vars_to_optimise)
# Number of iterations to perform
num_iterations = 50
with tf.Session() as session:
    # IMPORTANT! (see above..)
    session.run(tf.global_variables_initializer())
    # Run a number of iterations of gradient descent..
    for iteration in range(num_iterations):
        # At each iteration evaluate the minimize operation
        # to perform the gradient descent step and also
        # keep track of the current value..
        # NEED TO ADD THE FEED DICTIONARY OTHERWISE WE
        # DON'T KNOW WHAT VALUE TO USE FOR t_x_n..
        step, cost = session.run([minimize_operation, t_log_P],
                                 feed_dict={ t_x_n : x_n })
        # Print out the value of log P every 10 iterations..
        if ((iteration + 1) % 10 == 0):
            print('iter %4d, log P(X) = %0.3f' %
                  (iteration + 1, cost))
    # Get the final results of the optimisation..
    mu_optimised = session.run(t_mu)
    sigma_optimised = session.run(t_sigma)
    print('\\nAfter optimisation:')
    print('Tensorflow mu = ', mu_optimised)
    print('Tensorflow sigma = ', sigma_optimised)
print('\\nAnalytic estimates:')
print('Estimated mu = ', np.mean(x_n))
print('Estimated std = ', np.std(x_n))
print('\\nGround truth values:')
print('True mu = ', mu_true)
print('True sigma = ', sigma_true)
"""

FUNCTION = """
def find_parameters_using_tensorflow(x_input, learning_rate=0.05):
    # Create a gradient descent optimiser that uses a
    # certain step size (learning_rate)..
    optimiser = tf.train.GradientDescentOptimizer(
        learning_rate=learning_rate)
    # We want to maximise log p(X) therefore we
    # need to minimise -log p(X)
    t_objective = - t_log_P
    # We want to optimise wrt mu and sigma
    vars_to_optimise = [t_mu, t_sigma]
    minimize_operation = optimiser.minimize(t_objective,
                                            var_list=vars_to_optimise)
    # Number of iterations to perform
    num_iterations = 50
    with tf.Session() as session:
        # IMPORTANT! (see above..)
        session.run(tf.global_variables_initializer())
        # Run a number of iterations of gradient descent..
        for iteration in range(num_iterations):
            # At each iteration evaluate the minimize_operation
            # to perform the gradient descent step and also
            # keep track of the current value..
            # PASS THE ARGUMENT TO THE FUNCTION INTO THE FEED
            # DICTIONARY..
            step, cost = session.run([minimize_operation, t_log_P],
                                     feed_dict={ t_x_n : x_input })
            # Print out the value of log P every 10 iterations..
            if ((iteration + 1) % 10 == 0):
                print('iter %4d, log P(X) = %0.3f' %
                      (iteration + 1, cost))
        # Get the final results of the optimisation..
        mu_optimised = session.run(t_mu)
        sigma_optimised = session.run(t_sigma)
    return mu_optimised, sigma_optimised
# Let's try with a larger N
N_bigger = 1000
x_bigger = np.random.normal(mu_true, sigma_true, N_bigger)
new_mu, new_sigma = find_parameters_using_tensorflow(x_bigger,
                                                     learning_rate=0.001)
print('Tensorflow estimates:')
print('Tensorflow mu = ', new_mu)
print('Tensorflow sigma = ', new_sigma)
print('\\nAnalytic estimates:')
print('Estimated mu = ', np.mean(x_bigger))
print('Estimated std = ', np.std(x_bigger))
print('\\nGround truth values:')
print('True mu = ', mu_true)
print('True sigma = ', sigma_true)
"""

TF_LINES = [
    'a =  Tensor("a:0", shape=(3,), dtype=float64)',
    'a =  Tensor("b:0", shape=(3,), dtype=float64)',
    'a + b =  Tensor("add:0", shape=(3,), dtype=float64)',
    'a ** b =  Tensor("pow:0", shape=(3,), dtype=float64)',
    'c = (a + b) * (a ** b) =  Tensor("mul:0", shape=(3,), dtype=float64)',
]

ITERATION_LINES = [
    "iter   10, log P(X) = -43.110",
    "iter   20, log P(X) = -35.691",
    "iter   30, log P(X) = -35.691",
    "iter   40, log P(X) = -35.691",
    "iter   50, log P(X) = -35.691",
]


@pytest.fixture
def lab(tmp_path, monkeypatch, capsys):
    """Run the lab's blocks in order; return a function giving the namespace and each block's
    printed lines."""
    monkeypatch.chdir(tmp_path)
    saved_print_options = np.get_printoptions()
    namespace: dict = {"LAB_X": LAB_X}
    printed: dict[str, list[str]] = {}

    def run(*blocks: tuple[str, str]) -> tuple[dict, dict[str, list[str]]]:
        for title, source in blocks:
            exec(compile(source, f"<lab: {title}>", "exec"), namespace)
            printed[title] = capsys.readouterr().out.splitlines()
        return namespace, printed

    yield run
    np.set_printoptions(**saved_print_options)


def _printed_number(lines: list[str], prefix: str) -> float:
    (line,) = [line for line in lines if line.startswith(prefix)]
    return float(line[len(prefix) :])


def test_lab_prints_graph_tensors_and_computes_them(lab):
    _, printed = lab(
        ("setup", SETUP),
        ("numpy", STANDARD_PROGRAMMING),
        ("tensorflow", NOW_IN_TENSORFLOW),
        ("run", DOES_IT_WORK),
        ("compare", COMPARE),
    )
    assert printed["tensorflow"] == ["In tensorflow:", *TF_LINES]
    assert printed["run"] == ["result =  [ 3. 16. 45.]"]
    numpy_part = printed["compare"][1:6]
    session_part = printed["compare"][7:]
    assert printed["compare"][6] == "In tensorflow session:"
    assert session_part == numpy_part
    assert numpy_part[-1] == "c = (a + b) * (a ** b) =  [ 3. 16. 45.]"


def test_lab_file_writer_writes_into_the_log_directory(lab, tmp_path):
    lab(("setup", SETUP), ("numpy", STANDARD_PROGRAMMING), ("tensorflow", NOW_IN_TENSORFLOW))
    lab(("visualise", VISUALISE))
    written = sorted(p.name for p in (tmp_path / "visualisation_files").iterdir())
    assert written, "FileWriter wrote nothing"
    text = "".join(p.read_text() for p in (tmp_path / "visualisation_files").glob("graph.*"))
    for name in ("a", "b", "add", "pow", "mul"):
        assert f'"{name}"' in text


def test_lab_log_likelihood_gradients_and_optimisation(lab):
    ns, printed = lab(
        ("setup", SETUP),
        ("data", DATA),
        ("log_p", LOG_P),
        ("new_values", NEW_VALUES),
        ("gradients", GRADIENTS),
        ("optimiser", OPTIMISER),
        ("optimisation", OPTIMISATION),
    )
    x = np.array(LAB_X)
    assert printed["log_p"][0] == "Tensorflow log p(X) =  -66.43869666409346"
    assert printed["log_p"][-1] == "Everything working!"
    assert math.isclose(ns["test_value"], np.sum(norm.logpdf(x, 3.3, 0.5)), rel_tol=1e-13)
    assert printed["new_values"][0] == "New tensorflow log p(X) =  -104.42433105289454"

    assert printed["gradients"] == [
        "Gradient wrt mu =  [33.036]",
        "Gradient wrt sigma =  [76.119852]",
    ]
    # Closed forms at mu = sigma = 1: sum(x - mu) / sigma^2 and -N/sigma + sum((x-mu)^2)/sigma^3.
    assert ns["grad_mu"][0] == pytest.approx(np.sum(x - 1.0), rel=1e-13)
    assert ns["grad_sigma"][0] == pytest.approx(-20.0 + np.sum((x - 1.0) ** 2), rel=1e-13)

    lines = printed["optimisation"]
    assert lines[:5] == ITERATION_LINES
    assert _printed_number(lines, "Tensorflow mu = ") == pytest.approx(np.mean(x), abs=1e-12)
    assert _printed_number(lines, "Tensorflow sigma = ") == pytest.approx(np.std(x), abs=1e-12)
    assert "Tensorflow mu =  2.6518" in lines
    assert any(re.fullmatch(r"Tensorflow sigma =  1\.44137\d*", line) for line in lines)


def test_lab_placeholder_version_and_function_on_more_data(lab):
    ns, printed = lab(
        ("setup", SETUP),
        ("data", DATA),
        ("log_p", LOG_P),
        ("placeholder", PLACEHOLDER),
        ("seed", "np.random.seed(20180625)"),
        ("function", FUNCTION),
    )
    x = np.array(LAB_X)
    lines = printed["placeholder"]
    assert lines[:5] == ITERATION_LINES
    assert _printed_number(lines, "Tensorflow mu = ") == pytest.approx(np.mean(x), abs=1e-12)
    assert _printed_number(lines, "Tensorflow sigma = ") == pytest.approx(np.std(x), abs=1e-12)

    x_bigger = ns["x_bigger"]
    assert x_bigger.shape == (1000,)
    assert len([line for line in printed["function"] if line.startswith("iter ")]) == 5
    assert ns["new_mu"] == pytest.approx(np.mean(x_bigger), abs=1e-9)
    assert ns["new_sigma"] == pytest.approx(np.std(x_bigger), abs=1e-9)
    assert _printed_number(printed["function"], "Tensorflow mu = ") == ns["new_mu"]
