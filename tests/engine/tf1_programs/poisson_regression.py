"""Poisson regression in float64 by gradient descent: the printed coefficients show that a
Python-float learning rate is rounded to float32 first, as TF1 does."""

# rtol: 1e-9
import numpy as np

import gaussfit.engine as tf

rng = np.random.RandomState(3)
design = np.column_stack([np.ones(50), rng.uniform(0.0, 2.0, 50)])
counts = rng.poisson(np.exp(0.3 + 0.8 * design[:, 1])).astype(np.float64)
X = tf.placeholder(tf.float64, [None, 2], name="X")
y = tf.placeholder(tf.float64, [None], name="y")
beta = tf.Variable(np.zeros(2), name="beta")
eta = tf.reshape(tf.matmul(X, tf.expand_dims(beta, 1)), [-1])
nll = tf.reduce_sum(tf.exp(eta) - y * eta + tf.lgamma(y + 1.0))
train = tf.train.GradientDescentOptimizer(0.002).minimize(nll)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(201):
        _, value = sess.run([train, nll], {X: design, y: counts})
        if step % 50 == 0:
            print(step, repr(float(value)))
    print([repr(float(v)) for v in sess.run(beta)])
