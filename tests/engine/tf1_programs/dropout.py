"""nn.dropout with keep_prob fed: 1.0 keeps everything, 0.5 zeroes about half and doubles
the rest; with a seed every session draws the same mask."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

x = tf.ones([2000])
keep = tf.placeholder(tf.float32, name="keep_prob")
dropped = tf.nn.dropout(x, keep_prob=keep, seed=11)
rate = tf.nn.dropout(x, rate=0.25, seed=12)
with tf.Session() as sess:
    kept = sess.run(dropped, {keep: 1.0})
    half = sess.run(dropped, {keep: 0.5})
    quarter = sess.run(rate)
with tf.Session() as sess:
    again = sess.run(dropped, {keep: 0.5})
print(np.all(kept == 1.0), dropped.shape, dropped.dtype)
print(sorted(set(half.tolist())), abs(np.mean(half == 0.0) - 0.5) < 0.05)
print(sorted(np.unique(np.round(quarter, 5)).tolist()), abs(np.mean(quarter == 0.0) - 0.25) < 0.05)
print(np.array_equal(half, again))
