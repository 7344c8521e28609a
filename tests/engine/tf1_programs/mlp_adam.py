"""A small multilayer perceptron trained with Adam: relu, sparse softmax cross-entropy."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

rng = np.random.RandomState(2)
points = rng.uniform(-1.0, 1.0, size=(80, 2)).astype(np.float32)
classes = (points[:, 0] * points[:, 1] > 0).astype(np.int64) + (points[:, 0] > 0.5)
w1_init = rng.normal(scale=0.5, size=(2, 8)).astype(np.float32)
w2_init = rng.normal(scale=0.5, size=(8, 3)).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 2], name="x")
labels = tf.placeholder(tf.int64, [None], name="labels")
w1 = tf.Variable(w1_init, name="w1")
b1 = tf.Variable(tf.zeros([8]), name="b1")
w2 = tf.Variable(w2_init, name="w2")
b2 = tf.Variable(tf.constant(0.1, shape=[3]), name="b2")
hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
logits = tf.matmul(hidden, w2) + b2
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train = tf.train.AdamOptimizer(0.01).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(100):
        _, value = sess.run([train, loss], {x: points, labels: classes})
        if step % 25 == 0:
            print(step, value)
    print("final", sess.run([loss, accuracy], {x: points, labels: classes}))
    print(sess.run(b2))
