"""train.Saver: save, save with a global step, latest_checkpoint, get_checkpoint_state,
restore into the same graph and, by name, into another variable of a new graph."""

# rtol: 1e-5
import os
import tempfile

import numpy as np

import gaussfit.engine as tf

directory = tempfile.mkdtemp()
v1 = tf.Variable([1.0, 2.0], name="v1")
v2 = tf.Variable(3.0, name="v2")
w = tf.Variable(np.arange(6.0).reshape(2, 3), name="w")
bump = tf.assign_add(v2, 1.0)
saver = tf.train.Saver()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(bump)
    first = saver.save(sess, os.path.join(directory, "model.ckpt"))
    sess.run(bump)
    second = saver.save(sess, os.path.join(directory, "model.ckpt"), global_step=7)
print(os.path.basename(first), os.path.basename(second))
print(os.path.basename(tf.train.latest_checkpoint(directory)))
state = tf.train.get_checkpoint_state(directory)
print(os.path.basename(state.model_checkpoint_path))
print([os.path.basename(p) for p in state.all_model_checkpoint_paths])
with tf.Session() as sess:
    saver.restore(sess, first)
    print(sess.run([v1, v2]))
    saver.restore(sess, second)
    print(sess.run(v2), sess.run(w))
tf.reset_default_graph()
other = tf.Variable(0.0, name="other")
partial = tf.train.Saver({"v2": other})
with tf.Session() as sess:
    partial.restore(sess, tf.train.latest_checkpoint(directory))
    print(sess.run(other))
