"""Linear regression by gradient descent in float32, the first program of most TF1 courses."""

# rtol: 1e-5
import numpy as np

import gaussfit.engine as tf

x_data = np.linspace(0.0, 1.0, 20).astype(np.float32)
y_data = (3.0 * x_data + 0.5 + 0.1 * np.sin(7.0 * x_data)).astype(np.float32)
X = tf.placeholder(tf.float32, shape=[None], name="X")
Y = tf.placeholder(tf.float32, shape=[None], name="Y")
W = tf.Variable(0.0, name="weight")
b = tf.Variable(0.0, name="bias")
pred = W * X + b
loss = tf.reduce_mean(tf.square(pred - Y))
train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
print(pred)
print(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for epoch in range(60):
        _, value = sess.run([train, loss], feed_dict={X: x_data, Y: y_data})
        if epoch % 10 == 0:
            print(epoch, value)
    print("W =", sess.run(W), "b =", sess.run(b))
