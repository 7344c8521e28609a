"""The lab's code, step by step, with ``import gaussfit.engine as tf`` in place of TensorFlow.

The code is the lab's own (colab and plotting lines left out); the random draw of 20 values is
replaced by the 20 values the lab printed, so every figure can be checked against the lab's text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabStep:
    title: str
    text: str
    code: str


LAB_VALUES = (
    "1.331, 3.775, 4.025, 1.505, 1.199, 1.839, 2.445, 4.915, 1.6, 2.333, 4.764, "
    "4.06, 3.11, 0.348, 1.878, 1.407, 4.618, 4.927, 1.862, 1.095"
)

STEPS: tuple[LabStep, ...] = (
    LabStep(
        "Setting up",
        "As numpy is np, the graph engine is tf: everything that starts with tf builds a graph.",
        """\
import numpy as np
import gaussfit.engine as tf
""",
    ),
    LabStep(
        "Standard programming",
        "Imperative numpy: every line is evaluated at once, in order.",
        """\
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
""",
    ),
    LabStep(
        "Now as a graph",
        "The same lines build a graph: the results are symbolic tensors, not numbers.",
        """\
tf.reset_default_graph()
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
""",
    ),
    LabStep(
        "Running the graph",
        "A session computes what a fetch needs; the values agree with numpy.",
        """\
with tf.Session() as session:
    result = session.run(t_c)
    print("result = ", result)
with tf.Session() as session:
    print('In tensorflow session:')
    print('a = ', session.run(t_a))
    print('a = ', session.run(t_b))
    print('a + b = ', session.run(t_a_plus_b))
    print('a ** b = ', session.run(t_a_power_b))
    print('c = (a + b) * (a ** b) = ', session.run(t_c))
""",
    ),
    LabStep(
        "The log-likelihood of a Gaussian",
        "mu and sigma are variables now; log p(X) is a graph checked against scipy.",
        f"""\
N = 20
mu_true = 2.5
sigma_true = 1.5
x_n = np.array([{LAB_VALUES}])  # the values the lab printed
np.set_printoptions(precision=3, linewidth=50)
print('X = \\n', np.transpose(x_n))
tf.reset_default_graph()
mu_initial_guess = 1.0
sigma_initial_guess = np.sqrt(1.0)
t_x_n = tf.constant(x_n, name='X')
t_mu = tf.Variable(mu_initial_guess, dtype=tf.float64, name="mu")
t_sigma = tf.Variable(sigma_initial_guess, dtype=tf.float64, name="sigma")
t_sigma_2 = t_sigma ** 2.0
t_x_minus_mu_2 = (t_x_n - t_mu) ** 2.0
t_denom = 2.0 * t_sigma_2
t_sigma_term = -0.5 * tf.log(2.0 * np.pi * t_sigma_2)
t_log_P_terms = t_sigma_term - (t_x_minus_mu_2 / t_denom)
t_log_P = tf.reduce_sum(t_log_P_terms)
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    test_value = session.run(t_log_P)
    print('Tensorflow log p(X) = ', test_value)
    print('(using initial guesses for mu and sigma)\\n')
from scipy.stats import norm
check_value = np.sum(norm.logpdf(x_n, mu_initial_guess, sigma_initial_guess))
print('Value from scipy stats package = ', check_value)
assert(np.isclose(test_value, check_value))
print('\\nEverything working!')
""",
    ),
    LabStep(
        "Changing the variables",
        "assign() changes a variable inside a session; the graph stays the same.",
        """\
mu_new_test_value = 3.3
sigma_new_test_value = 0.5
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    session.run(t_mu.assign(mu_new_test_value))
    session.run(t_sigma.assign(sigma_new_test_value))
    test_value = session.run(t_log_P)
    print('New tensorflow log p(X) = ', test_value)
    print('(using new values for mu and sigma)\\n')
check_value = np.sum(norm.logpdf(x_n, mu_new_test_value, sigma_new_test_value))
print('New value from scipy stats package = ', check_value)
assert(np.isclose(test_value, check_value))
print('\\nEverything working!')
""",
    ),
    LabStep(
        "Gradients",
        "tf.gradients adds the chain rule to the graph; d log p / d mu = sum(x - mu) / sigma^2.",
        """\
