"""Softmax regression on three classes: one_hot labels, softmax_cross_entropy_with_logits_v2,
argmax accuracy, reduction_indices as old course code passes it."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

rng = np.random.RandomState(1)
centres = np.array([[0.0, 2.0, 0.0, 1.0], [2.0, 0.0, 1.0, 0.0], [-1.0, -1.0, 2.0, 2.0]])
labels = rng.randint(0, 3, size=60)
features = (centres[labels] + rng.normal(scale=0.7, size=(60, 4))).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 4], name="x")
y_ = tf.placeholder(tf.int32, [None], name="y_")
y_hot = tf.one_hot(y_, 3)
W = tf.Variable(tf.zeros([4, 3]))
b = tf.Variable(tf.zeros([3]))
logits = tf.matmul(x, W) + b
y = tf.nn.softmax(logits)
cross_entropy = tf.reduce_mean(
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_hot, logits=logits)
)
manual = tf.reduce_mean(-tf.reduce_sum(y_hot * tf.log(y), reduction_indices=[1]))
train = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_hot, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
print(y_hot)
print(correct)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(50):
        _, ce = sess.run([train, cross_entropy], {x: features, y_: labels})
        if step % 10 == 0:
            print(step, ce)
    print(sess.run([cross_entropy, manual, accuracy], {x: features, y_: labels}))
    print(sess.run(y, {x: features[:2]}))
    print(sess.run(tf.argmax(logits, axis=1), {x: features[:8]}))
