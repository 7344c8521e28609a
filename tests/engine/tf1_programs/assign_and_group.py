"""tf.assign, tf.assign_add and tf.assign_sub as functions, tf.group and tf.no_op."""

# rtol: 1e-5
import gaussfit.engine as tf

a = tf.Variable([1.0, 2.0], name="a")
b = tf.Variable(10, name="b")
set_a = tf.assign(a, [5.0, 6.0])
add_a = tf.assign_add(a, [1.0, 1.0])
sub_b = tf.assign_sub(b, 3)
both = tf.group(add_a, sub_b)
nothing = tf.no_op()
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(sess.run(set_a))
    print(sess.run(both), sess.run(nothing))
    print(sess.run([a, b]))
    print(sess.run(add_a), sess.run(sub_b))
    print(both.type, nothing.type, set_a.dtype)
