"""Ridge regression in float64 with nn.l2_loss, tf.add_n and Adagrad."""

# rtol: 1e-9
import numpy as np

import gaussfit.engine as tf

rng = np.random.RandomState(5)
features = rng.normal(size=(40, 3))
target = features @ np.array([1.5, -2.0, 0.5]) + 0.3 + rng.normal(scale=0.1, size=40)
X = tf.placeholder(tf.float64, [None, 3], name="X")
y = tf.placeholder(tf.float64, [None, 1], name="y")
W = tf.Variable(np.zeros((3, 1)), name="W")
b = tf.Variable(np.zeros(1), name="b")
residual = tf.matmul(X, W) + b - y
loss = tf.add_n([tf.reduce_mean(tf.square(residual)), 0.01 * tf.nn.l2_loss(W)])
train = tf.train.AdagradOptimizer(0.5).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(80):
        _, value = sess.run([train, loss], {X: features, y: target[:, None]})
        if step % 20 == 0:
            print(step, repr(float(value)))
    print(np.array2string(sess.run(W).ravel(), precision=12), sess.run(b))
