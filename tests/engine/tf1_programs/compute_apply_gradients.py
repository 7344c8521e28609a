"""compute_gradients, gradients clipped with clip_by_value, apply_gradients with a step."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

x = tf.placeholder(tf.float32, [None], name="x")
w = tf.Variable([1.0, -2.0], name="w")
loss = tf.reduce_sum(tf.square(w[0] * x + w[1] - 2.0 * x - 1.0))
opt = tf.train.MomentumOptimizer(0.01, 0.9)
grads_and_vars = opt.compute_gradients(loss)
clipped = [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in grads_and_vars]
step = tf.Variable(0, trainable=False, name="step")
train = opt.apply_gradients(clipped, global_step=step)
data = np.linspace(-1.0, 1.0, 9).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in range(20):
        grad, _ = sess.run([grads_and_vars[0][0], train], {x: data})
        if i % 5 == 0:
            print(i, grad)
    print(sess.run([w, step]))
