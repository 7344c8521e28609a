"""matmul with transpose_a / transpose_b (and the @ operator) and its gradients."""

# rtol: 1e-9
import numpy as np

import gaussfit.engine as tf

a = tf.constant(np.arange(6.0).reshape(2, 3) / 7.0)
b = tf.constant(np.arange(12.0).reshape(3, 4) / 5.0 - 1.0)
products = [
    tf.matmul(a, b),
    tf.matmul(tf.transpose(a), tf.transpose(b), transpose_a=True, transpose_b=True),
    tf.matmul(b, a, transpose_a=True, transpose_b=True),
    a @ b,
]
loss = tf.reduce_sum(tf.square(products[1])) + tf.reduce_sum(tf.sin(products[2]))
grads = tf.gradients(loss, [a, b])
with tf.Session() as sess:
    for value in sess.run(products + grads):
        print(np.array2string(value, precision=12))
