"""tf.cond (and its gradient) and tf.while_loop."""

# rtol: 1e-5
import gaussfit.engine as tf

x = tf.placeholder(tf.float32, shape=[], name="x")
y = tf.cond(x > 0, lambda: tf.square(x) + 1.0, lambda: -3.0 * x)
(dy,) = tf.gradients(y, x)
i = tf.constant(0)
total = tf.constant(0.0)


def body(i, total):
    return i + 1, total + tf.cast(i, tf.float32) * x


n, result = tf.while_loop(lambda i, total: i < 5, body, [i, total])
fact = tf.while_loop(lambda k, f: k <= 6, lambda k, f: (k + 1, f * k), (1, 1))[1]
with tf.Session() as sess:
    for value in (2.0, -1.5):
        print(sess.run([y, dy], {x: value}))
    print(sess.run([n, result], {x: 1.5}))
    print(sess.run(fact))
