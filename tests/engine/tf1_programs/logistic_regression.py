"""Logistic regression with sigmoid cross-entropy, accuracy from equal and cast."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

rng = np.random.RandomState(0)
x_data = rng.normal(size=(100, 2)).astype(np.float32)
y_data = (x_data[:, :1] + 0.5 * x_data[:, 1:] > 0.2).astype(np.float32)
X = tf.placeholder(tf.float32, [None, 2], name="X")
Y = tf.placeholder(tf.float32, [None, 1], name="Y")
W = tf.Variable(tf.zeros([2, 1]), name="W")
b = tf.Variable(tf.zeros([1]), name="b")
logits = tf.matmul(X, W) + b
loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=Y, logits=logits))
train = tf.train.GradientDescentOptimizer(1.0).minimize(loss)
predicted = tf.cast(tf.sigmoid(logits) > 0.5, tf.float32)
accuracy = tf.reduce_mean(tf.cast(tf.equal(predicted, Y), tf.float32))
print(logits)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(101):
        _, value = sess.run([train, loss], {X: x_data, Y: y_data})
        if step % 20 == 0:
            print(step, value)
    print(sess.run(W).ravel(), sess.run(b))
    print("accuracy", sess.run(accuracy, {X: x_data, Y: y_data}))
