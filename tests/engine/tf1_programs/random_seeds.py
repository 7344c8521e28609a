"""Random ops and TF1's seeding rules. The numbers themselves differ between engines; what
TF1 guarantees (and this prints) is: a graph seed plus op seeds give the same numbers in every
session, two ops with different seeds differ, each run draws anew, and shapes, dtypes and
ranges are as asked."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf


def build():
    tf.set_random_seed(1234)
    a = tf.random_normal([3, 4])
    b = tf.random_normal([3, 4])
    c = tf.random_uniform([1000], minval=-2.0, maxval=3.0, seed=7)
    d = tf.truncated_normal([1000], mean=1.0, stddev=2.0, dtype=tf.float64)
    e = tf.random_uniform([5], maxval=10, dtype=tf.int32, seed=3)
    return a, b, c, d, e


graph = tf.Graph()
with graph.as_default():
    a, b, c, d, e = build()
    print(a.dtype, a.shape, d.dtype, e.dtype)
    with tf.Session() as sess:
        first = sess.run([a, b, c, d, e])
        again = sess.run(a)
    with tf.Session() as sess:
        second = sess.run([a, b, c, d, e])
other = tf.Graph()
with other.as_default():
    rebuilt = build()
    with tf.Session() as sess:
        third = sess.run(list(rebuilt))
print([np.array_equal(x, y) for x, y in zip(first, second, strict=True)])
print([np.array_equal(x, y) for x, y in zip(first, third, strict=True)])
print(np.array_equal(first[0], first[1]), np.array_equal(first[0], again))
print(first[2].min() >= -2.0, first[2].max() < 3.0, abs(first[2].mean() - 0.5) < 0.2)
print(np.all(np.abs(first[3] - 1.0) <= 4.0), abs(first[3].std() - 1.76) < 0.2)
print(first[4].min() >= 0, first[4].max() < 10)