t_gradient_wrt_mu = tf.gradients(t_log_P, t_mu)
t_gradient_wrt_sigma = tf.gradients(t_log_P, t_sigma)
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    grad_mu = session.run(t_gradient_wrt_mu)
    grad_sigma = session.run(t_gradient_wrt_sigma)
    print('Gradient wrt mu = ', grad_mu)
    print('Gradient wrt sigma = ', grad_sigma)
print('Chain rule, numpy: ', np.sum(x_n - mu_initial_guess) / sigma_initial_guess ** 2)
""",
    ),
    LabStep(
        "Optimisation with a placeholder",
        "The data become a placeholder fed at run time; gradient descent maximises log p(X).",
        """\
tf.reset_default_graph()
t_x_n = tf.placeholder(dtype=tf.float64, name='X')
t_mu = tf.Variable(mu_initial_guess, dtype=tf.float64, name="mu")
t_sigma = tf.Variable(sigma_initial_guess, dtype=tf.float64, name="sigma")
t_sigma_2 = t_sigma ** 2.0
t_x_minus_mu_2 = (t_x_n - t_mu) ** 2.0
t_denom = 2.0 * t_sigma_2
t_sigma_term = -0.5 * tf.log(2.0 * np.pi * t_sigma_2)
t_log_P_terms = t_sigma_term - (t_x_minus_mu_2 / t_denom)
t_log_P = tf.reduce_sum(t_log_P_terms)
optimiser = tf.train.GradientDescentOptimizer(learning_rate=0.05)
t_objective = - t_log_P
vars_to_optimise = [t_mu, t_sigma]
minimize_operation = optimiser.minimize(t_objective, var_list=vars_to_optimise)
num_iterations = 50
with tf.Session() as session:
    session.run(tf.global_variables_initializer())
    for iteration in range(num_iterations):
        step, cost = session.run([minimize_operation, t_log_P], feed_dict={ t_x_n : x_n })
        if ((iteration + 1) % 10 == 0):
            print('iter %4d, log P(X) = %0.3f' % (iteration + 1, cost))
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
""",
    ),
    LabStep(
        "Reusing the graph on new data",
        "The same graph fits 1000 new values: only the feed changes.",
        """\
def find_parameters_using_tensorflow(x_input, learning_rate=0.05):
    optimiser = tf.train.GradientDescentOptimizer(learning_rate=learning_rate)
    t_objective = - t_log_P
    vars_to_optimise = [t_mu, t_sigma]
    minimize_operation = optimiser.minimize(t_objective, var_list=vars_to_optimise)
    num_iterations = 50
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for iteration in range(num_iterations):
            step, cost = session.run([minimize_operation, t_log_P],
                                     feed_dict={ t_x_n : x_input })
            if ((iteration + 1) % 10 == 0):
                print('iter %4d, log P(X) = %0.3f' % (iteration + 1, cost))
        mu_optimised = session.run(t_mu)
        sigma_optimised = session.run(t_sigma)
    return mu_optimised, sigma_optimised

N_bigger = 1000
x_bigger = np.random.default_rng(2018).normal(mu_true, sigma_true, N_bigger)
new_mu, new_sigma = find_parameters_using_tensorflow(x_bigger, learning_rate=0.001)
print('Tensorflow estimates:')
print('Tensorflow mu = ', new_mu)
print('Tensorflow sigma = ', new_sigma)
print('\\nAnalytic estimates:')
print('Estimated mu = ', np.mean(x_bigger))
print('Estimated std = ', np.std(x_bigger))
""",
    ),
    LabStep(
        "Seeing the graph",
        "FileWriter writes the graph for TensorBoard (and Graphviz): tensorboard --logdir DIR.",
        """\
with tf.Session() as session:
    summary_file_writer = tf.summary.FileWriter(LOGDIR, session.graph)
    summary_file_writer.flush()
print('Graph written to', LOGDIR)
""",
    ),
)
