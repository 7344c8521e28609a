"""Reusable components: a layer written once with variable_scope and get_variable, used twice
with AUTO_REUSE, nested scopes, reuse=True, the errors for a clash and for a missing variable,
and the collections that list the variables."""

# rtol: 1e-5
import gaussfit.engine as tf


def dense(x, n_out, scope):
    with tf.variable_scope(scope, reuse=tf.AUTO_REUSE):
        w = tf.get_variable(
            "w", [x.get_shape()[1], n_out], initializer=tf.constant_initializer(0.5)
        )
        b = tf.get_variable("b", [n_out], initializer=tf.zeros_initializer())
        return tf.matmul(x, w) + b


x = tf.constant([[1.0, 2.0]])
y1 = dense(x, 3, "layer")
y2 = dense(x, 3, "layer")
print(y1.name, y2.name)
with tf.variable_scope("outer"):
    print(tf.get_variable_scope().name)
    with tf.variable_scope("inner"):
        v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
        s = tf.get_variable("s", [], dtype=tf.float64, initializer=tf.constant_initializer(2.5))
with tf.variable_scope("outer", reuse=True):
    v_again = tf.get_variable("inner/v")
print(v.name, v_again.name, v is v_again, s.dtype)
counter = tf.get_variable("counter", [], tf.int32, tf.zeros_initializer(), trainable=False)
print([var.name for var in tf.trainable_variables()])
print([var.name for var in tf.global_variables()])
print(len(tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)))
tf.add_to_collection("outputs", y1)
tf.add_to_collection("outputs", y2)
print([t.name for t in tf.get_collection("outputs")])
try:
    with tf.variable_scope("outer"):
        tf.get_variable("inner/v", [2])
except ValueError:
    print("ValueError: already exists")
try:
    with tf.variable_scope("nowhere", reuse=True):
        tf.get_variable("z", [1])
except ValueError:
    print("ValueError: does not exist")
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(y1), sess.run(y2))
    print(sess.run([v, s, counter]))
