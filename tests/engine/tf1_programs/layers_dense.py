"""tf.layers.dense as a reusable component: named layers, reuse=True, an activation, a
constant kernel and bias, dropout switched off outside training, and the variables made."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

x = tf.placeholder(tf.float32, [None, 3], name="x")
kernel = tf.constant_initializer(np.arange(6.0).reshape(3, 2) / 10.0)
hidden = tf.layers.dense(
    x,
    2,
    activation=tf.nn.relu,
    kernel_initializer=kernel,
    bias_initializer=tf.ones_initializer(),
    name="hidden",
)
again = tf.layers.dense(x, 2, activation=tf.nn.relu, name="hidden", reuse=True)
logits = tf.layers.dense(
    tf.layers.dropout(hidden, rate=0.5, training=False), 1, kernel_initializer=tf.ones_initializer()
)
print(hidden.shape, logits.shape)
print([v.name for v in tf.trainable_variables()])
print([v.shape for v in tf.global_variables()])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    data = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, 0.1]], dtype=np.float32)
    print(sess.run([hidden, again, logits], {x: data}))
